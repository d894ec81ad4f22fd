"""Figures over the organization tree: organizations by kind, committee terms due, overdue and renewed."""

from __future__ import annotations

import datetime
from typing import Any

from dangjian.core.period import Period
from dangjian.metrics.base import as_of, open_terms, organizations_on, scoped
from dangjian.metrics.figures import Figure


def terms_due_soon(org: Any, period: Period, user: Any = None) -> Figure:
    """Open committee terms falling due within TERM_WARNING_DAYS of the period's end, not yet overdue."""
    from dangjian.orgs.choices import TERM_WARNING_DAYS

    day = as_of(period)
    ids = sorted(
        open_terms(org, user)
        .filter(due_on__gte=day, due_on__lte=day + datetime.timedelta(days=TERM_WARNING_DAYS))
        .values_list("pk", flat=True)
    )
    return Figure("terms.due_soon", "即将届满的委员会", len(ids), "个", "orgs.term", ids)


def terms_overdue(org: Any, period: Period, user: Any = None) -> Figure:
    ids = sorted(open_terms(org, user).filter(due_on__lt=as_of(period)).values_list("pk", flat=True))
    return Figure("terms.overdue", "超期未换届的委员会", len(ids), "个", "orgs.term", ids)


def terms_renewed(org: Any, period: Period, user: Any = None) -> Figure:
    """Committees elected (换届) within the period in the subtree."""
    from dangjian.orgs.models import Term

    qs = Term.objects.filter(
        organization__path__startswith=org.path, elected_on__gte=period.start, elected_on__lte=period.end
    )
    ids = sorted(scoped(qs, user).values_list("pk", flat=True))
    return Figure("terms.renewed", "完成换届选举", len(ids), "个", "orgs.term", ids)


def terms_due(org: Any, period: Period, user: Any = None) -> Figure:
    """Open committee terms to renew: overdue, or falling due within TERM_WARNING_DAYS."""
    from dangjian.orgs.choices import TERM_WARNING_DAYS

    limit = as_of(period) + datetime.timedelta(days=TERM_WARNING_DAYS)
    ids = sorted(open_terms(org, user).filter(due_on__lte=limit).values_list("pk", flat=True))
    return Figure("terms.due", "需换届的委员会", len(ids), "个", "orgs.term", ids)


def org_counts(org: Any, period: Period, user: Any = None) -> dict[str, Figure]:
    """ "orgs.count.<kind>": the subtree's organizations of each kind standing at the period's end."""
    from dangjian.orgs.choices import OrgKind

    by_kind: dict[str, list[int]] = {kind.value: [] for kind in OrgKind}
    for pk, kind in organizations_on(org, as_of(period), user).values_list("pk", "kind"):
        by_kind.setdefault(kind, []).append(pk)
    return {
        f"orgs.count.{kind}": Figure(
            f"orgs.count.{kind}", OrgKind(kind).label, len(ids), "个", "orgs.organization", sorted(ids)
        )
        for kind, ids in by_kind.items()
    }
