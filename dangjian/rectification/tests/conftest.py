"""Fixtures for the rectification ledger: a finding factory over the shared bureau."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from dangjian.rectification import actions

D = datetime.date
FOUND_ON = D(2026, 3, 1)
DEADLINE = D(2026, 6, 30)


@pytest.fixture
def make_finding(bureau, personas):  # type: ignore[no-untyped-def]
    """``make_finding(org=..., source=..., found_on=..., deadline=..., responsible=...)``."""

    def _make(
        org: Any = None,
        source: str = "self",
        found_on: D = FOUND_ON,
        deadline: D = DEADLINE,
        responsible: Any = None,
        description: str = "学习制度执行不严格",
        measures: tuple[str, ...] = (),
        **extra: Any,
    ) -> Any:
        return actions.do_create_finding(
            acting_user=personas.admin,
            organization=org or bureau.branch_1,
            source=source,
            found_on=found_on,
            deadline=deadline,
            responsible=responsible or bureau.members[1],
            description=description,
            measures=list(measures),
            **extra,
        )

    return _make
