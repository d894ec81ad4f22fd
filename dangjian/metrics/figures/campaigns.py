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

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

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


def _pledge_figures_from_rows(
    rows: list[tuple[Any, ...]], period: Period, prefix: str, parts: tuple[str, ...]
) -> dict[str, Figure]:
    """``_pledge_figures`` over rows read once (id, status, collected_on, solved_on, deadline,
    beneficiary_unit, beneficiaries, amount, title): a province campaign's dashboard asks for eight
    pledge parts, and a query each over its 30,000 pledges was a quarter of the page. The
    conditions are those of ``_pledge_figures`` and ``open_on``/``overdue_on`` (NULL never
    matches a comparison)."""
    from dangjian.campaigns.choices import BeneficiaryUnit, PledgeStatus

    day = as_of(period)
    solved = [
        r
        for r in rows
        if r[1] != PledgeStatus.OPEN and r[3] is not None and period.start <= r[3] <= period.end
    ]
    open_rows = [
        r
        for r in rows
        if r[2] is not None and r[2] <= day and (r[1] == PledgeStatus.OPEN or r[3] is None or r[3] > day)
    ]
    counted = {
        "collected": (
            "征集为民办实事事项",
            [r for r in rows if r[2] is not None and period.start <= r[2] <= period.end],
        ),
        "solved": ("办结为民办实事事项", solved),
        "mechanism": ("形成长效机制", [r for r in solved if r[1] == PledgeStatus.MECHANISM]),
        "open": ("正在办理的为民办实事事项", open_rows),
        "overdue": ("超过办理时限未办结", [r for r in open_rows if r[4] is not None and r[4] < day]),
    }
    figures = {}
    for part in parts:
        key = f"{prefix}{part}"
        if part in counted:
            label, found = counted[part]
            ids = sorted({r[0] for r in found})
            # the items' titles too, as _pledge_figures names them (earliest collected first)
            names = tuple(
                dict.fromkeys(r[8] for r in sorted(found, key=lambda r: (r[2] is None, r[2], r[0])))
            )
            figures[key] = Figure(key, label, len(ids), "项", "campaigns.servicepledge", ids, names=names)
        elif part.startswith("beneficiaries."):
            unit = BeneficiaryUnit(part.removeprefix("beneficiaries."))
            mine = [r for r in solved if r[5] == unit and r[6] is not None]
            label = "受益群众" if unit == BeneficiaryUnit.PEOPLE else f"受益{unit.label.removeprefix('家')}"
            figures[key] = Figure(
                key,
                label,
                sum(r[6] for r in mine),
                unit.label,
                "campaigns.servicepledge",
                sorted(r[0] for r in mine),
            )
        else:
            with_money = [r for r in solved if r[7] is not None]
            money = sum((Decimal(r[7]) for r in with_money), Decimal("0.00"))
            figures[key] = Figure(
                key,
                "涉及资金",
                Decimal(money).quantize(Decimal("0.01")),
                "万元",
                "campaigns.servicepledge",
                sorted(r[0] for r in with_money),
            )
    return figures


PLEDGE_ROW = (
    "pk",
    "status",
    "collected_on",
    "solved_on",
    "deadline",
    "beneficiary_unit",
    "beneficiaries",
    "amount",
    "title",
)


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


def _parse(suffix: str) -> tuple[str, str]:
    """("<id>", "<part>") of a "campaign.<id>.<part>" suffix; UnknownFigure when malformed."""
    head, _, part = suffix.partition(".")
    wanted_item = part.startswith(("item.", "below.")) and part.split(".", 1)[1].isdecimal()
    if not head.isdecimal() or not (part in CAMPAIGN_PARTS or wanted_item):
        raise UnknownFigure(f"campaign.{suffix}")
    return head, part


