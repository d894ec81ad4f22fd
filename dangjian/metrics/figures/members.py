"""Figures over the roll: members by status on a day, read from the dated status history."""

from __future__ import annotations

from typing import Any

from dangjian.core.period import Period
from dangjian.metrics.base import as_of, member_states
from dangjian.metrics.figures import Figure


def member_counts(org: Any, period: Period, user: Any = None) -> dict[str, Figure]:
    """Members by status at the period's end, plus "members.active" (full + probationary)."""
    from dangjian.members.choices import ACTIVE_STATUSES, MemberStatus

    states = member_states(org, as_of(period), user)
    figures: dict[str, Figure] = {}
    for status in MemberStatus:
        ids = sorted(pk for pk, _org, _cell, s in states if s == status)
        figures[f"members.status.{status.value}"] = Figure(
            f"members.status.{status.value}", status.label, len(ids), "人", "members.member", ids
        )
    active = sorted(pk for pk, _org, _cell, s in states if s in ACTIVE_STATUSES)
    figures["members.active"] = Figure(
        "members.active", "党员总数", len(active), "人", "members.member", active
    )
    return figures
