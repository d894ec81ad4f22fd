"""What the activities ledger puts on people's to-do lists (core/agenda.py): plans waiting for
approval, plans sent back, held meetings not yet recorded or verified, and a member's make-up study.

Each item links to the page where it is done. Approval and verification are a supervisor's steps
(``Scope.oversees``), so a branch secretary never sees their own branch's plan as "to approve";
returned and unrecorded plans go to whoever writes for that organization without overseeing it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from dangjian.activities.choices import ActivityStatus, AttendanceStatus, ReflectionStatus
from dangjian.activities.models import Activity, Attendance, Reflection
from dangjian.core.agenda import DueItem
from dangjian.core.scope import get_scope, restrict

PLAN_BASIS = "本单位规定（组织生活计划报机关党委审批后开展）"
RECORD_BASIS = "本单位规定（活动开展后及时登记并报机关党委审核）"
REFLECTION_BASIS = "本单位规定（党员学习后提交心得体会，由支部审阅）"
MAKEUP_BASIS = "本单位规定（因故未参加组织生活的党员应及时补学）"
# Items of each kind listed at most, so one long queue does not bury the rest.
LIMIT = 30


def _day(activity: Activity) -> datetime.date | None:
    if activity.held_on:
        return activity.held_on
    return timezone.localdate(activity.planned_at) if activity.planned_at else None


def _title(activity: Activity) -> str:
    return f"{activity.activity_type.name}：{activity.topic}"


def officer_items(user: Any, on: datetime.date, until: datetime.date) -> list[DueItem]:
    scope = get_scope(user)
    if not (scope.is_officer and scope.can_write):
        return []
    activities = restrict(Activity.objects.all(), user).select_related("organization", "activity_type")
    items: list[DueItem] = []
    approvals = reverse("activities:approvals")
    for a in activities.filter(status=ActivityStatus.PLANNED).order_by("planned_at", "id")[: LIMIT * 4]:
        if scope.oversees(a.organization):
            day = _day(a)
            late = bool(day and day < on)
            items.append(
                DueItem(
                    "plan_approval",
                    "待审批计划",
                    _title(a),
                    a.organization.name,
                    day,
                    late,
                    approvals,
                    PLAN_BASIS,
                    "danger" if late else "warn",
                )
            )
    for a in activities.filter(status=ActivityStatus.HELD).order_by("held_on", "id")[: LIMIT * 4]:
        if scope.oversees(a.organization):
            items.append(
                DueItem(
                    "record_verify",
                    "待审核记录",
                    _title(a),
                    a.organization.name,
                    None,
                    False,
                    approvals,
                    RECORD_BASIS,
                    "info",
                )
            )
    # The planner's side: returned plans to correct, approved plans whose time has come.
    tz = timezone.get_current_timezone()
    horizon = datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    own = activities.filter(status__in=[ActivityStatus.RETURNED, ActivityStatus.APPROVED]).exclude(
        status=ActivityStatus.APPROVED, planned_at__gte=horizon
    )
    for a in own.order_by("planned_at", "id")[: LIMIT * 4]:
        if not scope.can_write_in(a.organization) or scope.oversees(a.organization):
            continue
        day = _day(a)
        if a.status == ActivityStatus.RETURNED:
            items.append(
                DueItem(
                    "plan_returned",
                    "计划被退回",
                    f"{_title(a)}（退回原因：{a.return_reason or '未填写'}）",
                    a.organization.name,
                    day,
                    bool(day and day < on),
                    reverse("activities:edit", args=[a.pk]),
                    PLAN_BASIS,
                    "danger",
                )
            )
        elif day and day < on:
            items.append(
                DueItem(
                    "record_due",
                    "待登记",
                    _title(a),
                    a.organization.name,
                    day,
                    True,
                    reverse("activities:record", args=[a.pk]),
                    RECORD_BASIS,
                    "danger",
                )
            )
        else:
            items.append(
                DueItem(
                    "upcoming",
                    "即将开展",
                    _title(a),
                    a.organization.name,
                    day,
                    False,
                    a.get_absolute_url(),
                    PLAN_BASIS,
                    "info",
                )
            )
    return items


def member_items(user: Any, on: datetime.date, until: datetime.date) -> list[DueItem]:
    """An ordinary member's (or an officer's own) missed activities still waiting for 补学."""
    scope = get_scope(user)
    if not scope.member_id:
        return []
    missed = (
        Attendance.objects.filter(
            member_id=scope.member_id,
            status__in=[AttendanceStatus.LEAVE, AttendanceStatus.ABSENT],
            makeup_on__isnull=True,
            activity__status__in=[ActivityStatus.HELD, ActivityStatus.VERIFIED],
            activity__held_on__year=on.year,  # the year the home page counts 待补学 for
        )
        .select_related("activity", "activity__activity_type", "activity__organization")
        .order_by("-activity__held_on", "-id")[:LIMIT]
    )
    return [
        DueItem(
            "makeup",
            "待补学",
            f"{_title(m.activity)}（{m.activity.held_on:%Y-%m-%d}，{m.get_status_display()}）",
            m.activity.organization.name,
            None,
            False,
            reverse("activities:mine") + f"#a{m.pk}",
            MAKEUP_BASIS,
            "warn",
        )
        for m in missed
    ] + [
        DueItem(
            "reflection_returned",
            "心得体会被退回",
            f"{r.title}（意见：{r.review_comment}）",
            r.activity.organization.name if r.activity_id else "",
            None,
            False,
            reverse("activities:reflection-submit") + f"?activity={r.activity_id}",
            REFLECTION_BASIS,
            "warn",
        )
        for r in Reflection.objects.filter(
            member_id=scope.member_id, status=ReflectionStatus.RETURNED, activity__isnull=False
        ).select_related("activity__organization")[:LIMIT]
    ]


def review_items(user: Any, on: datetime.date, until: datetime.date) -> list[DueItem]:
    """Members' reflections waiting for an officer's review."""
    from dangjian.activities.views_self import pending_reviews

    scope = get_scope(user)
    if not scope.is_officer:
        return []
    url = reverse("activities:reflections") + "?status=submitted"
    return [
        DueItem(
            "reflection_review",
            "待审阅心得体会",
            f"{r.member.name}：{r.title}",
            r.member.organization.name,
            None,
            False,
            url,
            REFLECTION_BASIS,
            "info",
        )
        for r in pending_reviews(user)
        .select_related("member__organization")
        .order_by("submitted_on", "id")[:LIMIT]
    ]


def register() -> None:
    from dangjian.core.agenda import register_due_source

    register_due_source(officer_items)
    register_due_source(member_items)
    register_due_source(review_items)
