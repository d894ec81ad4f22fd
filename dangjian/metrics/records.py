"""Records (not numbers) that reports draw on through metrics: highlighted activities."""

from __future__ import annotations

from typing import Any

from dangjian.core.period import Period
from dangjian.metrics.base import held_activities


def highlight_activities(org: Any, period: Period, user: Any = None) -> list[tuple[int, str, str]]:
    """(id, topic, highlight paragraph) of held activities in the subtree marked as highlights."""
    rows = (
        held_activities(org, period, user)
        .filter(is_highlight=True)
        .order_by("held_on", "id")
        .values_list("id", "topic", "highlight_text")
    )
    return [(pk, topic, text or "") for pk, topic, text in rows]
