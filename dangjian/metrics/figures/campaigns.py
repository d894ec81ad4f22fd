"""Figures over campaigns, service pledges (我为群众办实事) and research projects (调研课题).

Two kinds, both over an organization's subtree and a period, limited to what ``user`` sees:

- the period's work ("campaigns.*", "pledges.*", "research.*"): what the study-campaign summary
  and the year's work summary say about campaigns held, matters done for the public and research;
- one campaign's dashboard ("campaign.<id>.*"): its activities against its work plan, who held
  them, its pledges and research ("campaign.<id>.item.<plan item id>": one plan item's count).

A campaign's activities are the held activities linked to it (``Campaign.activities``), held
inside the period; a plan item counts those whose types (primary or also-counted) include its
type. A pledge is *solved* in the period when it was closed (办结 or 长效机制) in it, *open* when
collected by the period's end and not closed by then, *overdue* when open with its deadline
before that day. Beneficiaries and money are summed over the pledges solved in the period.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum

from dangjian.core.period import Period
from dangjian.metrics.base import as_of, scoped, subtree_ids
from dangjian.metrics.figures import Figure, UnknownFigure, percent

PLEDGE_KEYS = (
    "pledges.collected",
    "pledges.solved",
    "pledges.mechanism",
    "pledges.open",
    "pledges.overdue",
    "pledges.beneficiaries.people",
    "pledges.beneficiaries.enterprises",
    "pledges.beneficiaries.households",
    "pledges.amount",
)
CAMPAIGN_KEYS = ("campaigns.count", "campaigns.activities", "campaigns.plan_target", "campaigns.plan_held")
RESEARCH_KEYS = (
    "research.projects",
    "research.finished",
    "research.sessions",
    "research.outputs",
    "research.outputs_adopted",
)
# What "campaign.<id>.<what>" may ask for (plus "item.<plan item id>").
CAMPAIGN_PARTS = (
    "activities",
    "orgs",
    "planned",
    "held_against_plan",
    "plan_rate",
    "mobilization",
    "team",
    "solved",
    "mechanism",
    "open",
    "overdue",
    "beneficiaries.people",
    "beneficiaries.enterprises",
    "beneficiaries.households",
    "amount",
    "pledges",
    "projects",
    "outputs",
    # added for the study-campaign summary: its teams apart, its plan items by name, and which
    # items reached their planned count by the period's end
    "leading_group",
    "working_team",
    "plan_items",
    "items_met",
    "items_short",
)


def _ids(qs: QuerySet[Any]) -> list[int]:
    return sorted(set(qs.values_list("pk", flat=True)))


_MEMO: dict[tuple[Any, ...], Any] = {}
_MEMO_MAX = 16


def _memo(name: str, cid: int, org: Any, period: Period, user: Any, compute: Any) -> Any:
    """One read of a campaign's rows shared by the parts of its dashboard asked together (the
    registry computes a family's parts one by one). Keyed on the ledger version, which any
    recorded change moves on, so a cached read is never staler than the last write."""
    from dangjian.core.audit import ledger_version

    key = (
        name,
        cid,
        getattr(org, "pk", None),
        period.start,
        period.end,
        getattr(user, "pk", None),
        ledger_version(),
    )
    if key not in _MEMO:
        if len(_MEMO) >= _MEMO_MAX:
            _MEMO.clear()
        _MEMO[key] = compute()
    return _MEMO[key]


def _campaign_rows(cid: int, org: Any, period: Period, user: Any) -> list[tuple[int, int, str]]:
    """(activity id, organization id, organization path) of the campaign's held activities."""
    return _memo(
        "rows",
        cid,
        org,
        period,
        user,
        lambda: list(
            _campaign_activities(org, period, user, cid).values_list(
                "pk", "organization_id", "organization__path"
            )
        ),
    )


def _campaign_activities(
    org: Any, period: Period, user: Any, campaign_id: int | None = None
) -> QuerySet[Any]:
    """The subtree's activities held in the period that count towards a campaign (``campaign_id``,
    or any). An EXISTS probe per activity on the link table's indexes: at province scale a join
    with a list of campaign ids probed every link once per campaign (5 s for 60,000 activities)."""
    from dangjian.activities.models import Activity
    from dangjian.campaigns.models import Campaign

    links = Campaign.activities.through.objects.filter(activity_id=OuterRef("pk"))
    if campaign_id is not None:
        links = links.filter(campaign_id=campaign_id)
    qs = (
        Activity.objects.held()
        .within(period.start, period.end)
        .filter(organization_id__in=subtree_ids(org))
        .filter(Exists(links))
        .order_by()
    )
    return scoped(qs, user)


