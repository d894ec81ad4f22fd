"""Figures over honours (表彰): honours granted in the period to the subtree's organizations and
members, in all, by level, and to members or to organizations; each with the honours behind it."""

from __future__ import annotations

from typing import Any

from dangjian.core.period import Period
from dangjian.metrics.base import scoped, subtree_ids
from dangjian.metrics.figures import Figure

MODEL = "honours.honour"


def _levels() -> list[tuple[str, str]]:
    from dangjian.honours.choices import HonourLevel

    return list(HonourLevel.choices)


def keys() -> list[str]:
    return [
        "honours.count",
        "honours.members",
        "honours.orgs",
        *(f"honours.level.{code}" for code, _ in _levels()),
    ]


def honour_counts(org: Any, period: Period, user: Any = None) -> dict[str, Figure]:
    """Every figure of ``keys()`` from one read of the honours awarded in the period."""
    from dangjian.honours.models import Honour

    qs = Honour.objects.filter(
        organization_id__in=subtree_ids(org), awarded_on__gte=period.start, awarded_on__lte=period.end
    )
    rows = list(scoped(qs, user).order_by().values_list("pk", "level", "member_id"))
    # the titles a report quotes ("获得“全国先进基层党组织”等表彰"), highest level first
    titles = tuple(
        dict.fromkeys(scoped(qs, user).order_by("level", "-awarded_on").values_list("title", flat=True)[:5])
    )
    # the titles to members and to organizations apart ("党员获得“优秀共产党员”等表彰")
    by_whom = list(scoped(qs, user).order_by("level", "-awarded_on").values_list("title", "member_id"))
    member_titles = tuple(dict.fromkeys(t for t, m in by_whom if m))[:5]
    org_titles = tuple(dict.fromkeys(t for t, m in by_whom if not m))[:5]
    everything = sorted(pk for pk, _level, _member in rows)
    members = sorted(pk for pk, _level, member in rows if member)
    orgs = sorted(pk for pk, _level, member in rows if not member)
    figures = {
        "honours.count": Figure(
            "honours.count", "获得表彰", len(everything), "项", MODEL, everything, names=titles
        ),
        "honours.members": Figure(
            "honours.members", "党员获得表彰", len(members), "人次", MODEL, members, names=member_titles
        ),
        "honours.orgs": Figure(
            "honours.orgs", "党组织获得表彰", len(orgs), "项", MODEL, orgs, names=org_titles
        ),
    }
    for code, label in _levels():
        ids = sorted(pk for pk, level, _member in rows if level == code)
        key = f"honours.level.{code}"
        figures[key] = Figure(key, f"{label}表彰", len(ids), "项", MODEL, ids)
    return figures
