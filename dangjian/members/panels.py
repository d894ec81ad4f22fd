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


# A member's own panel gathers what other apps (letters, tasks, service items …) have for them:
# each registers ``fn(member, user) -> str | None`` in its AppConfig.ready(); the string is HTML
# the app rendered itself (render_to_string, so its values are escaped), None when it has nothing.
SelfSection = Callable[[Member, Any], "str | None"]
_self_sections: list[SelfSection] = []


def register_self_panel(fn: SelfSection) -> SelfSection:
    if fn not in _self_sections:
        _self_sections.append(fn)
    return fn


def self_sections(member: Member, user: Any) -> list[str]:
    found = (fn(member, user) for fn in _self_sections)
    return [mark_safe(html) for html in found if html]  # noqa: S308 - rendered by the app's own template


def self_panel(request: HttpRequest) -> Panel | None:
    scope = get_scope(request.user)
    if not scope.only_self or scope.member_id is None:
        return None
    member = restrict(Member.objects.select_related("organization", "cell"), request.user).first()
    if member is None:
        return None
    return Panel(
        order=6,
        template="members/panel_self.html",
        context={"member": member, "sections": self_sections(member, request.user)},
    )
