"""The figure catalogue: every named figure by key, how to compute one, and several at once.

Built-in figures are registered below; apps above metrics add theirs in ``AppConfig.ready()``
(compliance registers the warning counts), so a report, the home page and the compliance page
all ask the one catalogue: ``get(key)``, ``compute(keys, org, period, user)``, ``keys()``.

A *family* is a set of figures one read serves together ("members.status.<status>" from one
pass over the roll, "activities.count.<type>" from one query over the credits); asking for any
of them computes the family once. ``one`` computes a single member of a family by its suffix
when no family read is needed (a type code outside the catalogue, "participants.<type>").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from dangjian.core.period import Period
from dangjian.metrics.base import reach_roots
from dangjian.metrics.figures import Figure, UnknownFigure, combine, drafting, orgs
from dangjian.metrics.figures import activities as act
from dangjian.metrics.figures import campaigns as campaign_figures
from dangjian.metrics.figures import dues as dues_figures
from dangjian.metrics.figures import duties as duty_figures
from dangjian.metrics.figures import honours as honour_figures
from dangjian.metrics.figures import integrity as integrity_figures
from dangjian.metrics.figures import members as mem
from dangjian.metrics.figures import recruitment as cases
from dangjian.metrics.figures import rectification as rect
from dangjian.metrics.figures import reports_extra as extra

FigureFn = Callable[..., Figure]  # fn(org, period, user=None) -> Figure
FamilyFn = Callable[..., dict[str, Figure]]  # fn(org, period, user=None) -> {key: Figure}
OneFn = Callable[[str, Any, Period, Any], Figure]  # fn(suffix, org, period, user) -> Figure
ManyFn = Callable[[list[str], Any, Period, Any], dict[str, Figure]]  # fn(suffixes, …) -> {suffix: Figure}
# fn([(suffix, org, period), …], user) -> [value, …]: one value per request, read together
EachFn = Callable[[list[tuple[str, Any, Period]], Any], list[Any]]


@dataclass(frozen=True)
class Family:
    """Figures under one key prefix that one read serves together."""

    prefix: str
    keys: Callable[[], list[str]]  # the members listed in the catalogue
    compute: FamilyFn | None = None  # every member at once
    one: OneFn | None = None  # any member by its suffix, also one not listed
    name: str = ""  # to tell apart families sharing a prefix (default: the prefix)
    many: ManyFn | None = None  # several members by their suffixes, sharing their reads
    each: EachFn | None = None  # members' values over many organizations and periods at once
    each_suffixes: Callable[[str], bool] | None = None  # which suffixes ``each`` can read

    def owns(self, key: str) -> bool:
        return key.startswith(self.prefix) and (self.one is not None or key in self.keys())


_singles: dict[str, FigureFn] = {}
_families: list[Family] = []


def register(key: str, fn: FigureFn) -> None:
    """Add (or replace) the figure ``key``."""
    _singles[key] = fn


def register_family(family: Family) -> None:
    """Add (or replace, by name) a family of figures."""
    name = family.name or family.prefix
    _families[:] = [f for f in _families if (f.name or f.prefix) != name]
    _families.append(family)


def _family_of(key: str) -> Family | None:
    return next((f for f in _families if f.owns(key)), None)


def _pick(found: dict[str, Figure], key: str) -> Figure:
    if key not in found:
        raise UnknownFigure(key)
    return found[key]


def get(key: str) -> FigureFn:
    """The function computing figure ``key``: ``fn(org, period, user=None) -> Figure``."""
    if key in _singles:
        return _singles[key]
    family = _family_of(key)
    if family is None:
        raise UnknownFigure(key)
    one, compute_all = family.one, family.compute
    if one is not None:
        suffix = key.removeprefix(family.prefix)
        return lambda org, period, user=None: one(suffix, org, period, user)
    assert compute_all is not None
    return lambda org, period, user=None: _pick(compute_all(org, period, user), key)


def keys() -> list[str]:
    """Every key a report may ask for (type counts listed per built-in type code)."""
    return [*_singles, *(k for family in _families for k in family.keys())]


def compute(keys: Iterable[str], org: Any, period: Period, user: Any = None) -> dict[str, Figure]:
    """Several figures at once; the members of a family share its one read."""
    if not isinstance(period, Period):
        raise TypeError(f"period must be a Period, not {type(period).__name__}")
    wanted = list(dict.fromkeys(keys))
    out: dict[str, Figure] = {}
    if "attendance.rate" in wanted and "attendance.person_times" in wanted:
        # One pass over the attendance rows serves both (it is the costliest read at scale).
        rate = act.attendance_rate(org, period, user)
        out["attendance.rate"] = rate
        out["attendance.person_times"] = act.attendance_person_times(org, period, user, present=rate.basis[0])  # type: ignore[index]
    pending = [k for k in wanted if k not in out and k not in _singles]
    for family in _families:
        mine = [k for k in pending if k not in out and family.owns(k)]
        if not mine:
            continue
        found = family.compute(org, period, user) if family.compute is not None else {}
        if family.many is not None:
            suffixes = [k.removeprefix(family.prefix) for k in mine]
            found = {family.prefix + s: f for s, f in family.many(suffixes, org, period, user).items()}
        for k in mine:
            if k in found:
                out[k] = found[k]
            elif family.one is not None:
                out[k] = family.one(k.removeprefix(family.prefix), org, period, user)
            else:
                raise UnknownFigure(k)
    for k in wanted:
        if k not in out:
            out[k] = get(k)(org, period, user)
    return {k: out[k] for k in wanted}


def values_each(
    requests: Iterable[tuple[Iterable[str], Any, Period]], user: Any = None
) -> list[dict[str, Any]]:
    """For each (keys, org, period) request, ``{key: value}`` equal to the values ``compute(keys,
    org, period, user)`` gives; a family that can (``Family.each``) reads its members for all the
    requests together, so a list page asking a few figures per row makes a few queries in all."""
    asked = [(list(dict.fromkeys(keys)), org, period) for keys, org, period in requests]
    out: list[dict[str, Any]] = [{} for _ in asked]
    for family in _families:
        if family.each is None:
            continue
        batch = [
            (n, key)
            for n, (keys, _org, _period) in enumerate(asked)
            for key in keys
            if family.owns(key)
            and (family.each_suffixes is None or family.each_suffixes(key.removeprefix(family.prefix)))
        ]
        if not batch:
            continue
        values = family.each(
            [(key.removeprefix(family.prefix), asked[n][1], asked[n][2]) for n, key in batch], user
        )
        for (n, key), value in zip(batch, values, strict=True):
            out[n][key] = value
    for n, (keys, org, period) in enumerate(asked):
        rest = [k for k in keys if k not in out[n]]
        if rest:
            out[n].update((k, f.value) for k, f in compute(rest, org, period, user).items())
        out[n] = {k: out[n][k] for k in keys}
    return out


def compute_in_reach(keys: Iterable[str], period: Period, user: Any) -> dict[str, Figure]:
    """Figures over everything ``user`` reaches (the home page's panels): over their
    organization's subtree, or over every top-level organization for the whole agency."""
    from dangjian.core.derived import derived
    from dangjian.core.scope import get_scope

    wanted = list(dict.fromkeys(keys))
    # Figures see the user only through their scope (``base.scoped``), so the scope keys them.
    found = derived(
        "metrics.in_reach", get_scope(user), (tuple(wanted), period), lambda: _in_reach(wanted, period, user)
    )
    return dict(found)


def _in_reach(wanted: list[str], period: Period, user: Any) -> dict[str, Figure]:
    roots = reach_roots(user)
    if not roots:
        for key in wanted:
            get(key)  # an unknown key is still an error
        # nothing in reach (a fresh install before its first organization): zeros, labelled in
        # Chinese, never the key itself
        return {key: Figure(key, "暂无数据", 0, "", "") for key in wanted}
    per_root = [compute(wanted, root, period, user) for root in roots]
    return {key: combine(found[key] for found in per_root) for key in wanted}


# ---- the built-in catalogue ------------------------------------------------------------------------
def _type_codes() -> list[str]:
    from dangjian.activities.choices import BUILTIN_TYPES

    return [code for code, *_ in BUILTIN_TYPES]


def _member_keys() -> list[str]:
    from dangjian.members.choices import MemberStatus

    return [*(f"members.status.{s.value}" for s in MemberStatus), "members.active", "members.direct"]


def _attendance_keys() -> list[str]:
    from dangjian.activities.choices import AttendanceStatus

    return [f"attendance.status.{status.value}" for status in AttendanceStatus]


def _org_kind_keys() -> list[str]:
    from dangjian.orgs.choices import OrgKind

    return [f"orgs.count.{kind.value}" for kind in OrgKind]


def _activity_counts(org: Any, period: Period, user: Any = None) -> dict[str, Figure]:
    return {f"activities.count.{code}": fig for code, fig in act.activity_counts(org, period, user).items()}


for _key, _fn in {
    "attendance.rate": act.attendance_rate,
    "attendance.person_times": act.attendance_person_times,
    "members.attended_nothing": act.members_attended_nothing,
    "talks.count": act.talk_count,
    "talks.coverage": act.talk_coverage,
    "makeup.completion": act.makeup_completion,
    "makeup.outstanding": act.makeup_outstanding,
    "reflections.count": act.reflections_count,
    "activities.first_agenda": act.first_agenda_count,
    "activities.secretary_lectures": act.secretary_lecture_count,
    "terms.due_soon": orgs.terms_due_soon,
    "terms.overdue": orgs.terms_overdue,
    "terms.renewed": orgs.terms_renewed,
    "terms.due": orgs.terms_due,
}.items():
    register(_key, _fn)

register_family(
    Family(
        "activities.count.",
        lambda: [f"activities.count.{code}" for code in _type_codes()],
        compute=_activity_counts,
        one=act.activity_count,
    )
)
register_family(
    Family("participants.", lambda: [f"participants.{code}" for code in _type_codes()], one=act.participants)
)
register_family(Family("members.", _member_keys, compute=mem.member_counts))
register_family(
    Family("dues.", lambda: list(dues_figures.COLLECTION_KEYS), compute=dues_figures.collection, name="dues")
)
register_family(
    Family(
        "dues.", lambda: list(dues_figures.STANDING_KEYS), compute=dues_figures.standing, name="dues standing"
    )
)
register_family(Family("cases.", cases.case_keys, compute=cases.case_counts, name="cases"))
register_family(
    Family("cases.", lambda: list(cases.DUE_KEYS), compute=cases.case_items_due, name="cases due")
)
register_family(Family("attendance.status.", _attendance_keys, compute=act.attendance_by_status))
register_family(Family("orgs.count.", _org_kind_keys, compute=orgs.org_counts))

# Issue 10: the responsibility system (duties app).
register("duties.hearings", duty_figures.hearings)
register("duties.liaison_visits", duty_figures.liaison_visits)
register_family(
    Family(
        "duties.items",
        lambda: list(duty_figures.ITEM_KEYS),
        compute=duty_figures.item_counts,
        name="duties items",
    )
)
register_family(
    Family("duties.letters.", lambda: list(duty_figures.LETTER_KEYS), compute=duty_figures.letter_counts)
)
register_family(
    Family(
        "duties.",
        lambda: list(duty_figures.TASK_KEYS),
        compute=duty_figures.key_task_figures,
        name="duties tasks",
    )
)
register("integrity.branches_without_officers", integrity_figures.branches_without_officers)
register("integrity.rules", integrity_figures.rules_issued)
register("integrity.public_expense", integrity_figures.public_expense)
register_family(
    Family(
        "integrity.public_expense.",
        lambda: list(integrity_figures.EXPENSE_KEYS),
        compute=integrity_figures.public_expense_before,
        name="public expense before",
    )
)
register_family(
    Family(
        "integrity.officers",
        lambda: list(integrity_figures.OFFICER_KEYS),
        compute=integrity_figures.officers,
        name="integrity officers",
    )
)
register_family(
    Family(
        "inspections.",
        lambda: list(integrity_figures.INSPECTION_KEYS),
        compute=integrity_figures.inspection_counts,
        name="inspections",
    )
)
register_family(
    Family(
        "integrity.talks", lambda: list(integrity_figures.TALK_KEYS), compute=integrity_figures.talk_counts
    )
)
register_family(
    Family(
        "campaigns.", lambda: list(campaign_figures.CAMPAIGN_KEYS), compute=campaign_figures.campaign_figures
    )
)
register_family(
    Family("pledges.", lambda: list(campaign_figures.PLEDGE_KEYS), compute=campaign_figures.pledge_figures)
)
register_family(
    Family(
        "research.", lambda: list(campaign_figures.RESEARCH_KEYS), compute=campaign_figures.research_figures
    )
)
# One campaign's dashboard: "campaign.<id>.<part>" (campaign_figures.CAMPAIGN_PARTS), not listed.
register_family(
    Family(
        "campaign.",
        lambda: [],
        one=campaign_figures.campaign_one,
        many=campaign_figures.campaign_many,
        each=campaign_figures.campaign_each,
        each_suffixes=campaign_figures.read_in_bulk,
    )
)
register_family(Family("rectification.", rect.keys, compute=rect.finding_counts, name="rectification"))
register_family(Family("honours.", honour_figures.keys, compute=honour_figures.honour_counts, name="honours"))
# Figures the report drafts need (metrics/figures/reports_extra.py); rectification, service
# items and honours come from their own ledgers' figures above.
register("secretaries.no_lecture", extra.secretaries_without_lecture)
register("activities.planned", extra.planned_activities)
register("reflections.discipline", extra.discipline_reflections)
register("members.admitted", extra.admitted)
register_family(
    Family("talks.", lambda: list(extra.TALK_KEYS), compute=extra.talked_with, name="talks people")
)
register_family(Family("topics.", lambda: [], one=extra.topics))
register_family(Family("overlap.", lambda: [], one=extra.overlap))
register_family(Family("person.", lambda: [], one=extra.person))
register_family(Family("reach.", lambda: [], one=extra.reach))
# Issue 11 point 5: records the longer drafts name one by one (metrics/figures/drafting.py).
register_family(Family("duties.key_tasks.kind.", lambda: [], one=drafting.key_tasks_of_kind))
register("named.campaigns", drafting.named_campaigns)
register("named.campaigns.below", drafting.named_campaigns_below)
register("named.research", drafting.named_research)
register("named.results", drafting.named_results)
register("named.renewed", drafting.named_renewed)
register("named.pledges", drafting.named_pledges)
register("rituals.count", drafting.rituals)
register("rituals.participants", drafting.ritual_participants)
register_family(Family("leading_group.", lambda: [], one=drafting.leading_group_above))
register_family(Family("places.", lambda: [], one=extra.places))
register_family(Family("themes.", lambda: [], one=extra.themes))
register("regulations.study", extra.regulation_study)
register("cases.study", extra.case_study)
register("lectures.discipline", extra.discipline_lectures)
