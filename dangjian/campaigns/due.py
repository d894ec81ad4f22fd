"""What falls due in campaigns: 为民办实事 items past (or near) their deadline, and work-plan
items due whose activities fall short of the plan.

Fed to ``core.agenda`` (the home page's to-do list, the warnings and the digest read it). The
deadline of each item is the one set when it was registered; the rule that it must be kept is the
unit's own (本单位规定), cited with the date it took effect (settings PLEDGE_RULE_*).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings

from dangjian.campaigns.choices import PledgeStatus
from dangjian.campaigns.models import Campaign, PlanItem, ServicePledge
from dangjian.core.agenda import DueItem
from dangjian.core.period import Period
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


# A plan item missed more than this long ago is history (the campaign's summary says so), not a to-do.
PLAN_LOOKBACK_DAYS = 90


def plan_items_behind(user: Any, on: datetime.date, until: datetime.date) -> list[DueItem]:
    """Work-plan items due by ``until`` (and not long past) whose activities fall short of the
    target, for those who may write the campaign's organization. The basis is the campaign's own
    work plan, the unit's rule for it, with the date it was adopted."""
    from dangjian.core import numbers

    scope = get_scope(user)
    if not scope.can_write:
        return []
    items = (
        PlanItem.objects.filter(
            campaign__in=restrict(Campaign.objects.all(), user, "change").values("pk"),
            activity_type__isnull=False,
            due_by__gte=on - datetime.timedelta(days=PLAN_LOOKBACK_DAYS),
            due_by__lte=until,
        )
        .select_related("campaign__organization")
        .order_by("due_by", "id")
    )
    found = []
    for item in items:
        campaign = item.campaign
        if not scope.can_write_in(campaign.organization):
            continue
        key = f"campaign.{campaign.pk}.item.{item.pk}"
        period = Period.between(campaign.started_on, max(campaign.started_on, min(item.due_by, on)))
        held = numbers.compute([key], campaign.organization, period, user)[key].value
        if held >= item.target_count:
            continue
        adopted = campaign.plan_adopted_on
        plan = f"《{campaign.plan_title}》" if campaign.plan_title else "本专题活动实施方案"
        when = f"，{adopted.year}年{adopted.month}月{adopted.day}日印发" if adopted else ""
        found.append(
            DueItem(
                kind="campaign_plan",
                label="专题活动计划事项",
                title=f"{campaign.name}：{item.title}（已开展{held}次，计划{item.target_count}次）",
                org_name=campaign.organization.name,
                due_on=item.due_by,
                overdue=item.due_by < on,
                url=campaign.get_absolute_url() + "#plan",
                basis=f"本单位规定（{plan}{when}）",
                level="danger" if item.due_by < on else "warn",
            )
        )
    return found
