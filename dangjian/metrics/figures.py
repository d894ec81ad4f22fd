"""Named figures over an organization subtree and a period; each carries its value AND its records.

This module is the single source of every number shown in dashboards and written in reports.
Each figure is a few set-based queries over the whole subtree (never one query per
organization) and, given a ``user``, reads only what ``dangjian.core.scope`` lets them see.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from dangjian.core.dates import today
from dangjian.core.period import Period
from dangjian.core.scope import get_scope, restrict
from dangjian.metrics.sql import IdList, MonthKey

Number = int | Decimal | float
# Evidence lists longer than this keep their first ids and the total (see Figure.evidence_json).
EVIDENCE_CAP = 20_000
# Up to this many members leaving the roll in a period are excluded by name (see member_attendances).
LEAVER_LIST_MAX = 500


@dataclass(frozen=True)
class Figure:
    """One named number with its unit and the ids of the records it was computed from."""

    key: str
    label: str
    value: Number
    unit: str
    evidence_model: str
    evidence_ids: list[int] = field(default_factory=list)
    # For rates: (numerator, denominator), so a report can say "95%（38/40人）".
    basis: tuple[int, int] | None = None
    # Set when the evidence is longer than EVIDENCE_CAP: how many records there are in all
    # (evidence_ids then holds the first EVIDENCE_CAP of them, by id).
    evidence_total: int | None = None

    def to_json(self) -> dict[str, Any]:
        value: Any = float(self.value) if isinstance(self.value, Decimal) else self.value
        return {
            "key": self.key,
            "label": self.label,
            "value": value,
            "unit": self.unit,
            "evidence": self.evidence_json(),
        }

    def evidence_json(self) -> dict[str, Any]:
        evidence: dict[str, Any] = {"model": self.evidence_model, "ids": list(self.evidence_ids)}
        if self.evidence_total is not None and self.evidence_total > len(self.evidence_ids):
            # Province-wide attendance runs to millions of rows: the draft keeps the first ids
            # and says how many there are, rather than a 40 MB list nobody can open.
            evidence["total"] = self.evidence_total
            evidence["truncated"] = True
        return evidence

    @property
    def display(self) -> str:
        """ "12次", "95.0%"."""
        return f"{self.value}{self.unit}"


def percent(part: int, whole: int) -> Decimal:
    """part/whole as a percentage with one decimal, half up (0 of 0 is 0)."""
    if not whole:
        return Decimal("0.0")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# ---- scoped base querysets ------------------------------------------------------------------
def scoped(qs: QuerySet[Any], user: Any) -> QuerySet[Any]:
    """``qs`` limited by ``scope.restrict`` for ``user`` (no limit when user is None).

    The member scope follows a to-many lookup (activity → attendances); it is applied as a
    subquery so that aggregates are not multiplied by the join.
    """
    if user is None:
        return qs
    if get_scope(user).reach == "self":
        return qs.filter(pk__in=restrict(qs.model.objects.all(), user).values("pk"))
    return restrict(qs, user)


def subtree_ids(org: Any) -> QuerySet[Any]:
    """The ids of ``org``'s subtree as a subquery.

    Filtering ``organization_id IN (subquery)`` lets both databases use the (organization,
    date) indexes; a join on ``path LIKE 'x%'`` does not on SQLite (its LIKE with ESCAPE never
    uses an index), which turns a 60-organization bureau into a scan of the whole province.
    """
    from dangjian.orgs.models import Organization

    return Organization.objects.filter(path__startswith=org.path).values("pk")


def held_activities(org: Any, period: Period, user: Any = None) -> QuerySet[Any]:
    from dangjian.activities.models import Activity

    qs = Activity.objects.held().within(period.start, period.end).filter(organization_id__in=subtree_ids(org))
    return scoped(qs, user)


def _inactive_statuses() -> list[str]:
    from dangjian.members.choices import ACTIVE_STATUSES, MemberStatus

    return [s for s in MemberStatus.values if s not in ACTIVE_STATUSES]


def left_by(member_ref: str, day_ref: Any) -> Exists:
    """EXISTS a status change taking the member off the roll (transfer out, death …) before ``day_ref``."""
    from dangjian.members.models import StatusChange

    return Exists(
        StatusChange.objects.filter(
            member_id=OuterRef(member_ref), to_status__in=_inactive_statuses(), date__lt=day_ref
        )
    )


def members_active_on(org: Any, day: datetime.date, user: Any = None) -> QuerySet[Any]:
    """Members of the subtree on the roll on ``day``, read from the dated status history.

    The history is read through non-correlated ``IN (…)`` subqueries, which the database runs
    once and hashes: cheap for 200,000 members, where a per-member EXISTS is not.
    """
    from dangjian.members.choices import ACTIVE_STATUSES
    from dangjian.members.models import Member, StatusChange

    left = StatusChange.objects.filter(to_status__in=_inactive_statuses())
    qs = (
        Member.objects.filter(organization_id__in=subtree_ids(org))
        .filter(Q(admission_date__isnull=True) | Q(admission_date__lte=day))
        .exclude(pk__in=left.filter(date__lte=day).values("member_id"))
        # Off the roll now, but only after ``day``: still counted on ``day``.
        .filter(Q(status__in=ACTIVE_STATUSES) | Q(pk__in=left.filter(date__gt=day).values("member_id")))
    )
    return scoped(qs, user)


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
            to_status__in=_inactive_statuses(),
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


# ---- the grids compliance reads ---------------------------------------------------------------
def raw_rows(qs: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The rows of a values_list() query without Django's per-value converters (hundreds of
    thousands of plain ints and strings at province scale; the converters cost more than the SQL)."""
    from django.db import connections

    sql, params = qs.query.sql_with_params()
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


