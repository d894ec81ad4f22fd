"""The grids the compliance evaluator reads, and figures per organization for the pages.

Each grid answers for every organization of a subtree at once, in one grouped query or a few
flat reads combined in Python (never a query per organization): held activities by organization
× counted type × month, the same for meetings that list the 党小组 taking part, talk coverage by
organization, and — for the organization tree and the dues overview — the value of a named
figure for every organization, equal to what ``metrics.compute`` gives for each one.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum

from dangjian.core.dates import today
from dangjian.core.period import Period
from dangjian.core.scope import Reach, get_scope
from dangjian.metrics.base import as_of, member_states, members_active_on, reach_roots, scoped, subtree_ids
from dangjian.metrics.sql import IdList, MonthKey, raw_rows

GridRow = tuple[int, int, int, int, str]
# Up to this many members the talks are looked up by party (index); above, all talks are read.
SMALL_ROLL = 5000


def _credit_scope(qs: QuerySet[Any], user: Any) -> QuerySet[Any]:
    if user is None:
        return qs
    from dangjian.activities.models import Activity

    scope = get_scope(user)
    if scope.reach == Reach.NONE:
        return qs.none()
    if scope.only_self:
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
        talks = scoped(Activity.objects.all(), user)
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


# ---- named figures for every organization at once ----------------------------------------------
OrgValues = dict[int, dict[str, Any]]
GridFn = Callable[[Period, Any, "list[Any] | None"], OrgValues]


def _wanted(user: Any, orgs: list[Any] | None) -> list[int]:
    from dangjian.orgs.models import Organization

    if orgs is not None:
        return [o.pk for o in orgs]
    return list(scoped(Organization.objects.all(), user).values_list("pk", flat=True))


def _ancestry(roots: list[Any]) -> dict[int, tuple[int, ...]]:
    """{organization id: ids on its path, itself last} for the subtrees of ``roots`` (one query each)."""
    from dangjian.orgs.models import Organization

    found: dict[int, tuple[int, ...]] = {}
    for root in roots:
        for pk, path in Organization.objects.subtree(root).values_list("pk", "path"):
            found[pk] = tuple(int(part) for part in path.strip("/").split("/") if part)
    return found


def roll_by_org(period: Period, user: Any, orgs: list[Any] | None = None) -> OrgValues:
    """ "members.active" and "members.direct" for every organization: one pass over the roll on
    the period's end (``member_states``), each member added to every organization above them.

    The tree and every organization page show these for the user's whole reach; at province
    scale the pass takes a second or two, so the result is cached per reach and day under the
    ledger version (as the home page's warnings are): any recorded change to a member, their
    history or the tree moves the version on, so the counts are never staler than the last write.
    """
    from django.core.cache import cache

    from dangjian.core.audit import ledger_version

    day = as_of(period)
    scope = get_scope(user)
    key = (
        f"metrics:roll:{scope.reach}:{scope.org_path}:{scope.member_id}:{day.isoformat()}:{ledger_version()}"
    )
    counts = cache.get(key)
    if counts is None:
        counts = _roll_counts(day, user)
        cache.set(key, counts, 3600)
    # An officer's reach is the subtrees of their roots, all counted; a member's is narrower.
    wanted = list(counts) if orgs is None and scope.is_officer else _wanted(user, orgs)
    return {
        pk: {"members.active": counts.get(pk, (0, 0))[0], "members.direct": counts.get(pk, (0, 0))[1]}
        for pk in wanted
    }


def _roll_counts(day: datetime.date, user: Any) -> dict[int, tuple[int, int]]:
    from dangjian.members.choices import ACTIVE_STATUSES

    roots = reach_roots(user)
    ancestry = _ancestry(roots)
    total: Counter[int] = Counter()
    direct: Counter[int] = Counter()
    for root in roots:
        for _pk, org_id, cell_id, state in member_states(root, day, user):
            if state not in ACTIVE_STATUSES:
                continue
            for pk in ancestry.get(org_id, (org_id,)):
                total[pk] += 1
            direct[org_id] += 1
            if cell_id is not None:
                total[cell_id] += 1
                direct[cell_id] += 1
    return {pk: (total[pk], direct[pk]) for pk in ancestry}


def dues_by_org(period: Period, user: Any, orgs: list[Any] | None = None) -> OrgValues:
    """ "dues.due", "dues.paid" and "dues.rate" for every organization: the period's ledger lines
    summed by organization in one grouped query, then added up each line's path."""
    from dangjian.dues.allocation import ZERO, fen
    from dangjian.dues.models import MonthlyDue
    from dangjian.metrics.figures.dues import collection_rate

    ancestry = _ancestry(reach_roots(user))
    due: dict[int, Any] = {}
    paid: dict[int, Any] = {}
    lines = scoped(MonthlyDue.objects.filter(month__gte=period.start, month__lte=period.end), user)
    for org_id, line_due, line_paid in (
        lines.order_by().values_list("organization_id").annotate(Sum("due"), Sum("paid"))
    ):
        for pk in ancestry.get(org_id, (org_id,)):
            due[pk] = due.get(pk, ZERO) + (line_due or ZERO)
            paid[pk] = paid.get(pk, ZERO) + (line_paid or ZERO)
    out: OrgValues = {}
    for pk in _wanted(user, orgs):
        d, p = fen(due.get(pk)), fen(paid.get(pk))
        out[pk] = {"dues.due": d, "dues.paid": p, "dues.rate": collection_rate(p, d)}
    return out


GRIDS: dict[str, GridFn] = {
    "members.active": roll_by_org,
    "members.direct": roll_by_org,
    "dues.due": dues_by_org,
    "dues.paid": dues_by_org,
    "dues.rate": dues_by_org,
}


def per_org(keys: Iterable[str], period: Period, user: Any, orgs: Iterable[Any] | None = None) -> OrgValues:
    """{organization id: {key: value}} for every organization ``user`` reaches (or each of
    ``orgs``): the value ``metrics.compute`` gives for that organization, read for all of them
    at once. Only figures with a grid here can be asked for."""
    from dangjian.metrics.registry import UnknownFigure

    if not isinstance(period, Period):
        raise TypeError(f"period must be a Period, not {type(period).__name__}")
    wanted = list(dict.fromkeys(keys))
    listed = list(orgs) if orgs is not None else None
    out: OrgValues = {}
    for key in wanted:
        if key not in GRIDS:
            raise UnknownFigure(key)
    for fn in dict.fromkeys(GRIDS[key] for key in wanted):
        for org_id, values in fn(period, user, listed).items():
            out.setdefault(org_id, {}).update((k, v) for k, v in values.items() if k in wanted)
    return out
