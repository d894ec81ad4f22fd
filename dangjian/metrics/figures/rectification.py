"""Figures over the rectification ledger (整改台账): problems found, closed, in progress and overdue,
in all and by source, for the subtree and the period; each with the findings behind it.

- found: found in the period;
- closed: closed (销号) in the period (a finding reopened since is open again and not counted);
- open: still being rectified at the period's end (found by then, not closed by then);
- overdue: of those, past their deadline at the period's end;
- reopened: of those, reopened at least once;
- close_rate: of the findings found in the period, the share closed by the period's end.
"""

from __future__ import annotations

from typing import Any

from dangjian.core.period import Period
from dangjian.metrics.base import as_of, scoped, subtree_ids
from dangjian.metrics.figures import Figure, percent
from dangjian.metrics.sql import IdList, parse_ids

MODEL = "rectification.finding"
STATES = {
    "found": ("发现问题", "个"),
    "closed": ("已销号问题", "个"),
    "open": ("正在整改问题", "个"),
    "overdue": ("超期未整改问题", "个"),
    "reopened": ("重新整改问题", "个"),
}


def _sources() -> list[tuple[str, str]]:
    from dangjian.rectification.choices import FindingSource

    return list(FindingSource.choices)


def keys() -> list[str]:
    found = [f"rectification.{state}" for state in STATES]
    found += [f"rectification.{state}.{code}" for state in STATES for code, _ in _sources()]
    return [*found, "rectification.close_rate"]


def state_ids(org: Any, period: Period, user: Any = None) -> dict[str, dict[str, list[int]]]:
    """{state: {source: finding ids}} for the subtree, from one grouped query: the database
    filters and concatenates the ids (50,000 findings of a province stay a few hundred ms)."""
    from django.db.models import Q

    from dangjian.rectification.models import Finding

    day = as_of(period)
    open_at_day = Q(found_on__lte=day) & (Q(status="open") | Q(closed_on__gt=day))
    conditions = {
        "found": Q(found_on__gte=period.start, found_on__lte=period.end),
        "closed": Q(status="closed", closed_on__gte=period.start, closed_on__lte=period.end),
        "open": open_at_day,
        "overdue": open_at_day & Q(deadline__lt=day),
        "reopened": open_at_day & Q(reopen_count__gt=0),
        # for the close rate: found in the period and closed by its end
        "found_closed": Q(
            found_on__gte=period.start, found_on__lte=period.end, status="closed", closed_on__lte=day
        ),
    }
    qs = Finding.objects.filter(organization_id__in=subtree_ids(org), found_on__lte=period.end).filter(
        Q(found_on__gte=period.start) | Q(status="open") | Q(closed_on__gte=period.start)
    )
    rows = (
        scoped(qs, user)
        .order_by()
        .values("source")
        .annotate(**{name: IdList("pk", filter=q) for name, q in conditions.items()})
        .values_list("source", *conditions)
    )
    out: dict[str, dict[str, list[int]]] = {name: {} for name in conditions}
    for source, *lists in rows:
        for name, text in zip(conditions, lists, strict=True):
            out[name][source] = parse_ids(text)
    return out


def finding_counts(org: Any, period: Period, user: Any = None) -> dict[str, Figure]:
    """Every figure of ``keys()`` from one read of the findings."""
    states = state_ids(org, period, user)
    figures: dict[str, Figure] = {}
    for state, (label, unit) in STATES.items():
        by_source = states[state]
        ids = sorted(pk for found in by_source.values() for pk in found)
        figures[f"rectification.{state}"] = Figure(
            f"rectification.{state}", label, len(ids), unit, MODEL, ids
        )
        for code, source_label in _sources():
            mine = by_source.get(code, [])
            key = f"rectification.{state}.{code}"
            figures[key] = Figure(key, f"{source_label}{label}", len(mine), unit, MODEL, mine)
    found = sum(len(ids) for ids in states["found"].values())
    closed_by_end = sorted(pk for ids in states["found_closed"].values() for pk in ids)
    figures["rectification.close_rate"] = Figure(
        "rectification.close_rate",
        "整改完成率",
        percent(len(closed_by_end), found),
        "%",
        MODEL,
        closed_by_end,
        basis=(len(closed_by_end), found),
    )
    return figures