GridRow = tuple[int, int, int, int, str]


def _credit_scope(qs: QuerySet[Any], user: Any) -> QuerySet[Any]:
    if user is None:
        return qs
    from dangjian.activities.models import Activity

    scope = get_scope(user)
    if scope.reach == "none":
        return qs.none()
    if scope.reach == "self":
        return qs.filter(activity__in=scoped(Activity.objects.all(), user).values("pk"))
    return qs.filter(scope.org_q("activity__organization"))


def activity_grid(
    org: Any,
    start: datetime.date,
    end: datetime.date,
    type_ids: Iterable[int],
    user: Any = None,
    *,
    whole_tree: bool = False,
    extra: Q | None = None,
    split_secretary: bool = False,
) -> list[Any]:
    """Held activities grouped by organization × counted type × month: one aggregate query.

    Returns rows (organization_id, activity_type_id, month key, count, "id,id,…"), plus a last
    column "lectured by the secretary" when ``split_secretary`` (the secretary's yearly lecture
    rule reads it from the same query). The count is of credits, so an activity that counts as
    two types appears once under each. ``whole_tree`` (the organization is the only root) skips
    the path filter, which would cost a join per row.
    """
    from dangjian.activities.choices import HELD_STATUSES
    from dangjian.activities.models import ActivityCredit

    qs = ActivityCredit.objects.filter(
        activity__status__in=HELD_STATUSES,
        activity__held_on__gte=start,
        activity__held_on__lte=end,
    )
    qs = qs.filter(activity_type_id__in=list(type_ids))
    if not whole_tree:
        qs = qs.filter(activity__organization_id__in=subtree_ids(org))
    if extra is not None:
        qs = qs.filter(extra)
    group = ["activity__organization_id", "activity_type_id", MonthKey("activity__held_on")]
    if split_secretary:
        group.append("activity__lecturer_is_secretary")
    rows = raw_rows(
        _credit_scope(qs, user)
        .values_list(*group)
        .annotate(n=Count("activity_id"), ids=IdList("activity_id"))
        .order_by()
    )
    if split_secretary:
        # values_list puts the annotations last: reorder to (org, type, month, n, ids, flag).
        return [(o, t, m, n, ids, flag) for o, t, m, flag, n, ids in rows]
    return list(rows)


def cell_grid(
    org: Any, start: datetime.date, end: datetime.date, type_ids: Iterable[int], user: Any = None
) -> list[GridRow]:
    """Like ``activity_grid`` for activities held by a branch that list participating 党小组:
    grouped by the listed cell, so such a meeting counts for each cell that took part (and for
    no other cell)."""
    from dangjian.activities.choices import HELD_STATUSES
    from dangjian.activities.models import Activity, ActivityCredit

    through = Activity.cells.through
    credits = ActivityCredit.objects.filter(
        activity__status__in=HELD_STATUSES,
        activity__held_on__gte=start,
        activity__held_on__lte=end,
        activity_type_id__in=list(type_ids),
        activity__organization_id__in=subtree_ids(org),
    )
    credits = _credit_scope(credits, user)
    links = through.objects.filter(activity_id__in=credits.values("activity_id")).exclude(
        activity__organization_id=F("organization_id")
    )
    pairs = list(links.values_list("organization_id", "activity_id"))
    if not pairs:
        return []
    by_activity: dict[int, list[int]] = {}
    for cell_id, activity_id in pairs:
        by_activity.setdefault(activity_id, []).append(cell_id)
    grid: dict[tuple[int, int, int], list[int]] = {}
    for activity_id, type_id, key in credits.filter(activity_id__in=list(by_activity)).values_list(
        "activity_id", "activity_type_id", MonthKey("activity__held_on")
    ):
        for cell_id in by_activity[activity_id]:
            grid.setdefault((cell_id, type_id, key), []).append(activity_id)
    return [(c, t, k, len(ids), ",".join(map(str, ids))) for (c, t, k), ids in grid.items()]