def _campaigns(org: Any, period: Period, user: Any) -> QuerySet[Any]:
    """Campaigns of the subtree running at some time in the period."""
    from dangjian.campaigns.models import Campaign

    qs = Campaign.objects.filter(organization_id__in=subtree_ids(org), started_on__lte=period.end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=period.start)
    )
    return scoped(qs, user).order_by()


def _held_per_item(items: list[Any], org: Any, period: Period, user: Any) -> dict[int, list[int]]:
    """Each plan item's activities: its campaign's held activities credited with its type (one
    query per campaign that has typed items)."""
    from dangjian.activities.models import ActivityCredit

    found: dict[int, list[int]] = {item.pk: [] for item in items}
    by_campaign: dict[int, list[Any]] = {}
    for item in items:
        if item.activity_type_id:
            by_campaign.setdefault(item.campaign_id, []).append(item)
    for campaign_id, mine in by_campaign.items():
        by_type: dict[int, set[int]] = {}
        for activity_id, type_id in ActivityCredit.objects.filter(
            activity__in=_campaign_activities(org, period, user, campaign_id).values("pk"),
            activity_type_id__in={i.activity_type_id for i in mine},
        ).values_list("activity_id", "activity_type_id"):
            by_type.setdefault(type_id, set()).add(activity_id)
        for item in mine:
            found[item.pk] = sorted(by_type.get(item.activity_type_id, ()))
    return found


def campaign_figures(org: Any, period: Period, user: Any = None) -> dict[str, Figure]:
    """ "campaigns.*": campaigns running in the period, their held activities, and their plans'
    targets against what was held (each item counted up to its target)."""
    from dangjian.campaigns.models import PlanItem

    campaigns = _campaigns(org, period, user)
    campaign_ids = _ids(campaigns)
    activities = _campaign_activities(org, period, user)
    items = list(PlanItem.objects.filter(campaign_id__in=campaign_ids, activity_type__isnull=False))
    per_item = _held_per_item(items, org, period, user)
    target = sum(i.target_count for i in items)
    held = sum(min(len(per_item[i.pk]), i.target_count) for i in items)
    return {
        "campaigns.count": Figure(
            "campaigns.count", "开展专题活动", len(campaign_ids), "项", "campaigns.campaign", campaign_ids
        ),
        "campaigns.activities": Figure(
            "campaigns.activities",
            "专题活动中开展的活动",
            len(_ids(activities)),
            "次",
            "activities.activity",
            _ids(activities),
        ),
        "campaigns.plan_target": Figure(
            "campaigns.plan_target",
            "实施方案计划开展",
            target,
            "次",
            "campaigns.planitem",
            sorted(i.pk for i in items),
        ),
        "campaigns.plan_held": Figure(
            "campaigns.plan_held",
            "按计划已开展",
            held,
            "次",
            "activities.activity",
            sorted({a for ids in per_item.values() for a in ids}),
            (held, target),
        ),
    }


def _pledges(org: Any, user: Any, campaign_id: int | None = None) -> QuerySet[Any]:
    from dangjian.campaigns.models import ServicePledge

    qs = ServicePledge.objects.filter(organization_id__in=subtree_ids(org))
    if campaign_id is not None:
        qs = qs.filter(campaign_id=campaign_id)
    return scoped(qs, user).order_by()


PLEDGE_PARTS = (
    "collected",
    "solved",
    "mechanism",
    "open",
    "overdue",
    "beneficiaries.people",
    "beneficiaries.enterprises",
    "beneficiaries.households",
    "amount",
)


def _pledge_figures(
    qs: QuerySet[Any], period: Period, prefix: str, parts: tuple[str, ...] = PLEDGE_PARTS
) -> dict[str, Figure]:
    """The pledge figures ``parts`` over ``qs`` (each one or two queries, only those asked for)."""
    from dangjian.campaigns.choices import BeneficiaryUnit, PledgeStatus

    day = as_of(period)
    solved = qs.exclude(status=PledgeStatus.OPEN).filter(
        solved_on__gte=period.start, solved_on__lte=period.end
    )
    counted = {
        "collected": (
            "征集为民办实事事项",
            lambda: qs.filter(collected_on__gte=period.start, collected_on__lte=period.end),
        ),
        "solved": ("办结为民办实事事项", lambda: solved),
        "mechanism": ("形成长效机制", lambda: solved.filter(status=PledgeStatus.MECHANISM)),
        "open": ("正在办理的为民办实事事项", lambda: qs.open_on(day)),
        "overdue": ("超过办理时限未办结", lambda: qs.overdue_on(day)),
    }
    figures = {}
    for part in parts:
        key = f"{prefix}{part}"
        if part in counted:
            label, rows = counted[part]
            # the items' titles too, so a report can name the matters done (earliest first)
            found = list(rows().order_by("collected_on", "pk").values_list("pk", "title"))
            ids = sorted({pk for pk, _t in found})
            names = tuple(dict.fromkeys(t for _pk, t in found))
            figures[key] = Figure(key, label, len(ids), "项", "campaigns.servicepledge", ids, names=names)
        elif part.startswith("beneficiaries."):
            unit = BeneficiaryUnit(part.removeprefix("beneficiaries."))
            mine = solved.filter(beneficiary_unit=unit, beneficiaries__isnull=False)
            total = mine.aggregate(n=Sum("beneficiaries"))["n"] or 0
            label = "受益群众" if unit == BeneficiaryUnit.PEOPLE else f"受益{unit.label.removeprefix('家')}"
            figures[key] = Figure(key, label, total, unit.label, "campaigns.servicepledge", _ids(mine))
        else:
            with_money = solved.filter(amount__isnull=False)
            money = with_money.aggregate(s=Sum("amount"))["s"] or Decimal("0.00")
            figures[key] = Figure(
                key,
                "涉及资金",
                Decimal(money).quantize(Decimal("0.01")),
                "万元",
                "campaigns.servicepledge",
                _ids(with_money),
            )
    return figures


