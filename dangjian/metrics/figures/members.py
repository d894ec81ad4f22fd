"""Figures over the roll: members by status on a day, read from the dated status history."""

from __future__ import annotations

from typing import Any

from dangjian.core.period import Period
from dangjian.metrics.base import as_of, member_states
from dangjian.metrics.figures import Figure
from dangjian.orgs.choices import OrgKind


def member_counts(org: Any, period: Period, user: Any = None) -> dict[str, Figure]:
    """Members by status at the period's end, plus "members.active" (full + probationary) and
    "members.direct" (those on the roll of ``org`` itself, not of an organization below it; for
    a 党小组, its members)."""
    from dangjian.members.choices import ACTIVE_STATUSES, MemberStatus

    states = member_states(org, as_of(period), user)
    figures: dict[str, Figure] = {}
    for status in MemberStatus:
        ids = sorted(pk for pk, _org, _cell, s in states if s == status)
        figures[f"members.status.{status.value}"] = Figure(
            f"members.status.{status.value}", status.label, len(ids), "人", "members.member", ids
        )
    active = [(pk, org_id, cell_id) for pk, org_id, cell_id, s in states if s in ACTIVE_STATUSES]
    figures["members.active"] = Figure(
        "members.active", "党员总数", len(active), "人", "members.member", sorted(pk for pk, *_ in active)
    )
    own = org.pk if org.kind != OrgKind.CELL else None
    direct = sorted(pk for pk, org_id, _cell in active if org_id == own or own is None)
    figures["members.direct"] = Figure(
        "members.direct", "本级党员", len(direct), "人", "members.member", direct
    )
    return figures