# ---- named figures ----------------------------------------------------------------------------
def activity_type_labels() -> dict[str, str]:
    from dangjian.activities.models import ActivityType

    return dict(ActivityType.objects.values_list("code", "name"))


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


def capped_ids(qs: QuerySet[Any], total: int) -> tuple[list[int], int | None]:
    """The first EVIDENCE_CAP ids of ``qs`` and, when there are more, the total to record."""
    if total <= EVIDENCE_CAP:
        return sorted(qs.values_list("pk", flat=True)), None
    return list(qs.order_by("pk").values_list("pk", flat=True)[:EVIDENCE_CAP]), total


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
        members_active_on(org, _as_of(period), user).exclude(Exists(attended)).values_list("pk", flat=True)
    )
    return Figure("members.attended_nothing", "未参加任何活动的党员", len(ids), "人", "members.member", ids)


def talk_count(org: Any, period: Period, user: Any = None) -> Figure:
    ids = sorted(
        held_activities(org, period, user)
        .filter(credits__activity_type__code="talk")
        .values_list("pk", flat=True)
    )
    return Figure("talks.count", "谈心谈话", len(ids), "次", "activities.activity", ids)


def talked_member_ids(org: Any, period: Period, member_ids: QuerySet[Any] | None = None) -> set[int]:
    """Members (of the subtree) who were a party to at least one held talk in the period, anywhere."""
    from dangjian.activities.models import Activity

    talks = (
        Activity.objects.held().within(period.start, period.end).filter(credits__activity_type__code="talk")
    )
    pool = member_ids if member_ids is not None else members_active_on(org, _as_of(period)).values("pk")
    covered: set[int] = set()
    for a, b in talks.filter(Q(talk_party_a__in=pool) | Q(talk_party_b__in=pool)).values_list(
        "talk_party_a_id", "talk_party_b_id"
    ):
        covered.update(x for x in (a, b) if x)
    return covered


def talk_coverage(org: Any, period: Period, user: Any = None) -> Figure:
    """Members on the roll who were a party to ≥1 talk / members on the roll, in % (支部工作条例 Art 18)."""
    active = set(members_active_on(org, _as_of(period), user).values_list("pk", flat=True))
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


def _as_of(period: Period) -> datetime.date:
    """Figures "at the period's end" look at today instead while the period is still running."""
    return min(period.end, today())


def _open_terms(org: Any, user: Any) -> QuerySet[Any]:
    from dangjian.orgs.models import Term

    return scoped(Term.objects.open().filter(organization__path__startswith=org.path), user)


def terms_due_soon(org: Any, period: Period, user: Any = None) -> Figure:
    """Open committee terms falling due within TERM_WARNING_DAYS of the period's end, not yet overdue."""
    from dangjian.orgs.choices import TERM_WARNING_DAYS

    day = _as_of(period)
    ids = sorted(
        _open_terms(org, user)
        .filter(due_on__gte=day, due_on__lte=day + datetime.timedelta(days=TERM_WARNING_DAYS))
        .values_list("pk", flat=True)
    )
    return Figure("terms.due_soon", "即将届满的委员会", len(ids), "个", "orgs.term", ids)


def terms_overdue(org: Any, period: Period, user: Any = None) -> Figure:
    ids = sorted(_open_terms(org, user).filter(due_on__lt=_as_of(period)).values_list("pk", flat=True))
    return Figure("terms.overdue", "超期未换届的委员会", len(ids), "个", "orgs.term", ids)


