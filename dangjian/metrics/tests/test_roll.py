"""The roll on a day: members by status from the dated history, by hand, and the SQL rule the
compliance reads use agreeing with it on every shape of history."""

from __future__ import annotations

import datetime

import pytest

from dangjian import metrics
from dangjian.core.dates import today
from dangjian.core.period import Period
from dangjian.metrics.base import member_states, members_active_on

D = datetime.date
pytestmark = pytest.mark.django_db


def on(day: datetime.date) -> Period:
    return Period.between(day, day)


@pytest.fixture
def history(bureau, personas):  # type: ignore[no-untyped-def]
    """周五平 transferred out in June 2022 and back in March 2023; 钱二华 died in May 2024;
    吴六安 admitted in June 2025 and confirmed in June 2026 (孙三立 is admitted in March 2026)."""
    from dangjian.members.actions import do_change_status, do_transfer_out
    from dangjian.members.models import Member

    _m1, m2, _m3, _m4, m5 = bureau.members
    do_transfer_out(m5, date=D(2022, 6, 1), counterpart="外单位党支部", acting_user=personas.admin)
    do_change_status(m5, "full", date=D(2023, 3, 1), reason="转回本单位", acting_user=personas.admin)
    do_change_status(m2, "deceased", date=D(2024, 5, 1), reason="病故", acting_user=personas.admin)
    m6 = Member.objects.create(
        name="吴六安",
        gender="male",
        birth_date=D(1995, 5, 5),
        organization=bureau.branch_2,
        status="probationary",
        admission_date=D(2025, 6, 1),
    )
    do_change_status(m6, "full", date=D(2026, 6, 1), reason="按期转正", acting_user=personas.admin)
    return m6


def ids(*members):  # type: ignore[no-untyped-def]
    return sorted(m.pk for m in members)


def test_members_by_status_on_a_day_by_hand(bureau, history):
    m1, m2, m3, m4, m5 = bureau.members
    m6 = history
    root = bureau.leading_group
    keys = ["members.active", "members.status.full", "members.status.probationary"]
    keys += ["members.status.transferred_out", "members.status.deceased"]
    expected = {
        D(2022, 3, 1): ([m1, m2, m4, m5], [m1, m2, m4, m5], [], [], []),
        D(2022, 12, 31): ([m1, m2, m4], [m1, m2, m4], [], [m5], []),
        D(2023, 6, 1): ([m1, m2, m4, m5], [m1, m2, m4, m5], [], [], []),
        D(2025, 12, 31): ([m1, m4, m5, m6], [m1, m4, m5], [m6], [], [m2]),
        today(): ([m1, m3, m4, m5, m6], [m1, m4, m5, m6], [m3], [], [m2]),
    }
    for day, groups in expected.items():
        found = metrics.compute(keys, root, on(day))
        for key, members in zip(keys, groups, strict=True):
            assert found[key].evidence_ids == ids(*members), (day, key)
            assert found[key].value == len(members)


def test_cells_and_own_members(bureau, history):
    m1, _m2, m3, m4, m5 = bureau.members
    now = on(today())
    found = metrics.compute(["members.active", "members.direct"], bureau.cell_1, now)
    assert found["members.active"].evidence_ids == found["members.direct"].evidence_ids == ids(m1, m3)
    assert metrics.compute(["members.direct"], bureau.branch_1, now)["members.direct"].evidence_ids == ids(
        m1, m3
    )
    assert metrics.compute(["members.direct"], bureau.organ_committee, now)["members.direct"].value == 0
    assert metrics.compute(["members.active"], bureau.branch_2, now)["members.active"].evidence_ids == ids(
        m4, m5, history
    )


def test_the_sql_roll_agrees_with_the_status_history_on_every_day(bureau, history):
    from dangjian.members.choices import ACTIVE_STATUSES

    days = [D(2022, 5, 31), D(2022, 6, 1), D(2023, 2, 28), D(2023, 3, 1), D(2024, 5, 1), D(2025, 6, 1)]
    days += [D(2026, 5, 31), D(2026, 6, 1), today()]
    for org in (bureau.leading_group, bureau.branch_1, bureau.branch_2, bureau.cell_1, bureau.cell_2):
        for day in days:
            by_history = sorted(pk for pk, _o, _c, s in member_states(org, day) if s in ACTIVE_STATUSES)
            by_sql = sorted(members_active_on(org, day).values_list("pk", flat=True))
            assert by_sql == by_history, (org.name, day)


def test_the_roll_respects_the_users_scope(bureau, history, personas):
    m1, _m2, m3, *_ = bureau.members
    mine = metrics.compute(
        ["members.active"], bureau.leading_group, on(today()), personas.secretary_of_branch_1
    )
    assert mine["members.active"].evidence_ids == ids(m1, m3)
    own = metrics.compute(["members.active"], bureau.leading_group, on(today()), personas.member)
    assert own["members.active"].evidence_ids == ids(m1)
