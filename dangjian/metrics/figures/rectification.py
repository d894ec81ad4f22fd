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

import datetime
from typing import Any

from dangjian.core.period import Period
from dangjian.metrics.base import as_of, scoped, subtree_ids
from dangjian.metrics.figures import Figure, percent

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


def finding_rows(org: Any, period: Period, user: Any = None) -> list[tuple[Any, ...]]:
    """(id, source, found_on, status, closed_on, deadline, reopen_count) of the subtree's findings
    found by the period's end (one query)."""
    from dangjian.rectification.models import Finding

    qs = Finding.objects.filter(organization_id__in=subtree_ids(org), found_on__lte=period.end)
    return list(
        scoped(qs, user)
        .order_by()
        .values_list("pk", "source", "found_on", "status", "closed_on", "deadline", "reopen_count")
    )


def _state_ids(
    rows: list[tuple[Any, ...]], period: Period, day: datetime.date
) -> dict[str, list[tuple[int, str]]]:
    out: dict[str, list[tuple[int, str]]] = {state: [] for state in STATES}
    for pk, source, found_on, status, closed_on, deadline, reopened in rows:
        if period.start <= found_on <= period.end:
            out["found"].append((pk, source))
        closed = status == "closed" and closed_on is not None
        if closed and period.start <= closed_on <= period.end:
            out["closed"].append((pk, source))
        if found_on <= day and not (closed and closed_on <= day):
            out["open"].append((pk, source))
            if deadline < day:
                out["overdue"].append((pk, source))
            if reopened:
                out["reopened"].append((pk, source))
    return out


def finding_counts(org: Any, period: Period, user: Any = None) -> dict[str, Figure]:
    """Every figure of ``keys()`` from one read of the findings."""
    day = as_of(period)
    rows = finding_rows(org, period, user)
    states = _state_ids(rows, period, day)
    figures: dict[str, Figure] = {}
    for state, (label, unit) in STATES.items():
        pairs = states[state]
        ids = sorted(pk for pk, _ in pairs)
        figures[f"rectification.{state}"] = Figure(
            f"rectification.{state}", label, len(ids), unit, MODEL, ids
        )
        for code, source_label in _sources():
            mine = sorted(pk for pk, source in pairs if source == code)
            key = f"rectification.{state}.{code}"
            figures[key] = Figure(key, f"{source_label}{label}", len(mine), unit, MODEL, mine)
    found = {pk for pk, _ in states["found"]}
    closed_by_end = sorted(
        pk
        for pk, _source, _found_on, status, closed_on, *_ in rows
        if pk in found and status == "closed" and closed_on is not None and closed_on <= day
    )
    figures["rectification.close_rate"] = Figure(
        "rectification.close_rate",
        "整改完成率",
        percent(len(closed_by_end), len(found)),
        "%",
        MODEL,
        closed_by_end,
        basis=(len(closed_by_end), len(found)),
    )
    return figures
