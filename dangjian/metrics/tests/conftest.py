"""Fixtures shared by the metrics and compliance tests: activity types and an activity factory
that writes the ActivityCredit rows directly (independent of the activities app's actions)."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from dangjian.dues.tests.conftest import bases  # noqa: F401 - shared fixtures
from dangjian.recruitment.tests.conftest import open_case, walk  # noqa: F401 - shared fixtures
from dangjian.testing import factories

D = datetime.date
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def types(db):  # type: ignore[no-untyped-def]
    return factories.activity_types()


@pytest.fixture
def make_activity(types):  # type: ignore[no-untyped-def]
    """make_activity(org, "committee_meeting", date(2022,3,31), also=("party_lecture",), at=(23,30), …)
    (``dangjian.testing.factories.activity``)."""
    return factories.activity


@pytest.fixture
def ledger(bureau, make_activity, personas):  # type: ignore[no-untyped-def]
    from dangjian.activities.models import Activity, Reflection
    from dangjian.members.actions import do_transfer_out

    m1, m2, _m3, m4, m5 = bureau.members
    b1, b2 = bureau.branch_1, bureau.branch_2
    made = {
        "cm": make_activity(
            b1,
            "committee_meeting",
            D(2022, 1, 10),
            attend={m1: "present", m2: "absent"},
            makeup={m2: D(2022, 1, 20)},
        ),
        "td": make_activity(
            b1, "theme_day", D(2022, 2, 15), also=("party_lecture",), attend={m1: "present", m2: "leave"}
        ),
        "gm": make_activity(
            b2, "general_meeting", D(2022, 3, 31), at=(23, 30), attend={m4: "present", m5: "absent"}
        ),
        "late": make_activity(b2, "theme_day", D(2022, 8, 1), attend={m4: "present", m5: "absent"}),
        "talk": make_activity(b2, "talk", D(2022, 4, 2), talk_party_a=m4, talk_party_b=m1),
        "planned": make_activity(
            b1, "committee_meeting", D(2022, 3, 3), status="planned", attend={m1: "present"}
        ),
        "other_year": make_activity(
            b1, "committee_meeting", D(2021, 12, 31), at=(23, 30), attend={m1: "present"}
        ),
        "lg": make_activity(bureau.leading_group, "central_study", D(2022, 5, 5), is_first_agenda=True),
        "lecture": make_activity(b1, "party_lecture", D(2022, 6, 6), lecturer=m1),
    }
    Activity.objects.filter(pk=made["lecture"].pk).update(lecturer_is_secretary=True)
    Reflection.objects.create(member=m1, title="学习心得", submitted_on=D(2022, 2, 16))
    Reflection.objects.create(member=m4, title="去年的心得", submitted_on=D(2021, 2, 16))
    # 周五平 leaves on 1 June: the August absence is not counted against the branch.
    do_transfer_out(m5, date=D(2022, 6, 1), counterpart="外单位党支部", acting_user=personas.admin)
    return made