def campaign_one(suffix: str, org: Any, period: Period, user: Any = None) -> Figure:
    """ "campaign.<id>.<part>" over ``org``'s subtree and ``period``; an unknown campaign (or one
    outside the user's reach) counts nothing."""
    return campaign_many([suffix], org, period, user)[suffix]


def campaign_many(suffixes: list[str], org: Any, period: Period, user: Any = None) -> dict[str, Figure]:
    """Several "campaign.<id>.<part>" figures asked together (a dashboard): each campaign, its plan
    items and the organizations its "below.<org id>" parts name are read once, not once a part."""
    from dangjian.campaigns.models import Campaign
    from dangjian.orgs.models import Organization

    parsed = {suffix: _parse(suffix) for suffix in suffixes}
    heads = sorted({int(head) for head, _part in parsed.values()})
    visible = {c.pk: c for c in scoped(Campaign.objects.filter(pk__in=heads), user)}
    below_ids = {
        int(part.removeprefix("below.")) for _h, part in parsed.values() if part.startswith("below.")
    }
    paths = dict(Organization.objects.filter(pk__in=below_ids).values_list("pk", "path")) if below_ids else {}
    reads = {head: _CampaignReads(visible.get(head), org, period, user) for head in heads}
    return {
        suffix: reads[int(head)].figure(f"campaign.{suffix}", part, paths)
        for suffix, (head, part) in parsed.items()
    }


