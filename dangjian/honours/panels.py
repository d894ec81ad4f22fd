"""A member's own honours and nominations on their self-service page."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from dangjian.honours.models import Honour, Nominee


def own_honours_panel(member: Any, user: Any) -> str | None:
    honours = list(Honour.objects.filter(member=member).order_by("-awarded_on", "id")[:20])
    nominations = list(
        Nominee.objects.filter(member=member, honour__isnull=True)
        .select_related("selection")
        .order_by("-selection__year", "id")[:10]
    )
    if not honours and not nominations:
        return None
    return render_to_string("honours/panel_mine.html", {"honours": honours, "nominations": nominations})
