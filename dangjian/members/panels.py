"""Home-page panels from the roster: members by status, or an ordinary member's own record."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

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
    return Panel(
        order=5,
        template="members/panel_self.html",
        context={"member": member, "own_items": self_panels(member, request.user)},
    )


# ---- the member's own items from the apps above members (letters signed, tasks assigned …) ----

SelfPanel = Callable[[Member, Any], str | None]
_self_panels: list[SelfPanel] = []


def register_self_panel(fn: SelfPanel) -> SelfPanel:
    """Add ``fn(member, user) -> str | None`` (rendered HTML, or None when it has nothing for
    this member) to the member's self-service panel; apps above members call this in ready()."""
    if fn not in _self_panels:
        _self_panels.append(fn)
    return fn


def self_panels(member: Member, user: Any) -> list[str]:
    return [html for html in (fn(member, user) for fn in _self_panels) if html]
