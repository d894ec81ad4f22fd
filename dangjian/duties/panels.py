"""The member's own items of the responsibility system, shown on their self-service panel."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from dangjian.duties.choices import OPEN_ITEM_STATUSES


def my_duties(member: Any, user: Any) -> str | None:
    """Letters the member signed and list items, key tasks and liaisons assigned to them."""
    from dangjian.duties.models import KeyTask, Letter, Liaison, ResponsibilityItem

    letters = list(Letter.objects.filter(signer=member).order_by("-year", "-signed_on")[:6])
    items = list(
        ResponsibilityItem.objects.filter(responsible=member, status__in=OPEN_ITEM_STATUSES)
        .select_related("organization")
        .order_by("deadline")[:8]
    )
    tasks = list(KeyTask.objects.filter(lead=member).order_by("-year", "-started_on")[:5])
    liaisons = list(Liaison.objects.filter(leader=member, ended_on__isnull=True).select_related("branch"))
    if not (letters or items or tasks or liaisons):
        return None
    return render_to_string(
        "duties/_self_panel.html", {"letters": letters, "items": items, "tasks": tasks, "liaisons": liaisons}
    )


def activity_duties(activity: Any, user: Any) -> str | None:
    """On an activity's page: the liaison a visit belongs to, the hearing rule, and the list
    items this activity is the evidence of (only those the user may see)."""
    from dangjian.core.scope import get_scope, restrict
    from dangjian.duties.models import Liaison, ResponsibilityItem

    if not get_scope(user).is_officer:
        return None
    codes = {c.activity_type.code for c in activity.credits.all()} | {activity.activity_type.code}
    liaisons = []
    if "liaison_visit" in codes and activity.host_id:
        liaisons = list(
            restrict(
                Liaison.objects.filter(branch=activity.organization_id, leader=activity.host_id), user
            ).select_related("leader", "branch")
        )
    items = list(
        restrict(ResponsibilityItem.objects.filter(evidence_activity=activity), user).select_related(
            "organization"
        )
    )
    hearing = "report_hearing" in codes and activity.organization.kind == "leading_group"
    if not (liaisons or items or hearing):
        return None
    return render_to_string(
        "duties/_activity_panel.html",
        {"liaisons": liaisons, "items": items, "hearing": hearing, "activity": activity},
    )


def register() -> None:
    from dangjian.activities.panels import register_detail_panel
    from dangjian.members.panels import register_self_panel

    register_self_panel(my_duties)
    register_detail_panel(activity_duties)
