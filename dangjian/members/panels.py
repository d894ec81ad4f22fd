"""Home-page panels from the roster: members by status, or an ordinary member's own record."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.safestring import mark_safe

from dangjian.core import numbers
from dangjian.core.home import Panel
from dangjian.core.scope import get_scope, restrict
from dangjian.members.choices import MemberStatus
from dangjian.members.models import Member


def roster_panel(request: HttpRequest) -> Panel | None:
    if not get_scope(request.user).is_officer:
        return None
    # Today's roll by the dated status history (metrics), as reports and the tree count it.
    keys = ["members.active", *(f"members.status.{status.value}" for status in MemberStatus)]
    found = numbers.in_reach(keys, numbers.on_day(), request.user)
    rows = [
        (status.value, status.label, found[f"members.status.{status.value}"].value) for status in MemberStatus
    ]
    return Panel(
        order=10,
        template="members/panel_home.html",
        context={"rows": rows, "active": found["members.active"].value},
    )


def self_panel(request: HttpRequest) -> Panel | None:
    scope = get_scope(request.user)
    if not scope.only_self or scope.member_id is None:
        return None
    member = restrict(Member.objects.select_related("organization", "cell"), request.user).first()
    if member is None:
        return None
    extra = [html for fn in _self_panels if (html := fn(member, request.user))]
    return Panel(
        order=5,
        template="members/panel_self.html",
        context={"member": member, "extra": [mark_safe(html) for html in extra]},  # noqa: S308 - rendered templates
    )


# Apps above members add the member's own items (letters signed, tasks assigned) to the self
# panel: ``fn(member, user) -> str | None`` returns rendered HTML, or None when there is nothing.
SelfPanel = Callable[[Any, Any], "str | None"]
_self_panels: list[SelfPanel] = []


def register_self_panel(fn: SelfPanel) -> SelfPanel:
    if fn not in _self_panels:
        _self_panels.append(fn)
    return fn