def member_status_at(org: Any, day: datetime.date, user: Any = None) -> dict[int, str]:
    """Each subtree member's status on ``day`` from the dated history (absent: not yet admitted).

    Two queries: the members, and their status changes. Without a change before ``day`` the
    state is the "from" status of the first later change, or the admission/confirmation dates.
    """
    from dangjian.members.choices import MemberStatus
    from dangjian.members.models import Member, StatusChange

    members = scoped(Member.objects.filter(organization_id__in=subtree_ids(org)), user)
    changes: dict[int, list[tuple[datetime.date, str, str]]] = {}
    for member_id, date, from_status, to_status in (
        StatusChange.objects.filter(member__in=members.values("pk"))
        .order_by("member_id", "date", "id")
        .values_list("member_id", "date", "from_status", "to_status")
    ):
        changes.setdefault(member_id, []).append((date, from_status, to_status))
    states: dict[int, str] = {}
    for pk, status, admitted, confirmed in members.values_list(
        "pk", "status", "admission_date", "confirmation_date"
    ):
        if admitted and admitted > day:
            continue
        history = changes.get(pk, [])
        before = [c for c in history if c[0] <= day]
        after = [c for c in history if c[0] > day]
        if before:
            state = before[-1][2]
        elif after and after[0][1]:
            state = after[0][1]
        else:
            state = status
        # A member confirmed after ``day`` was still probationary on it, history or not.
        if state == MemberStatus.FULL and confirmed and confirmed > day:
            state = MemberStatus.PROBATIONARY
        states[pk] = state
    return states


def member_counts(org: Any, period: Period, user: Any = None) -> dict[str, Figure]:
    """Members by status at the period's end, plus "members.active" (full + probationary)."""
    from dangjian.members.choices import ACTIVE_STATUSES, MemberStatus

    states = member_status_at(org, _as_of(period), user)
    figures: dict[str, Figure] = {}
    for status in MemberStatus:
        ids = sorted(pk for pk, s in states.items() if s == status)
        figures[f"members.status.{status.value}"] = Figure(
            f"members.status.{status.value}", status.label, len(ids), "人", "members.member", ids
        )
    active = sorted(pk for pk, s in states.items() if s in ACTIVE_STATUSES)
    figures["members.active"] = Figure(
        "members.active", "党员总数", len(active), "人", "members.member", active
    )
    return figures


# ---- figures the report genres use -------------------------------------------------------------
def terms_renewed(org: Any, period: Period, user: Any = None) -> Figure:
    """Committees elected (换届) within the period in the subtree."""
    from dangjian.orgs.models import Term

    qs = Term.objects.filter(
        organization__path__startswith=org.path, elected_on__gte=period.start, elected_on__lte=period.end
    )
    ids = sorted(scoped(qs, user).values_list("pk", flat=True))
    return Figure("terms.renewed", "完成换届选举", len(ids), "个", "orgs.term", ids)


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


# ---- the registry -----------------------------------------------------------------------------
FigureFn = Callable[..., Figure]


REGISTRY: dict[str, FigureFn] = {
    "attendance.rate": attendance_rate,
    "attendance.person_times": attendance_person_times,
    "members.attended_nothing": members_attended_nothing,
    "talks.count": talk_count,
    "talks.coverage": talk_coverage,
    "makeup.completion": makeup_completion,
    "reflections.count": reflections_count,
    "activities.first_agenda": first_agenda_count,
    "activities.secretary_lectures": secretary_lecture_count,
    "terms.due_soon": terms_due_soon,
    "terms.overdue": terms_overdue,
    "terms.renewed": terms_renewed,
}
# Families computed together: "activities.count.<type code>", "members.status.<status>", "members.active".
FAMILY_PREFIXES = ("activities.count.", "members.status.", "participants.")


class UnknownFigure(KeyError):
    """A figure key that is not registered (message in Chinese)."""

    def __str__(self) -> str:
        return f"未知的统计指标“{self.args[0]}”。"


def get(key: str) -> FigureFn:
    """The function computing figure ``key``: ``fn(org, period, user=None) -> Figure``."""
    if key in REGISTRY:
        return REGISTRY[key]
    if key.startswith("activities.count."):
        code = key.removeprefix("activities.count.")
        return lambda org, period, user=None: activity_count(code, org, period, user)
    if key.startswith("members.status.") or key == "members.active":
        return lambda org, period, user=None: member_counts(org, period, user)[key]
    if key.startswith("participants."):
        code = key.removeprefix("participants.")
        return lambda org, period, user=None: participants(code, org, period, user)
    raise UnknownFigure(key)


def keys() -> list[str]:
    """Every key a report may ask for (type counts listed per built-in type code)."""
    from dangjian.activities.choices import BUILTIN_TYPES
    from dangjian.members.choices import MemberStatus

    return [
        *REGISTRY,
        *(f"activities.count.{code}" for code, *_ in BUILTIN_TYPES),
        *(f"participants.{code}" for code, *_ in BUILTIN_TYPES),
        *(f"members.status.{s.value}" for s in MemberStatus),
        "members.active",
    ]


