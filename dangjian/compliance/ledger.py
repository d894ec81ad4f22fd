"""A branch's year 台账 as one printable document: who they are, what they held, what is missing,
dues and recruitment — gathered from the ledgers (counts from metrics and the compliance matrix)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from dangjian.activities.choices import HELD_STATUSES, AttendanceStatus
from dangjian.activities.models import Activity
from dangjian.compliance import charts
from dangjian.compliance.choices import CellStatus
from dangjian.compliance.evaluator import evaluate
from dangjian.core.dates import today
from dangjian.core.period import Period
from dangjian.core.scope import restrict
from dangjian.members.models import Post
from dangjian.metrics import registry


def year_ledger(org: Any, period: Period, user: Any) -> dict[str, Any]:
    """Everything the year's 台账 prints, for ``org``'s subtree within ``user``'s reach."""
    on = min(today(), period.end)
    figures = registry.compute(
        ["members.active", "members.status.full", "members.status.probationary", "attendance.rate"],
        org,
        period,
        user,
    )
    posts = (
        restrict(Post.objects.current(on=on), user)
        .filter(organization=org)
        .select_related("member")
        .order_by("kind", "started_on")
    )
    activities = (
        restrict(Activity.objects.all(), user)
        .filter(organization__path__startswith=org.path, status__in=HELD_STATUSES)
        .filter(held_on__gte=period.start, held_on__lte=period.end)
        .select_related("activity_type", "organization", "host")
        .annotate(
            n_present=Count("attendances", filter=Q(attendances__status=AttendanceStatus.PRESENT)),
            n_leave=Count("attendances", filter=Q(attendances__status=AttendanceStatus.LEAVE)),
            n_absent=Count("attendances", filter=Q(attendances__status=AttendanceStatus.ABSENT)),
        )
        .order_by("held_on", "id")
    )
    matrix = evaluate(org, period, user=user, on=today())
    summary = matrix.summary()
    missing = [
        {"org": c.org_name, "rule": matrix.rule(c.rule_code).name, "title": c.title, "source": c.source}
        for c in matrix.cells(include_kind_na=False)
        if c.status == CellStatus.MISSING
    ]
    months = charts.months_of(period)
    return {
        "stats": [
            (figures["members.active"], ""),
            (figures["members.status.full"], ""),
            (figures["members.status.probationary"], ""),
            (
                figures["attendance.rate"],
                "（{}/{}人次）".format(*(figures["attendance.rate"].basis or (0, 0))),
            ),
        ],
        "posts": list(posts),
        "activities": list(activities),
        "summary": summary,
        "missing": missing,
        "dues": charts.dues_by_month(org, months, user),
        "pipeline": charts.pipeline_by_stage(org, user),
        "printed_on": today(),
    }
