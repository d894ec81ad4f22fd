"""Base reads over the ledgers: the querysets and flat reads every figure and grid is built on.

Held activities, members' attendance, the roll on a day (from the dated status history), talks,
open committee terms … each limited to an organization's subtree and, given a ``user``, to what
``dangjian.core.scope`` lets them see. Named figures (``metrics.figures``) and the grids the
compliance evaluator reads (``metrics.grids``) count these; nothing else in metrics queries the
ledgers directly, so a figure and a grid cannot disagree about who was on the roll.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast

from dangjian.core.dates import today
from dangjian.core.period import Period
from dangjian.core.scope import Reach, get_scope, restrict
from dangjian.metrics.sql import raw_rows
from dangjian.orgs.choices import OrgKind

# Up to this many members leaving the roll in a period are excluded by name (see member_attendances).
LEAVER_LIST_MAX = 500


def as_of(period: Period) -> datetime.date:
    """Figures "at the period's end" look at today instead while the period is still running."""
    return min(period.end, today())


def scoped(qs: QuerySet[Any], user: Any) -> QuerySet[Any]:
    """``qs`` limited by ``scope.restrict`` for ``user`` (no limit when user is None).

    The member scope follows a to-many lookup (activity → attendances); it is applied as a
    subquery so that aggregates are not multiplied by the join.
    """
    if user is None:
        return qs
    if get_scope(user).only_self:
        return qs.filter(pk__in=restrict(qs.model.objects.all(), user).values("pk"))
    return restrict(qs, user)


def reach_roots(user: Any) -> list[Any]:
    """The organizations whose subtrees make up ``user``'s reach (every top-level one for the
    whole agency, and for a member, whose figures ``scoped`` then narrows to their own records)."""
    from dangjian.orgs.models import Organization

    scope = get_scope(user)
    if scope.reach == Reach.SUBTREE:
        return list(Organization.objects.filter(pk=scope.org_id)) if scope.org_id else []
    if scope.reach in (Reach.ALL, Reach.SELF):
        return list(Organization.objects.filter(depth=0).order_by("order", "name"))
    return []


def subtree_ids(org: Any) -> QuerySet[Any]:
    """The ids of ``org``'s subtree as a subquery.

    Filtering ``organization_id IN (subquery)`` lets both databases use the (organization,
    date) indexes; a join on ``path LIKE 'x%'`` does not on SQLite (its LIKE with ESCAPE never
    uses an index), which turns a 60-organization bureau into a scan of the whole province.
    """
    from dangjian.orgs.models import Organization

    return Organization.objects.filter(path__startswith=org.path).values("pk")


def member_subtree(org: Any) -> Q:
    """The members of ``org``'s subtree: by their organization, or for a 党小组 by their cell
    (a member's organization is their branch; the cell is a second link)."""
    if org.kind == OrgKind.CELL:
        return Q(cell_id=org.pk)
    return Q(organization_id__in=subtree_ids(org))


# ---- activities ---------------------------------------------------------------------------------
def held_activities(org: Any, period: Period, user: Any = None) -> QuerySet[Any]:
    from dangjian.activities.models import Activity

    qs = Activity.objects.held().within(period.start, period.end).filter(organization_id__in=subtree_ids(org))
    return scoped(qs, user)


def activity_type_labels() -> dict[str, str]:
    from dangjian.activities.models import ActivityType

    return dict(ActivityType.objects.values_list("code", "name"))


def member_attendances(org: Any, period: Period, user: Any = None) -> QuerySet[Any]:
    """Attendance rows of members (not guests) at held activities, minus rows dated after the
    member left the roll (a member transferred out mid-period is not counted afterwards)."""
    from dangjian.activities.choices import HELD_STATUSES
    from dangjian.activities.models import Attendance
    from dangjian.members.models import StatusChange

    qs = Attendance.objects.filter(
        member__isnull=False,
        activity__status__in=HELD_STATUSES,
        activity__held_on__gte=period.start,
        activity__held_on__lte=period.end,
        activity__organization__path__startswith=org.path,
    )
    leavers = list(
        StatusChange.objects.filter(
            to_status__in=inactive_statuses(),
            date__lte=period.end,
            member__organization__path__startswith=org.path,
        ).values_list("member_id", "date")[: LEAVER_LIST_MAX + 1]
    )
    if len(leavers) > LEAVER_LIST_MAX:
        qs = qs.exclude(left_by("member_id", OuterRef("activity__held_on")))
    elif leavers:
        # Few people leave in a period: naming them beats an EXISTS probe on millions of rows.
        gone = Q()
        for member_id, day in leavers:
            gone |= Q(member_id=member_id, activity__held_on__gt=day)
        qs = qs.exclude(gone)
    return scoped(qs, user)


def org_life_attendance(member_ref: str = "pk") -> QuerySet[Any]:
    """Attendances that count as organizational life (党章 Art 9): present, or absent/on leave but
    made up, at a held activity of a type that counts as organizational life."""
    from dangjian.activities.choices import HELD_STATUSES, AttendanceStatus
    from dangjian.activities.models import Attendance

    return Attendance.objects.filter(
        activity__status__in=HELD_STATUSES,
        activity__credits__activity_type__counts_as_org_life=True,
    ).filter(Q(status=AttendanceStatus.PRESENT) | Q(makeup_on__isnull=False))


def members_without_org_life(
    org: Any, since: datetime.date, on: datetime.date, user: Any = None
) -> QuerySet[Any]:
    """Members on the roll on ``on`` with no organizational life in (since, on]."""
    recent = org_life_attendance().filter(
        member_id=OuterRef("pk"), activity__held_on__gt=since, activity__held_on__lte=on
    )
    return members_active_on(org, on, user).exclude(Exists(recent))


def last_org_life(member_ids: Iterable[int], on: datetime.date) -> dict[int, datetime.date]:
    """{member id: date of their last organizational life on or before ``on``} (one query)."""
    from django.db.models import Max

    rows = (
        org_life_attendance()
        .filter(member_id__in=list(member_ids), activity__held_on__lte=on)
        .values_list("member_id")
        .annotate(last=Max("activity__held_on"))
        .order_by()
    )
    return dict(rows)


def talked_member_ids(org: Any, period: Period, member_ids: QuerySet[Any] | None = None) -> set[int]:
    """Members (of the subtree) who were a party to at least one held talk in the period, anywhere."""
    from dangjian.activities.models import Activity

    talks = (
        Activity.objects.held().within(period.start, period.end).filter(credits__activity_type__code="talk")
    )
    pool = member_ids if member_ids is not None else members_active_on(org, as_of(period)).values("pk")
    covered: set[int] = set()
    for a, b in talks.filter(Q(talk_party_a__in=pool) | Q(talk_party_b__in=pool)).values_list(
        "talk_party_a_id", "talk_party_b_id"
    ):
        covered.update(x for x in (a, b) if x)
    return covered


# ---- the roll -----------------------------------------------------------------------------------
def inactive_statuses() -> list[str]:
    from dangjian.members.choices import ACTIVE_STATUSES, MemberStatus

    return [s for s in MemberStatus.values if s not in ACTIVE_STATUSES]


def left_by(member_ref: str, day_ref: Any) -> Exists:
    """EXISTS a status change taking the member off the roll (transfer out, death …) before ``day_ref``."""
    from dangjian.members.models import StatusChange

    return Exists(
        StatusChange.objects.filter(
            member_id=OuterRef(member_ref), to_status__in=inactive_statuses(), date__lt=day_ref
        )
    )


def _text(column: str) -> Cast:
    return Cast(column, output_field=CharField())


def member_states(org: Any, day: datetime.date, user: Any = None) -> list[tuple[int, int, int | None, str]]:
    """(member id, organization id, cell id, status on ``day``) of every member of the subtree
    admitted by ``day``: the one definition of a member's status on a day, which every count of
    members (home page, organization pages, reports) derives from.

    The status is that of the last change on or before ``day`` in the dated history; without
    one, the "from" status of the first later change, else the status column; a member
    confirmed after ``day`` was still probationary on it. Two flat queries (the members, their
    changes) combined in Python, without Django's per-value converters: cheap for a bureau and
    linear for a province.
    """
    from dangjian.members.choices import MemberStatus
    from dangjian.members.models import Member, StatusChange

    members = scoped(Member.objects.filter(member_subtree(org)), user).order_by()
    changes: dict[int, list[tuple[str, str, str]]] = {}
    # Dates are read as ISO text and compared as text: parsing 400,000 dates costs more than the
    # SQL. (The casts are annotations, which the SELECT lists after the columns: keep them last.)
    for member_id, from_status, to_status, date in raw_rows(
        StatusChange.objects.filter(member__in=members.values("pk"))
        .order_by("member_id", "date", "id")
        .annotate(on=_text("date"))
        .values_list("member_id", "from_status", "to_status", "on")
    ):
        changes.setdefault(member_id, []).append((date, from_status, to_status))
    cut = day.isoformat()
    states: list[tuple[int, int, int | None, str]] = []
    dated = members.annotate(admitted=_text("admission_date"), confirmed=_text("confirmation_date"))
    for pk, org_id, cell_id, status, admitted, confirmed in raw_rows(
        dated.values_list("pk", "organization_id", "cell_id", "status", "admitted", "confirmed")
    ):
        if admitted and admitted > cut:
            continue
        state = status
        before = after = None
        for change in changes.get(pk, ()):
            if change[0] <= cut:
                before = change
            else:
                after = change
                break
        if before is not None:
            state = before[2]
        elif after is not None and after[1]:
            state = after[1]
        if state == MemberStatus.FULL and confirmed and confirmed > cut:
            state = MemberStatus.PROBATIONARY
        states.append((pk, org_id, cell_id, state))
    return states


def members_active_on(org: Any, day: datetime.date, user: Any = None) -> QuerySet[Any]:
    """Members of the subtree on the roll on ``day``, as a queryset for the set-based reads.

    The same rule as ``member_states`` (a test holds them equal): admitted by ``day``; not taken
    off the roll on or before ``day`` by a change that no later change (on or before ``day``)
    undid; and on the roll now, or taken off only after ``day``. The history is read through
    ``IN (…)`` subqueries over the few leaving changes, which the database runs once and hashes:
    cheap for 200,000 members, where a per-member EXISTS is not.
    """
    from dangjian.members.choices import ACTIVE_STATUSES
    from dangjian.members.models import Member, StatusChange

    left = StatusChange.objects.filter(to_status__in=inactive_statuses())
    back = StatusChange.objects.filter(
        member_id=OuterRef("member_id"), to_status__in=ACTIVE_STATUSES, date__lte=day
    ).filter(Q(date__gt=OuterRef("date")) | Q(date=OuterRef("date"), pk__gt=OuterRef("pk")))
    gone = left.filter(date__lte=day).exclude(Exists(back))
    qs = (
        Member.objects.filter(member_subtree(org))
        .filter(Q(admission_date__isnull=True) | Q(admission_date__lte=day))
        .exclude(pk__in=gone.values("member_id"))
        # Off the roll now, but only after ``day``: still counted on ``day``.
        .filter(Q(status__in=ACTIVE_STATUSES) | Q(pk__in=left.filter(date__gt=day).values("member_id")))
    )
    return scoped(qs, user)


# ---- organizations and terms ----------------------------------------------------------------------
def organizations_on(org: Any, day: datetime.date, user: Any = None) -> QuerySet[Any]:
    """The subtree's organizations standing on ``day`` (set up by then and not yet dissolved)."""
    from dangjian.orgs.models import Organization

    qs = Organization.objects.subtree(org).filter(
        Q(established_on__isnull=True) | Q(established_on__lte=day),
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day),
    )
    return scoped(qs, user)


def open_terms(org: Any, user: Any) -> QuerySet[Any]:
    from dangjian.orgs.models import Term

    return scoped(Term.objects.open().filter(organization__path__startswith=org.path), user)


def short_topic(topic: str) -> str:
    """An activity's topic as a report quotes it: without its kind's prefix ("主题党日：") or quotes."""
    for prefix in ("党组理论学习中心组", "双周讲坛：", "主题党日：", "党课："):
        topic = topic.removeprefix(prefix)
    return topic.strip('“”"')