def pledge_figures(org: Any, period: Period, user: Any = None) -> dict[str, Figure]:
    """ "pledges.*": the subtree's 为民办实事 items collected, solved, open and overdue, with the
    people (or enterprises, households) they benefited and the money involved."""
    return _pledge_figures(_pledges(org, user), period, "pledges.")


def research_figures(org: Any, period: Period, user: Any = None) -> dict[str, Figure]:
    """ "research.*": research projects under way in the period, finished in it, their 调研
    sessions held in it and the outputs formed in it (and of those, adopted or endorsed)."""
    from dangjian.activities.models import Activity
    from dangjian.campaigns.models import ResearchOutput, ResearchProject

    projects = scoped(ResearchProject.objects.filter(organization_id__in=subtree_ids(org)), user).order_by()
    running = projects.filter(started_on__lte=period.end).filter(
        Q(finished_on__isnull=True) | Q(finished_on__gte=period.start)
    )
    finished = projects.filter(finished_on__gte=period.start, finished_on__lte=period.end)
    # The sessions' ids first (a few per project), then the activities among them: a join of the
    # year's activities with the link table probed it once per project for every activity (7 s).
    session_ids = set(
        ResearchProject.sessions.through.objects.filter(
            researchproject_id__in=projects.values("pk")
        ).values_list("activity_id", flat=True)
    )
    sessions = Activity.objects.held().within(period.start, period.end).filter(pk__in=sorted(session_ids))
    outputs = ResearchOutput.objects.filter(
        project__in=projects.values("pk"), issued_on__gte=period.start, issued_on__lte=period.end
    )
    adopted = outputs.filter(adopted=True)
    rows = {
        "research.projects": ("开展调研课题", running, "个", "campaigns.researchproject"),
        "research.finished": ("调研课题结题", finished, "个", "campaigns.researchproject"),
        "research.sessions": ("课题调研活动", sessions, "次", "activities.activity"),
        "research.outputs": ("形成调研成果", outputs, "篇", "campaigns.researchoutput"),
        "research.outputs_adopted": ("调研成果被采纳或获批示", adopted, "篇", "campaigns.researchoutput"),
    }
    out = {}
    for key, (label, qs, unit, model) in rows.items():
        ids = _ids(qs)
        names: tuple[str, ...] = ()
        if model != "activities.activity":
            # projects and outputs by title, so a report names them ("形成《……》等调研成果")
            names = tuple(dict.fromkeys(qs.order_by("pk").values_list("title", flat=True)))
        out[key] = Figure(key, label, len(ids), unit, model, ids, names=names)
    return out


# ---- one campaign --------------------------------------------------------------------------------


