"""Small builders for the campaigns tests: held activities, campaigns and pledges."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from dangjian.activities.actions import sync_credits
from dangjian.activities.models import Activity, ActivityType
from dangjian.campaigns.models import Campaign, PlanItem, ServicePledge

D = datetime.date
START, END = D(2026, 3, 1), D(2026, 10, 31)


def activity(
    org: Any, code: str, day: D | None, *, also: tuple[str, ...] = (), status: str = "verified"
) -> Activity:
    """An activity of ``org`` of type ``code`` held on ``day`` (None: only planned)."""
    held_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9))) if day else None
    a = Activity.objects.create(
        organization=org,
        activity_type=ActivityType.objects.get(code=code),
        status=status if day else "approved",
        topic=f"{code} {day}",
        held_at=held_at,
        planned_at=held_at or timezone.now(),
    )
    sync_credits(a, list(ActivityType.objects.filter(code__in=also)))
    return a


def campaign(org: Any, *, start: D = START, end: D | None = END, **kw: Any) -> Campaign:
    return Campaign.objects.create(
        organization=org,
        name=kw.pop("name", "学习贯彻专题活动"),
        kind=kw.pop("kind", "theme_education"),
        started_on=start,
        ended_on=end,
        **kw,
    )


def plan_item(c: Campaign, code: str | None, target: int, due: D | None = None) -> PlanItem:
    t = ActivityType.objects.get(code=code) if code else None
    return PlanItem.objects.create(
        campaign=c, title=f"{code}计划", activity_type=t, target_count=target, due_by=due
    )


def pledge(org: Any, handler: Any, *, collected: D, status: str = "open", **kw: Any) -> ServicePledge:
    if status != "open":
        kw.setdefault("solved_on", collected + datetime.timedelta(days=10))
        kw.setdefault("result", "已办结")
    return ServicePledge.objects.create(
        organization=org,
        title=kw.pop("title", f"实事{collected}"),
        source=kw.pop("source", "visit"),
        category=kw.pop("category", "livelihood"),
        collected_on=collected,
        handler=handler,
        status=status,
        **kw,
    )
