"""Panels on the home page, contributed by the apps above core.

core renders the home page but knows nothing of organizations, members or warnings; each app
registers a panel function in its AppConfig.ready(). A panel gets the request and returns a
template name and context, or None when it has nothing for this user.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    order: int
    template: str
    context: dict[str, Any]


PanelFn = Callable[[HttpRequest], Panel | None]
_panels: list[PanelFn] = []


def register_panel(fn: PanelFn) -> PanelFn:
    if fn not in _panels:
        _panels.append(fn)
    return fn


def panels_for(request: HttpRequest) -> list[Panel]:
    found = [p for p in (fn(request) for fn in _panels) if p is not None]
    return sorted(found, key=lambda p: p.order)


# Navigation entries contributed the same way: (order, label, url name, predicate on scope).
@dataclass(frozen=True)
class NavItem:
    order: int
    label: str
    url_name: str
    visible: Callable[[Any], bool] = lambda scope: scope.reach != "none"


_nav: list[NavItem] = []


def register_nav(item: NavItem) -> None:
    if all(existing.url_name != item.url_name for existing in _nav):
        _nav.append(item)


def nav_items(scope: Any) -> list[NavItem]:
    return sorted((item for item in _nav if item.visible(scope)), key=lambda i: i.order)
