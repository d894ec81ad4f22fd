"""Figures over the activity ledger: meetings held by type, attendance, talks, make-up study,
reflections, first-agenda study and the secretaries' party lectures."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q

from dangjian.core.period import Period
from dangjian.metrics.base import (
    activity_type_labels,
    as_of,
    held_activities,
    member_attendances,
    members_active_on,
    scoped,
    subtree_ids,
    talked_member_ids,
)
from dangjian.metrics.figures import Figure, capped_ids, percent


def activity_count(code: str, org: Any, period: Period, user: Any = None) -> Figure:
    """Held activities that count as type ``code`` (primary or also-counted)."""
    ids = sorted(
        held_activities(org, period, user)
        .filter(credits__activity_type__code=code)
        .values_list("pk", flat=True)
    )
    label = activity_type_labels().get(code, code)
    return Figure(f"activities.count.{code}", label, len(ids), "次", "activities.activity", ids)


def activity_counts(org: Any, period: Period, user: Any = None) -> dict[str, Figure]:
    """Counts for every type at once (one query over the credits), keyed by type code."""
    from dangjian.activities.models import ActivityCredit, ActivityType

    rows = ActivityCredit.objects.filter(
        activity__in=held_activities(org, period, user).values("pk")
    ).values_list("activity_type__code", "activity_id")
    by_code: dict[str, list[int]] = {code: [] for code in ActivityType.objects.values_list("code", flat=True)}
    for code, activity_id in rows:
        by_code.setdefault(code, []).append(activity_id)
    labels = activity_type_labels()
    return {
        code: Figure(
            f"activities.count.{code}",
            labels.get(code, code),
            len(ids),
            "次",
            "activities.activity",
            sorted(ids),
        )
        for code, ids in by_code.items()
    }


def attendance_rate(org: Any, period: Period, user: Any = None) -> Figure:
    """Present member-attendances / all member-attendances recorded, in %."""
    from dangjian.activities.choices import AttendanceStatus

    qs = member_attendances(org, period, user)
    counts = qs.aggregate(total=Count("pk"), present=Count("pk", filter=Q(status=AttendanceStatus.PRESENT)))
    total, present = counts["total"], counts["present"]
    ids, capped_total = capped_ids(qs, total)
    return Figure(
        "attendance.rate",
        "参会率",
        percent(present, total),
        "%",
        "activities.attendance",
        ids,
        (present, total),
        capped_total,
    )


def attendance_person_times(org: Any, period: Period, user: Any = None, present: int | None = None) -> Figure:
    """Member-attendances present (人次); ``present`` when the caller already counted them."""
    from dangjian.activities.choices import AttendanceStatus

    qs = member_attendances(org, period, user).filter(status=AttendanceStatus.PRESENT)
    total = qs.count() if present is None else present
    ids, capped_total = capped_ids(qs, total)
    return Figure(
        "attendance.person_times", "参加党员", total, "人次", "activities.attendance", ids, None, capped_total
    )


def members_attended_nothing(org: Any, period: Period, user: Any = None) -> Figure:
    """Members on the roll at the period's end who were present at no activity in the period."""
    from dangjian.activities.choices import AttendanceStatus

    attended = member_attendances(org, period).filter(
        status=AttendanceStatus.PRESENT, member_id=OuterRef("pk")
    )
    ids = sorted(
        members_active_on(org, as_of(period), user).exclude(Exists(attended)).values_list("pk", flat=True)
    )
    return Figure("members.attended_nothing", "未参加任何活动的党员", len(ids), "人", "members.member", ids)


def talk_count(org: Any, period: Period, user: Any = None) -> Figure:
    ids = sorted(
        held_activities(org, period, user)
        .filter(credits__activity_type__code="talk")
        .values_list("pk", flat=True)
    )
    return Figure("talks.count", "谈心谈话", len(ids), "次", "activities.activity", ids)


