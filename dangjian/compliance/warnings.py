"""Warnings for home pages and the dashboard: what is missing or due, who is drifting away,
which committee must be re-elected — each citing the article behind it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.urls import NoReverseMatch, reverse

from dangjian.compliance.choices import CellStatus, RuleKind
from dangjian.compliance.evaluator import Matrix, evaluate
from dangjian.compliance.figures import warning_figures
from dangjian.compliance.models import Rule
from dangjian.core.dates import add_months, today
from dangjian.core.period import Period
from dangjian.core.scope import get_scope
from dangjian.metrics import base

LEVEL_ORDER = {"danger": 0, "warn": 1}


@dataclass(frozen=True)
class Warning:
    """One line on a warning list: how serious, about whom, what, and the article behind it."""

    level: str  # "danger" (missing, lapsed, overdue) | "warn" (due soon)
    category: str  # "org" | "member" | "term"
    org_id: int
    org_name: str
    text: str
    source: str
    url: str = ""
    member_id: int | None = None
    # By when it must be done (a warning that is coming due): the to-do list keeps this week's.
    due_on: datetime.date | None = None

    @property
    def level_label(self) -> str:
        return "已逾期" if self.level == "danger" else "临近期限"


def safe_reverse(name: str, *args: Any) -> str:
    """A URL if that page exists yet (other apps add their pages independently), else ""."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def org_warnings(matrix: Matrix) -> list[Warning]:
    """Missing slots so far this period (one line per organization × rule) and cells due soon."""
    found: list[Warning] = []
    for org in matrix.orgs:
        for spec in matrix.rules_for_kind(org.kind):
            missing: list[Period] = []
            for slot in matrix.slots_for(spec):
                cell = matrix.cell(org, spec, slot)
                if cell.status == CellStatus.MISSING:
                    missing.append(slot)
                elif cell.status == CellStatus.DUE:
                    rule = spec.row_for(slot)
                    days_left = (slot.end - matrix.on).days
                    if rule and days_left <= rule.due_soon_days:
                        found.append(
                            Warning(
                                "warn",
                                "org",
                                org.id,
                                org.name,
                                f"{slot.label}{spec.name}尚未完成（{cell.count}/{cell.minimum}），还剩{days_left + 1}天",
                                cell.source,
                                _dashboard_url(matrix, org.id),
                                due_on=slot.end,
                            )
                        )
            if missing:
                words = "、".join(s.short_label for s in missing)
                found.append(
                    Warning(
                        "danger",
                        "org",
                        org.id,
                        org.name,
                        f"{spec.name}未按要求完成：{words}（{spec.current.requirement}）",
                        spec.current.source,
                        _dashboard_url(matrix, org.id),
                    )
                )
    return found


def _dashboard_url(matrix: Matrix, org_id: int) -> str:
    return f"{safe_reverse('compliance:dashboard')}?org={org_id}&period={matrix.period.code}"


def lapse_warnings(org: Any, on: datetime.date, user: Any = None, rule: Rule | None = None) -> list[Warning]:
    """Members close to or past 6 consecutive months without organizational life (党章 Art 9).

    Organizational life = present at, or made up, a held activity of a type that counts as
    organizational life. A member admitted or transferred in less than 6 months ago is not
    judged yet.
    """
    from dangjian.members.choices import TransferDirection
    from dangjian.members.models import Transfer

    rule = rule or Rule.objects.active().filter(kind=RuleKind.LAPSE).order_by("-valid_from").first()
    if rule is None:
        return []
    months = rule.minimum or 6
    lapse_cut = add_months(on, -months)  # last organizational life on or before this: lapsed
    warn_cut = lapse_cut + datetime.timedelta(days=rule.due_soon_days)
    recent_in = Transfer.objects.filter(
        member_id=OuterRef("pk"), direction=TransferDirection.IN, date__gt=lapse_cut
    )
    candidates = (
        base.members_without_org_life(org, warn_cut, on, user)
        .filter(Q(admission_date__isnull=True) | Q(admission_date__lte=lapse_cut))
        .exclude(Exists(recent_in))
        .select_related("organization")
    )
    candidates = list(candidates)
    last = base.last_org_life([m.pk for m in candidates], on)
    found: list[Warning] = []
    for member in candidates:
        when = last.get(member.pk)
        lapsed = when is None or when <= lapse_cut
        if when is None:
            text = f"党员{member.name}近{months}个月以上没有参加组织生活的记录"
        elif lapsed:
            text = f"党员{member.name}自{when.year}年{when.month}月{when.day}日以来未参加组织生活，已满{months}个月"
        else:
            text = f"党员{member.name}自{when.year}年{when.month}月{when.day}日以来未参加组织生活，即将满{months}个月"
        found.append(
            Warning(
                "danger" if lapsed else "warn",
                "member",
                member.organization_id,
                member.organization.name,
                text,
                rule.source,
                safe_reverse("members:detail", member.pk),
                member.pk,
                due_on=add_months(when, months) if when and not lapsed else None,
            )
        )
    return found


