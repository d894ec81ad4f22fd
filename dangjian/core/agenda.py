"""What falls due: the one registry every app feeds its deadlines and warnings into.

An app registers a source in its AppConfig.ready(); a source gets the user, the day and a horizon
and returns the items inside the user's reach that are overdue or fall due within the horizon.
The home page's to-do list, the compliance warnings and the daily e-mail digest all read
``due_items()``, so they never disagree about what is late.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

LEVEL_ORDER = {"danger": 0, "warn": 1, "info": 2}


@dataclass(frozen=True)
class DueItem:
    """One thing someone should act on by a date, with the rule or local setting behind it."""

    kind: str  # a stable code per source: "rectification", "service", "letter" …
    label: str  # what it is, in Chinese: 整改事项、为民办实事 …
    title: str
    org_name: str
    due_on: datetime.date | None
    overdue: bool
    url: str
    basis: str  # a regulation article from RULES.md, or "本单位规定（…）"
    level: str = "warn"  # "danger" (overdue), "warn" (due soon), "info"

    @property
    def sort_key(self) -> tuple[Any, ...]:
        return (
            LEVEL_ORDER.get(self.level, 9),
            not self.overdue,
            self.due_on or datetime.date.max,
            self.title,
        )


DueSource = Callable[[Any, datetime.date, datetime.date], list[DueItem]]
_sources: list[DueSource] = []


def register_due_source(fn: DueSource) -> DueSource:
    if fn not in _sources:
        _sources.append(fn)
    return fn


def due_items(user: Any, on: datetime.date, *, horizon_days: int = 7) -> list[DueItem]:
    """Everything overdue or falling due by ``on + horizon_days`` that ``user`` may see."""
    until = on + datetime.timedelta(days=horizon_days)
    found = [item for source in _sources for item in source(user, on, until)]
    return sorted(found, key=lambda item: item.sort_key)


# Items shown per kind on the home page; the rest of a long queue is counted, and its page
# (every item of a kind links there) lists them all.
SHOWN_PER_KIND = 3


@dataclass(frozen=True)
class DueGroup:
    """The items of one kind on the home page: the most urgent few and how many there are."""

    label: str
    items: list[DueItem]
    count: int
    overdue: int

    @property
    def more(self) -> int:
        return self.count - len(self.items)


def group(items: list[DueItem], per_kind: int = SHOWN_PER_KIND) -> list[DueGroup]:
    """``items`` (sorted) by kind, kinds in the order of their most urgent item."""
    by_kind: dict[str, list[DueItem]] = {}
    for item in items:
        by_kind.setdefault(item.kind, []).append(item)
    return [
        DueGroup(found[0].label, found[:per_kind], len(found), sum(1 for i in found if i.overdue))
        for found in by_kind.values()
    ]


def todo_panel(request: Any) -> Any:
    """The home page's 待办事项: every source's items for this user, most urgent first."""
    from dangjian.core.dates import today
    from dangjian.core.home import Panel
    from dangjian.core.scope import Reach, get_scope

    if get_scope(request.user).reach == Reach.NONE:
        return None
    items = due_items(request.user, today())
    return Panel(
        order=5,
        template="core/panel_todo.html",
        context={
            "count": len(items),
            "groups": group(items),
            "overdue": sum(1 for item in items if item.overdue),
        },
    )
