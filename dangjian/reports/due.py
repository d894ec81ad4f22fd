"""Report drafts that still carry prompts (【待补充：…】) go on their author's to-do list."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from dangjian.core.agenda import DueItem
from dangjian.core.scope import get_scope, restrict
from dangjian.reports.document import Document
from dangjian.reports.models import Draft

BASIS = "本单位规定（报告定稿前补齐待补充内容）"
# Only recent drafts: an old year's abandoned draft is not today's work.
RECENT_DAYS = 120
LIMIT = 10


def agenda_items(user: Any, on: datetime.date, until: datetime.date) -> list[DueItem]:
    scope = get_scope(user)
    if not (scope.is_officer and scope.can_write):
        return []
    drafts = (
        restrict(Draft.objects.all(), user)
        .filter(created_by=user, period_end__gte=on - datetime.timedelta(days=RECENT_DAYS))
        .select_related("organization")
        .order_by("-updated_at", "-id")[:LIMIT]
    )
    items: list[DueItem] = []
    for draft in drafts:
        latest = draft.versions.order_by("-number").first()
        if latest is None:
            continue
        open_prompts = len(Document.from_json(latest.document).prompts())
        if open_prompts:
            items.append(
                DueItem(
                    "report_prompts",
                    "报告待补充",
                    f"{draft.title}（{open_prompts}处待补充）",
                    draft.organization.name,
                    None,
                    False,
                    reverse("reports:draft", args=[draft.pk]),
                    BASIS,
                    "info",
                )
            )
    return items
