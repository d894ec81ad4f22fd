"""Fixtures for the admission pipeline: valid ID numbers and a helper that walks a case forward
(both from dangjian.testing.factories)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from dangjian.recruitment.demo import happy_dates  # one happy path for the demo and the tests
from dangjian.testing import factories

__all__ = ["happy_dates", "make_id"]


def make_id(born: datetime.date, seq: str = "123") -> str:
    return factories.id_number(born, seq)


@pytest.fixture
def open_case(bureau, personas):  # type: ignore[no-untyped-def]
    """``open_case(start=..., name=..., org=...)`` opens a case with a valid applicant."""

    def _open(
        start: datetime.date = datetime.date(2023, 6, 1),
        name: str = "吴小青",
        org: Any = None,
        born: datetime.date = datetime.date(1998, 5, 20),
        seq: str = "123",
    ) -> Any:
        # The secretary opens their own branch's cases; another branch's are set up by the admin.
        acting = personas.secretary_of_branch_1 if org in (None, bureau.branch_1) else personas.admin
        return factories.recruitment_case(
            org or bureau.branch_1, acting_user=acting, start=start, name=name, born=born, seq=seq
        )

    return _open


@pytest.fixture
def walk(bureau, personas):  # type: ignore[no-untyped-def]
    """``walk(case, upto)`` records the happy-path steps after the last one done, up to ``upto``."""

    def _walk(case: Any, upto: int) -> Any:
        return factories.walk_case(
            case, upto, acting_user=personas.secretary_of_branch_1, people=bureau.members[:2]
        )

    return _walk
