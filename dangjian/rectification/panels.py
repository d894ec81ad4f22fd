"""What the rectification ledger adds to other pages: the findings of a 民主生活会/组织生活会 on
its page (with "登记问题"), and a member's own findings on their self-service page."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse

from dangjian.core.dates import today
from dangjian.core.scope import get_scope, restrict
from dangjian.rectification.choices import MEETING_SOURCES
from dangjian.rectification.models import Finding

SOURCE_OF_MEETING = {code: source for source, code in MEETING_SOURCES.items()}


def meeting_panel(activity: Any, user: Any) -> str | None:
    """Findings raised at this meeting; officers who may write there get a link to register one."""
    source = SOURCE_OF_MEETING.get(activity.activity_type.code)
    if source is None or not activity.is_held:
        return None
    scope = get_scope(user)
    if not scope.is_officer:
        return None
    findings = list(
        restrict(Finding.objects.filter(meeting=activity), user).select_related("responsible").order_by("id")
    )
    add_url = ""
    if scope.can_write_in(activity.organization):
        add_url = f"{reverse('rectification:create')}?meeting={activity.pk}&source={source}"
    return render_to_string(
        "rectification/panel_meeting.html",
        {"findings": findings, "add_url": add_url, "today": today()},
    )


def own_findings_panel(member: Any, user: Any) -> str | None:
    """The findings a member is responsible for (open ones first)."""
    mine = list(
        Finding.objects.filter(responsible=member)
        .select_related("organization")
        .order_by("-status", "deadline", "id")[:20]
    )
    if not mine:
        return None
    return render_to_string("rectification/panel_mine.html", {"findings": mine, "today": today()})