class _CampaignReads:
    """The reads one campaign's parts share, each made when a part first needs it."""

    def __init__(self, campaign: Any, org: Any, period: Period, user: Any) -> None:
        self.campaign, self.org, self.period, self.user = campaign, org, period, user
        self.cid = campaign.pk if campaign else -1
        self._items: list[Any] | None = None
        self._under: dict[str, set[int]] | None = None
        self._pledge_rows: list[tuple[Any, ...]] | None = None

    def rows(self) -> list[tuple[int, int, str]]:
        return _campaign_rows(self.cid, self.org, self.period, self.user)

    def items(self) -> list[Any]:
        from dangjian.campaigns.models import PlanItem

        if self._items is None:
            self._items = list(PlanItem.objects.filter(campaign_id=self.cid))
        return self._items

    def per_item(self) -> dict[int, list[int]]:
        items = self.items()
        return _memo(
            "items",
            self.cid,
            self.org,
            self.period,
            self.user,
            lambda: _held_per_item(items, self.org, self.period, self.user),
        )

    def under(self, paths: dict[int, str]) -> dict[str, set[int]]:
        """{path of each organization asked for: the activities of its subtree}, in one pass over
        the rows: a province's dashboard asks for its hundred bureaus, and a pass per bureau over
        sixty thousand rows took seconds."""
        if self._under is None:
            wanted = set(paths.values())
            self._under = {path: set() for path in wanted}
            for activity_id, _org, path in self.rows():
                # Every ancestor path of the row's organization, itself included: "/1/", "/1/2/" …
                end = path.find("/", 1)
                while end != -1:
                    prefix = path[: end + 1]
                    if prefix in wanted:
                        self._under[prefix].add(activity_id)
                    end = path.find("/", end + 1)
        return self._under

    def figure(self, key: str, part: str, paths: dict[int, str]) -> Figure:
        from dangjian.campaigns.models import ResearchOutput, ResearchProject

        org, period, user, cid, campaign = self.org, self.period, self.user, self.cid, self.campaign
        if part == "activities":
            ids = sorted({a for a, _o, _p in self.rows()})
            return Figure(key, "开展活动", len(ids), "次", "activities.activity", ids)
        if part == "orgs":
            ids = sorted({o for _a, o, _p in self.rows()})
            return Figure(key, "开展活动的党组织", len(ids), "个", "orgs.organization", ids)
        if part.startswith("below."):
            # What one organization's subtree held of it (the dashboard's table by organization).
            below = paths.get(int(part.removeprefix("below.")))
            ids = sorted(self.under(paths).get(below, ())) if below else []
            return Figure(key, "开展活动", len(ids), "次", "activities.activity", ids)
        if part == "mobilization":
            ids = (
                _ids(_campaign_activities(org, period, user, cid).filter(pk=campaign.mobilization_id))
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
        if part == "plan_items":
            # The plan's items by title, so a summary can say what the plan asked for.
            items = self.items()
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
            typed = [i for i in self.items() if i.activity_type_id]
            per_item = self.per_item()
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
        if part.startswith("item."):
            wanted = [
                i for i in self.items() if str(i.pk) == part.removeprefix("item.") and i.activity_type_id
            ]
            ids = self.per_item().get(wanted[0].pk, []) if wanted else []
            target = wanted[0].target_count if wanted else 0
            return Figure(key, "已开展", len(ids), "次", "activities.activity", ids, (len(ids), target))
        if part in ("planned", "held_against_plan", "plan_rate"):
            typed = [i for i in self.items() if i.activity_type_id]
            per_item = self.per_item()
            target = sum(i.target_count for i in typed)
            held = sum(min(len(per_item[i.pk]), i.target_count) for i in typed)
            if part == "planned":
                return Figure(
                    key, "计划开展", target, "次", "campaigns.planitem", sorted(i.pk for i in typed)
                )
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
        if part == "pledges":
            ids = sorted({r[0] for r in self.pledge_rows()})
            return Figure(key, "为民办实事事项", len(ids), "项", "campaigns.servicepledge", ids)
        if part not in PLEDGE_PARTS:
            raise UnknownFigure(key)
        return _pledge_figures_from_rows(self.pledge_rows(), period, key.removesuffix(part), (part,))[key]

    def pledge_rows(self) -> list[tuple[Any, ...]]:
        """The campaign's pledges in the subtree, read once for all its pledge parts."""
        if self._pledge_rows is None:
            self._pledge_rows = list(_pledges(self.org, self.user, self.cid).values_list(*PLEDGE_ROW))
        return self._pledge_rows


# ---- many campaigns at once (a list page) --------------------------------------------------------

# The parts ``campaign_each`` reads for many campaigns in a few grouped queries.
EACH_PARTS = ("activities", "planned", "held_against_plan", "plan_rate", "open", "overdue")


def read_in_bulk(suffix: str) -> bool:
    """Whether ``campaign_each`` reads this "campaign.<id>.<part>" (the rest go one request at a time)."""
    head, _, part = suffix.partition(".")
    return head.isdecimal() and part in EACH_PARTS


def campaign_each(requests: list[tuple[str, Any, Period]], user: Any = None) -> list[Any]:
    """The values of "campaign.<id>.<part>" for many (suffix, organization, period) requests at
    once, each equal to ``campaign_one(suffix, org, period, user).value``: a page listing thirty
    campaigns reads them in a few grouped queries instead of a dozen each.

    Each query is driven by the campaigns' ids (the link table's and pledges' campaign index)
    and counts each request's rows with its own conditions (an aggregate's FILTER), so the
    database never walks the province's activities once per campaign."""
    from dangjian.activities.choices import HELD_STATUSES
    from dangjian.activities.models import Activity
    from dangjian.campaigns.models import Campaign, PlanItem, ServicePledge, open_q, overdue_q

    parsed = [(*_parse(suffix), org, period) for suffix, org, period in requests]
    unsupported = [part for _h, part, _o, _p in parsed if part not in EACH_PARTS]
    if unsupported:
        raise UnknownFigure(f"campaign.<id>.{unsupported[0]} (not read in bulk)")
    visible = set(
        scoped(Campaign.objects.filter(pk__in={int(h) for h, *_ in parsed}), user).values_list(
            "pk", flat=True
        )
    )
    # One span per (campaign, organization, period); the spans of one query name each campaign
    # once (a list page asks each campaign over its own span), so rows group by campaign id.
    spans: dict[tuple[int, int, Any, Any], tuple[int, Any, Period]] = {}
    for head, _part, org, period in parsed:
        if int(head) in visible:
            spans.setdefault((int(head), org.pk, period.start, period.end), (int(head), org, period))
    rounds: list[dict[int, tuple[Any, Period]]] = []
    for cid, org, period in spans.values():
        free = next((r for r in rounds if cid not in r), None)
        if free is None:
            free = {}
            rounds.append(free)
        free[cid] = (org, period)
    items: dict[int, list[Any]] = {}
    for item in PlanItem.objects.filter(campaign_id__in=visible, activity_type__isnull=False).order_by("id"):
        items.setdefault(item.campaign_id, []).append(item)
    types = {i.activity_type_id for found in items.values() for i in found}
    counted: dict[tuple[int, int, Any, Any], dict[str, Any]] = {}
    for round_ in rounds:
        cids = sorted(round_)

        def held_in(cid: int, org: Any, period: Period) -> Q:
            return Q(
                campaigns__id=cid,
                status__in=HELD_STATUSES,
                held_on__gte=period.start,
                held_on__lte=period.end,
                organization__path__startswith=org.path,
            )

        # Only the link's campaign id in WHERE: a held-status or date condition there would let
        # SQLite walk every held activity of the year once per campaign instead of the links.
        acts = scoped(Activity.objects.order_by(), user).filter(campaigns__id__in=cids)
        any_held = _any(held_in(cid, org, period) for cid, (org, period) in round_.items())
        n_acts = dict(
            acts.values("campaigns__id")
            .annotate(n=Count("pk", filter=any_held))
            .values_list("campaigns__id", "n")
        )
        per_type: dict[tuple[int, int], int] = {}
        if types:
            for cid, type_id, n in (
                acts.filter(credits__activity_type_id__in=types)
                .values("campaigns__id", "credits__activity_type_id")
                .annotate(n=Count("pk", distinct=True, filter=any_held))
                .values_list("campaigns__id", "credits__activity_type_id", "n")
            ):
                per_type[(cid, type_id)] = n
        pledges = scoped(ServicePledge.objects.order_by(), user).filter(campaign_id__in=cids)

        def mine(cid: int, org: Any) -> Q:
            return Q(campaign_id=cid, organization__path__startswith=org.path)

        late = {
            cid: (n_open, n_overdue)
            for cid, n_open, n_overdue in pledges.values("campaign_id")
            .annotate(
                n_open=Count(
                    "pk", filter=_any(mine(c, o) & open_q(as_of(p)) for c, (o, p) in round_.items())
                ),
                n_overdue=Count(
                    "pk", filter=_any(mine(c, o) & overdue_q(as_of(p)) for c, (o, p) in round_.items())
                ),
            )
            .values_list("campaign_id", "n_open", "n_overdue")
        }
        for cid, (org, period) in round_.items():
            typed = items.get(cid, [])
            target = sum(i.target_count for i in typed)
            held = sum(min(per_type.get((cid, i.activity_type_id), 0), i.target_count) for i in typed)
            n_open, n_overdue = late.get(cid, (0, 0))
            counted[(cid, org.pk, period.start, period.end)] = {
                "activities": n_acts.get(cid, 0),
                "planned": target,
                "held_against_plan": held,
                "plan_rate": percent(held, target),
                "open": n_open,
                "overdue": n_overdue,
            }
    zero = {
        "activities": 0,
        "planned": 0,
        "held_against_plan": 0,
        "plan_rate": percent(0, 0),
        "open": 0,
        "overdue": 0,
    }
    return [
        counted.get((int(head), org.pk, period.start, period.end), zero)[part]
        for head, part, org, period in parsed
    ]


def _any(conditions: Any) -> Q:
    """The conditions joined with OR."""
    found = Q(pk__in=[])
    for condition in conditions:
        found |= condition
    return found
