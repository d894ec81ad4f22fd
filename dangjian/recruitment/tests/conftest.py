"""Fixtures for the admission pipeline: valid ID numbers and a helper that walks a case forward."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from dangjian.members.validators import id_check_digit
from dangjian.recruitment import actions, rules
from dangjian.recruitment.demo import happy_dates  # one happy path for the demo and the tests

__all__ = ["happy_dates"]


def make_id(born: datetime.date, seq: str = "123") -> str:
    first17 = f"110105{born:%Y%m%d}{seq}"
    return first17 + id_check_digit(first17)


def step_kwargs(number: int, bureau: Any) -> dict[str, Any]:
    if number in (rules.MENTORS, rules.SPONSOR):
        return {"people": [bureau.members[0], bureau.members[1]]}
    if number in rules.VOTE_STEPS:
        return {"vote": actions.Vote(eligible=2, present=2, votes_for=2, against=0, abstain=0)}
    if number == rules.TRAINING:
        return {"training_days": 3}
    return {}


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
        return actions.do_open_case(
            application_date=start,
            # The secretary opens their own branch's cases; another branch's are set up by the admin.
            acting_user=personas.secretary_of_branch_1 if org in (None, bureau.branch_1) else personas.admin,
            name=name,
            gender="female",
            birth_date=born,
            id_number=make_id(born, seq),
            phone="13800000000",
            department="办公室",
            organization=org or bureau.branch_1,
        )

    return _open


@pytest.fixture
def walk(bureau, personas):  # type: ignore[no-untyped-def]
    """``walk(case, upto)`` records the happy-path steps after the last one done, up to ``upto``."""

    def _walk(case: Any, upto: int) -> Any:
        dates = happy_dates(case.opened_on)
        case.refresh_from_db()
        done = case.timeline().done
        for number in range(2, upto + 1):
            if number in done:
                continue
            actions.do_record_step(
                case,
                number,
                date=dates[number],
                acting_user=personas.secretary_of_branch_1,
                checklist=list(rules.RULES[number].checklist),
                **step_kwargs(number, bureau),
            )
        case.refresh_from_db()
        return case

    return _walk
