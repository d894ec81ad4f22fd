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


# Navigation entries contributed the same way. Whether a user sees an entry is read from the
# @access declaration of the view it points to, so the menu and the page never disagree.
@dataclass(frozen=True)
class NavItem:
    order: int
    label: str
    url_name: str
    # Narrower than the page's own audience, for a page a member may open but needs no menu entry
    # for (the roster shows a member only their own row).
    audience: Any = None


_nav: list[NavItem] = []


def register_nav(item: NavItem) -> None:
    if all(existing.url_name != item.url_name for existing in _nav):
        _nav.append(item)


def _audience(url_name: str) -> Any:
    from django.urls import get_urlconf

    # The declarations are fixed once the views are imported; resolving every entry's URL on
    # every page cost about 2 ms a request.
    key = (url_name, get_urlconf())
    if key not in _audiences:
        _audiences[key] = _declared_audience(url_name)
    return _audiences[key]


_audiences: dict[tuple[str, Any], Any] = {}


def _declared_audience(url_name: str) -> Any:
    from django.urls import resolve, reverse

    from dangjian.core.scope import Audience, get_access

    declared = get_access(resolve(reverse(url_name)).func)
    return declared.audience if declared else Audience.ADMIN


def nav_items(scope: Any) -> list[NavItem]:
    return sorted(
        (
            item
            for item in _nav
            if scope.allows(_audience(item.url_name))
            and (item.audience is None or scope.allows(item.audience))
        ),
        key=lambda i: i.order,
    )
