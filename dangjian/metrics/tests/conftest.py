"""Fixtures shared by the metrics and compliance tests: activity types and an activity factory
that writes the ActivityCredit rows directly (independent of the activities app's actions)."""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

import pytest

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def types(db):  # type: ignore[no-untyped-def]
    from dangjian.activities.choices import BUILTIN_TYPES
    from dangjian.activities.models import ActivityType

    found = {}
    for order, (code, name, org_life, attendance, _also) in enumerate(BUILTIN_TYPES):
        found[code], _ = ActivityType.objects.get_or_create(
            code=code,
            defaults=dict(
                name=name,
                counts_as_org_life=org_life,
                takes_attendance=attendance,
                order=order,
                is_builtin=True,
            ),
        )
    return found


@pytest.fixture
def make_activity(types):  # type: ignore[no-untyped-def]
    """make_activity(org, "committee_meeting", date(2022,3,31), also=("party_lecture",), at=(23,30), …)."""
    from dangjian.activities.models import Activity, ActivityCredit, Attendance

    def _make(
        org: Any,
        code: str,
        day: datetime.date,
        *,
        also: tuple[str, ...] = (),
        at: tuple[int, int] = (9, 0),
        status: str = "held",
        attend: dict[Any, str] | None = None,
        makeup: dict[Any, datetime.date] | None = None,
        cells: tuple[Any, ...] = (),
        **fields: Any,
    ) -> Activity:
        held_at = datetime.datetime(day.year, day.month, day.day, at[0], at[1], tzinfo=SHANGHAI)
        activity = Activity.objects.create(
            organization=org,
            activity_type=types[code],
            status=status,
            topic=f"{code} {day}",
            held_at=held_at,
            **fields,
        )
        ActivityCredit.objects.create(activity=activity, activity_type=types[code], is_primary=True)
        for extra in also:
            ActivityCredit.objects.create(activity=activity, activity_type=types[extra])
            activity.also_counts_as.add(types[extra])
        if cells:
            activity.cells.set(cells)
        for member, state in (attend or {}).items():
            Attendance.objects.create(
                activity=activity,
                member=member,
                status=state,
                leave_reason="公务" if state == "leave" else "",
                makeup_on=(makeup or {}).get(member),
            )
        return activity

    return _make