def campaign_one(suffix: str, org: Any, period: Period, user: Any = None) -> Figure:
    """ "campaign.<id>.<part>" over ``org``'s subtree and ``period``; an unknown campaign (or one
    outside the user's reach) counts nothing."""
    from dangjian.campaigns.models import Campaign, PlanItem, ResearchOutput, ResearchProject
    from dangjian.orgs.models import Organization

    key = f"campaign.{suffix}"
    head, _, part = suffix.partition(".")
    wanted_item = part.startswith(("item.", "below.")) and part.split(".", 1)[1].isdecimal()
    if not head.isdecimal() or not (part in CAMPAIGN_PARTS or wanted_item):
        raise UnknownFigure(key)
    campaign = scoped(Campaign.objects.filter(pk=int(head)), user).first()
    cid = campaign.pk if campaign else -1
    activities = _campaign_activities(org, period, user, cid)
    if part == "activities":
        ids = sorted({a for a, _o, _p in _campaign_rows(cid, org, period, user)})
        return Figure(key, "开展活动", len(ids), "次", "activities.activity", ids)
    if part == "orgs":
        ids = sorted({o for _a, o, _p in _campaign_rows(cid, org, period, user)})
        return Figure(key, "开展活动的党组织", len(ids), "个", "orgs.organization", ids)
    if part.startswith("below."):
        # What one organization's subtree held of it (the dashboard's table by organization).
        below = (
            Organization.objects.filter(pk=int(part.removeprefix("below.")))
            .values_list("path", flat=True)
            .first()
        )
        ids = sorted(
            {a for a, _o, path in _campaign_rows(cid, org, period, user) if below and path.startswith(below)}
        )
        return Figure(key, "开展活动", len(ids), "次", "activities.activity", ids)
    if part == "mobilization":
        ids = (
            _ids(activities.filter(pk=campaign.mobilization_id))
            if campaign and campaign.mobilization_id
            else []
        )
        return Figure(key, "召开动员部署会", len(ids), "次", "activities.activity", ids)
    if part == "team":
        ids = sorted(campaign.team.values_list("pk", flat=True)) if campaign else []
        return Figure(key, "领导小组和工作专班成员", len(ids), "人", "campaigns.teammember", ids)
    if part in ("leading_group", "working_team"):
        ids = sorted(campaign.team.filter(team=part).values_list("pk", flat=True)) if campaign else []
        label = "领导小组成员" if part == "leading_group" else "工作专班成员"
        return Figure(key, label, len(ids), "人", "campaigns.teammember", ids)
    items = list(PlanItem.objects.filter(campaign_id=cid))
    if part.startswith("item."):
        wanted = [i for i in items if str(i.pk) == part.removeprefix("item.") and i.activity_type_id]
        per_item = _memo("items", cid, org, period, user, lambda: _held_per_item(items, org, period, user))
        ids = per_item.get(wanted[0].pk, []) if wanted else []
        target = wanted[0].target_count if wanted else 0
        return Figure(key, "已开展", len(ids), "次", "activities.activity", ids, (len(ids), target))
    if part == "plan_items":
        # The plan's items by title, so a summary can say what the plan asked for.
        return Figure(
            key,
            "实施方案计划事项",
            len(items),
            "项",
            "campaigns.planitem",
            sorted(i.pk for i in items),
            names=tuple(i.title for i in items),
        )
    if part in ("items_met", "items_short"):
        typed = [i for i in items if i.activity_type_id]
        per_item = _memo("items", cid, org, period, user, lambda: _held_per_item(items, org, period, user))
        met = part == "items_met"
        mine = [i for i in typed if (len(per_item[i.pk]) >= i.target_count) == met]
        label = "达到计划次数的计划事项" if met else "未达到计划次数的计划事项"
        return Figure(
            key,
            label,
            len(mine),
            "项",
            "campaigns.planitem",
            sorted(i.pk for i in mine),
            names=tuple(i.title for i in mine),
        )
    if part in ("planned", "held_against_plan", "plan_rate"):
        typed = [i for i in items if i.activity_type_id]
        per_item = _memo("items", cid, org, period, user, lambda: _held_per_item(items, org, period, user))
        target = sum(i.target_count for i in typed)
        held = sum(min(len(per_item[i.pk]), i.target_count) for i in typed)
        if part == "planned":
            return Figure(key, "计划开展", target, "次", "campaigns.planitem", sorted(i.pk for i in typed))
        ids = sorted({a for found in per_item.values() for a in found})
        if part == "held_against_plan":
            return Figure(key, "按计划已开展", held, "次", "activities.activity", ids, (held, target))
        return Figure(
            key, "计划完成率", percent(held, target), "%", "activities.activity", ids, (held, target)
        )
    if part in ("projects", "outputs"):
        projects = scoped(
            ResearchProject.objects.filter(campaign_id=cid, organization_id__in=subtree_ids(org)), user
        )
        if part == "projects":
            rows = list(projects.order_by("started_on", "pk").values_list("pk", "title"))
            ids = sorted(pk for pk, _t in rows)
            names = tuple(t for _pk, t in rows)
            return Figure(key, "调研课题", len(ids), "个", "campaigns.researchproject", ids, names=names)
        rows = list(
            ResearchOutput.objects.filter(
                project__in=projects.values("pk"), issued_on__gte=period.start, issued_on__lte=period.end
            )
            .order_by("issued_on", "pk")
            .values_list("pk", "title")
        )
        ids = sorted(pk for pk, _t in rows)
        names = tuple(t for _pk, t in rows)
        return Figure(key, "调研成果", len(ids), "篇", "campaigns.researchoutput", ids, names=names)
    pledges = _pledges(org, user, cid)
    if part == "pledges":
        ids = _ids(pledges)
        return Figure(key, "为民办实事事项", len(ids), "项", "campaigns.servicepledge", ids)
    return _pledge_figures(pledges, period, f"campaign.{head}.", (part,))[key]
