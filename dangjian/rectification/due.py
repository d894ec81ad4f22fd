"""What the rectification ledger puts on the agenda: findings overdue or due soon, and reopened ones.

A finding's deadline is the one set when it was registered (or when it was sent back), so the
basis each item cites is the unit's own decision with that date, not a central regulation.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q

from dangjian.core.agenda import DueItem
from dangjian.core.scope import restrict
from dangjian.rectification.models import Finding

MAX_ITEMS = 200  # an agency-wide list need not carry every late finding of a province


def _day(d: datetime.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def due_findings(user: Any, on: datetime.date, until: datetime.date) -> list[DueItem]:
    """Open findings past or near their deadline, and open findings that were reopened."""
    found = (
        restrict(Finding.objects.open(), user)
        .filter(Q(deadline__lte=until) | Q(reopen_count__gt=0))
        .select_related("organization")
        .order_by("deadline", "id")[:MAX_ITEMS]
    )
    items: list[DueItem] = []
    for f in found:
        overdue = f.deadline < on
        if f.reopen_count:
            basis = f"本单位规定（{_day(f.reopened_on or f.deadline)}验收未通过，退回重新整改，整改时限{_day(f.deadline)}）"
        else:
            basis = f"本单位规定（{f.found_on.year}年{f.get_source_display()}问题整改时限{_day(f.deadline)}）"
        items.append(
            DueItem(
                kind="rectification",
                label="整改事项" + ("（重新整改）" if f.reopen_count else ""),
                title=str(f),
                org_name=f.organization.name,
                due_on=f.deadline,
                overdue=overdue,
                url=f.get_absolute_url(),
                basis=basis,
                level="danger" if overdue or f.reopen_count else "warn",
            )
        )
    return items
