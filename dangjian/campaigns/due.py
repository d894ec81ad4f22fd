"""What falls due in the 为民办实事 ledger: open items past (or near) their deadline.

Fed to ``core.agenda`` (the home page's to-do list, the warnings and the digest read it). The
deadline of each item is the one set when it was registered; the rule that it must be kept is the
unit's own (本单位规定), cited with the date it took effect (settings PLEDGE_RULE_*).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings

from dangjian.campaigns.choices import PledgeStatus
from dangjian.campaigns.models import ServicePledge
from dangjian.core.agenda import DueItem
from dangjian.core.scope import get_scope, restrict


def pledge_basis() -> str:
    day = datetime.date.fromisoformat(settings.PLEDGE_RULE_DATE)
    return (
        f"本单位规定（《{settings.PLEDGE_RULE_TITLE}》，{day.year}年{day.month}月{day.day}日起执行："
        "为民办实事事项须在登记的办理时限内办结）"
    )


def overdue_pledges(user: Any, on: datetime.date, until: datetime.date) -> list[DueItem]:
    """Open items of the user's reach whose deadline has passed or falls by ``until``."""
    if not get_scope(user).is_officer:
        return []
    basis = pledge_basis()
    rows = (
        restrict(ServicePledge.objects.all(), user)
        .filter(status=PledgeStatus.OPEN, deadline__isnull=False, deadline__lte=until)
        .select_related("organization")
        .order_by("deadline", "id")
    )
    return [
        DueItem(
            kind="service",
            label="为民办实事",
            title=p.title,
            org_name=p.organization.name,
            due_on=p.deadline,
            overdue=p.deadline < on,
            url=p.get_absolute_url(),
            basis=basis,
            level="danger" if p.deadline < on else "warn",
        )
        for p in rows
    ]
