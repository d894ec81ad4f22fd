"""Home-page panels from the roster: members by status, or an ordinary member's own record."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest

from dangjian.core.home import Panel
from dangjian.core.scope import get_scope, restrict
from dangjian.members.choices import MemberStatus
from dangjian.members.models import Member


def roster_panel(request: HttpRequest) -> Panel | None:
    scope = get_scope(request.user)
    if scope.reach not in ("all", "subtree"):
        return None
    counts = restrict(Member.objects.all(), request.user).aggregate(
        **{status.value: Count("pk", filter=Q(status=status)) for status in MemberStatus}
    )
    rows = [(status.value, status.label, counts[status.value]) for status in MemberStatus]
    active = counts[MemberStatus.FULL] + counts[MemberStatus.PROBATIONARY]
    return Panel(order=10, template="members/panel_home.html", context={"rows": rows, "active": active})


def self_panel(request: HttpRequest) -> Panel | None:
    scope = get_scope(request.user)
    if scope.reach != "self" or scope.member_id is None:
        return None
    member = restrict(Member.objects.select_related("organization", "cell"), request.user).first()
    if member is None:
        return None
    return Panel(order=5, template="members/panel_self.html", context={"member": member})
