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


def register() -> None:
    from dangjian.members.panels import register_self_panel

    register_self_panel(my_duties)