def talk_coverage(org: Any, period: Period, user: Any = None) -> Figure:
    """Members on the roll who were a party to ≥1 talk / members on the roll, in % (支部工作条例 Art 18)."""
    active = set(members_active_on(org, as_of(period), user).values_list("pk", flat=True))
    covered = talked_member_ids(org, period) & active
    return Figure(
        "talks.coverage",
        "谈心谈话覆盖率",
        percent(len(covered), len(active)),
        "%",
        "members.member",
        sorted(covered),
        (len(covered), len(active)),
    )


def makeup_completion(org: Any, period: Period, user: Any = None) -> Figure:
    """Absences and leaves made up (makeup_on set) / all absences and leaves, in %."""
    from dangjian.activities.choices import AttendanceStatus

    rows = list(
        member_attendances(org, period, user)
        .filter(status__in=[AttendanceStatus.LEAVE, AttendanceStatus.ABSENT])
        .values_list("pk", "makeup_on")
    )
    done = sum(1 for _pk, makeup in rows if makeup)
    return Figure(
        "makeup.completion",
        "补学完成率",
        percent(done, len(rows)),
        "%",
        "activities.attendance",
        sorted(pk for pk, _ in rows),
        (done, len(rows)),
    )


def reflections_count(org: Any, period: Period, user: Any = None) -> Figure:
    from dangjian.activities.models import Reflection

    qs = Reflection.objects.filter(
        member__organization_id__in=subtree_ids(org),
        submitted_on__gte=period.start,
        submitted_on__lte=period.end,
    )
    ids = sorted(scoped(qs, user).values_list("pk", flat=True))
    return Figure("reflections.count", "心得体会", len(ids), "篇", "activities.reflection", ids)


def first_agenda_count(org: Any, period: Period, user: Any = None) -> Figure:
    ids = sorted(held_activities(org, period, user).filter(is_first_agenda=True).values_list("pk", flat=True))
    return Figure("activities.first_agenda", "第一议题学习", len(ids), "次", "activities.activity", ids)


def secretary_lecture_count(org: Any, period: Period, user: Any = None) -> Figure:
    ids = sorted(
        held_activities(org, period, user)
        .filter(credits__activity_type__code="party_lecture", lecturer_is_secretary=True)
        .values_list("pk", flat=True)
    )
    return Figure("activities.secretary_lectures", "书记讲党课", len(ids), "次", "activities.activity", ids)


def participants(code: str, org: Any, period: Period, user: Any = None) -> Figure:
    """Members present (人次) at held activities counting as type ``code``."""
    from dangjian.activities.choices import AttendanceStatus

    qs = member_attendances(org, period, user).filter(
        status=AttendanceStatus.PRESENT, activity__credits__activity_type__code=code
    )
    total = qs.count()
    ids, capped_total = capped_ids(qs, total)
    label = activity_type_labels().get(code, code)
    return Figure(
        f"participants.{code}",
        f"{label}参加党员",
        total,
        "人次",
        "activities.attendance",
        ids,
        None,
        capped_total,
    )


def attendance_by_status(org: Any, period: Period, user: Any = None) -> dict[str, Figure]:
    """ "attendance.status.<status>": member-attendances (人次) present, on leave and absent."""
    from dangjian.activities.choices import AttendanceStatus

    by_status: dict[str, list[int]] = {status.value: [] for status in AttendanceStatus}
    for pk, status in member_attendances(org, period, user).values_list("pk", "status"):
        by_status.setdefault(status, []).append(pk)
    return {
        f"attendance.status.{status}": Figure(
            f"attendance.status.{status}",
            AttendanceStatus(status).label,
            len(ids),
            "次",
            "activities.attendance",
            sorted(ids),
        )
        for status, ids in by_status.items()
    }


def makeup_outstanding(org: Any, period: Period, user: Any = None) -> Figure:
    """Absences and leaves not yet made up (待补学)."""
    from dangjian.activities.choices import AttendanceStatus

    ids = sorted(
        member_attendances(org, period, user)
        .filter(status__in=[AttendanceStatus.LEAVE, AttendanceStatus.ABSENT], makeup_on__isnull=True)
        .values_list("pk", flat=True)
    )
    return Figure("makeup.outstanding", "待补学", len(ids), "次", "activities.attendance", ids)