def term_warnings(org: Any, on: datetime.date, user: Any = None, rule: Rule | None = None) -> list[Warning]:
    """Open committee terms overdue or falling due within the window (支部工作条例 Art 21 …)."""
    from dangjian.orgs.models import Term

    rule = rule or Rule.objects.active().filter(kind=RuleKind.TERM).order_by("-valid_from").first()
    days = rule.due_soon_days if rule else 90
    terms = base.scoped(
        Term.objects.due_within(days, on=on).filter(organization__path__startswith=org.path), user
    ).select_related("organization")
    found: list[Warning] = []
    for term in terms:
        overdue = term.due_on < on
        due = f"{term.due_on.year}年{term.due_on.month}月{term.due_on.day}日"
        text = f"委员会任期已于{due}届满，尚未换届" if overdue else f"委员会任期将于{due}届满，请做好换届准备"
        found.append(
            Warning(
                "danger" if overdue else "warn",
                "term",
                term.organization_id,
                term.organization.name,
                text,
                term.source or (rule.source if rule else ""),
                safe_reverse("orgs:detail", term.organization_id),
                due_on=term.due_on,
            )
        )
    return found


def gather(
    org: Any,
    *,
    on: datetime.date | None = None,
    user: Any = None,
    period: Period | None = None,
    matrix: Matrix | None = None,
) -> list[Warning]:
    """Every warning for ``org``'s subtree, unsorted: the period's (this year's) missing and due
    cells in tree order, then members, then terms. ``matrix``: the period's matrix if already
    evaluated (the dashboard's), so it is not evaluated twice."""
    on = on or today()
    if matrix is None:
        matrix = evaluate(org, period or Period.year(on.year), user=user, on=on)
    return org_warnings(matrix) + lapse_warnings(org, on, user) + term_warnings(org, on, user)


def collect(
    org: Any, *, on: datetime.date | None = None, user: Any = None, period: Period | None = None
) -> list[Warning]:
    """Every warning for ``org``'s subtree, most serious first."""
    return sorted(gather(org, on=on, user=user, period=period), key=_severity)


def _severity(w: Warning) -> tuple[int, bool, str]:
    return (LEVEL_ORDER.get(w.level, 9), w.category != "org", w.org_name)


def scope_roots(user: Any) -> list[Any]:
    """The organizations whose subtrees make up an officer's scope (top-level ones for "all")."""
    return base.reach_roots(user) if get_scope(user).is_officer else []


def warnings_for_user(user: Any, on: datetime.date | None = None, limit: int = 8) -> dict[str, Any] | None:
    """The home panel's context: the user's warnings (scoped), most serious first.

    Cached per user and day under the ledger version: at province scale the evaluation takes
    seconds, and any recorded change (a meeting, a transfer) moves the version on, so the
    panel is never staler than the last write.
    """
    from django.core.cache import cache

    from dangjian.core.audit import ledger_version

    day = on or today()
    key = f"compliance:home:{getattr(user, 'pk', None)}:{day.isoformat()}:{ledger_version()}"
    cached = cache.get(key)
    if cached is None:
        cached = _warnings_for_user(user, day, limit) or {}
        cache.set(key, cached, 3600)
    return cached or None


def _warnings_for_user(user: Any, on: datetime.date, limit: int) -> dict[str, Any] | None:
    roots = scope_roots(user)
    if not roots:
        return None
    found: list[Warning] = []
    for root in roots:
        found.extend(gather(root, on=on, user=user))
    found.sort(key=_severity)
    # The counts are the warning figures (what metrics.compute gives for "warnings.*").
    counts = warning_figures(found)
    return {
        "warnings": found[:limit],
        # Every warning coming due, for the to-do list (the panel shows only the first few).
        "coming_due": [w for w in found if w.level == "warn" and w.due_on],
        "total": counts["warnings.total"].value,
        "danger": counts["warnings.danger"].value,
        "warn": counts["warnings.warn"].value,
        "dashboard_url": safe_reverse("compliance:dashboard"),
    }