def compute(keys: Iterable[str], org: Any, period: Period | str, user: Any = None) -> dict[str, Figure]:
    """Several figures at once; type counts and member counts share one query each."""
    period = Period.parse(period)
    wanted = list(dict.fromkeys(keys))
    out: dict[str, Figure] = {}
    if any(k.startswith("activities.count.") for k in wanted):
        counts = activity_counts(org, period, user)
        for k in wanted:
            if k.startswith("activities.count."):
                code = k.removeprefix("activities.count.")
                out[k] = counts.get(code) or activity_count(code, org, period, user)
    if any(k.startswith("members.status.") or k == "members.active" for k in wanted):
        counts = member_counts(org, period, user)
        for k in wanted:
            if k in counts:
                out[k] = counts[k]
            elif k.startswith("members.status."):
                raise UnknownFigure(k)
    if "attendance.rate" in wanted and "attendance.person_times" in wanted:
        # One pass over the attendance rows serves both (it is the costliest read at scale).
        rate = attendance_rate(org, period, user)
        out["attendance.rate"] = rate
        out["attendance.person_times"] = attendance_person_times(org, period, user, present=rate.basis[0])
    for k in wanted:
        if k not in out:
            out[k] = get(k)(org, period, user)
    return {k: out[k] for k in wanted}


# ---- per-organization and per-member reads for the compliance rules ---------------------------
# Up to this many members the talks are looked up by party (index); above, all talks are read.
SMALL_ROLL = 5000


def talk_coverage_by_org(
    org: Any, slot: Period, talk_type_id: int | None, user: Any = None, on: datetime.date | None = None
) -> dict[int, tuple[int, int, str]]:
    """{organization id: (members who were a party to ≥1 held talk in ``slot``, members on the
    roll, "id,id,…" of the talks the organization recorded)}.

    Flat reads (the roll; the talks with their two parties) combined in Python: at province
    scale (200,000 members, 160,000 talks a year) several times faster than a per-member EXISTS
    or IN (…) in SQL. The roll is taken at the slot's end (or ``on`` while it runs), so a member
    transferred out mid-year is not expected to have had a talk.
    """
    from collections import Counter

    from dangjian.activities.models import Activity, ActivityType

    active = dict(
        raw_rows(
            members_active_on(org, min(slot.end, on or today()), user).values_list("pk", "organization_id")
        )
    )
    parties: set[int] = set()
    evidence: dict[int, list[str]] = {}
    if talk_type_id is not None and active:
        from dangjian.activities.choices import HELD_STATUSES

        held = {str(x) for x in HELD_STATUSES}
        first, last = slot.start.isoformat(), slot.end.isoformat()
        talks = _scoped_activities(Activity.objects.all(), user)
        columns = (
            "pk",
            "organization_id",
            "talk_party_a_id",
            "talk_party_b_id",
            "held_on",
            "status",
            "activity_type_id",
        )
        if len(active) <= SMALL_ROLL:
            # A small subtree: every talk with a party on its roll, found by the FK index on each
            # party; the period and status are checked here, because given those filters SQLite
            # picks the date index and scans the whole period instead.
            ids = list(active)
            sources = [talks.filter(Q(talk_party_a_id__in=ids) | Q(talk_party_b_id__in=ids))]
        else:
            sources = [
                talks.filter(held_on__gte=slot.start, held_on__lte=slot.end, activity_type_id=talk_type_id)
            ]
        also: set[int] = set()
        # A talk recorded under another type that also counts as one (none of the built-in types).
        if ActivityType.may_also_count_as.through.objects.filter(to_activitytype_id=talk_type_id).exists():
            also = set(
                Activity.objects.filter(
                    held_on__gte=slot.start,
                    held_on__lte=slot.end,
                    credits__activity_type_id=talk_type_id,
                    credits__is_primary=False,
                ).values_list("pk", flat=True)
            )
            if also:
                sources.append(talks.filter(pk__in=also))
        seen: set[int] = set()
        for qs in sources:
            for pk, org_id, a, b, day, status, type_id in raw_rows(qs.values_list(*columns)):
                if pk in seen or status not in held or not first <= str(day)[:10] <= last:
                    continue
                if type_id != talk_type_id and pk not in also:
                    continue
                seen.add(pk)
                parties.add(a)
                parties.add(b)
                evidence.setdefault(org_id, []).append(str(pk))
    totals = Counter(active.values())
    covered = Counter(active[p] for p in parties if p in active)
    return {
        org_id: (covered.get(org_id, 0), total, ",".join(evidence.get(org_id, ())))
        for org_id, total in totals.items()
    }


def _scoped_activities(qs: QuerySet[Any], user: Any) -> QuerySet[Any]:
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
