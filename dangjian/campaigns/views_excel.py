"""The campaign ledgers' Excel pages: template, import (with a dry run) and export of the
为民办实事 items, the campaigns' work plans and the research projects (调研课题).

Every page reads through the scope helper: the templates offer only the organizations and
campaigns the user may write to, the imports accept only those, and the exports hold only what
the user may see.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from dangjian.campaigns import excel_plans
from dangjian.campaigns.choices import ProjectStatus
from dangjian.campaigns.excel import export_pledges, import_pledges, template_workbook
from dangjian.campaigns.models import Campaign, PlanItem, ResearchProject
from dangjian.campaigns.views import pledge_filters
from dangjian.core.ledger_views import ImportPage, import_view, xlsx_download
from dangjian.core.scope import Audience, access, get_in_scope, restrict
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization


def _writable_orgs(request: HttpRequest) -> list[Organization]:
    return list(
        restrict(Organization.objects.exclude(kind=OrgKind.CELL), request.user, "change").order_by("path")
    )


def _campaign_names(request: HttpRequest) -> list[str]:
    campaigns = restrict(Campaign.objects.order_by("-started_on"), request.user)
    return list(campaigns.values_list("name", flat=True)[:200])


def _filtered(request: HttpRequest, qs: Any, org_field: str, span: tuple[str, str]) -> Any:
    """``qs`` narrowed as the list page is: ?org= (a subtree in scope) and ?year= (running that year)."""
    wanted = request.GET.get("org", "").strip()
    if wanted:
        org = get_in_scope(Organization.objects.all(), request.user, pk=wanted)
        qs = qs.filter(**{f"{org_field}__path__startswith": org.path})
    raw = request.GET.get("year", "").strip()
    if raw.isdecimal() and 2000 <= int(raw) <= 2100:
        start, end = span
        qs = qs.filter(**{f"{start}__year__lte": int(raw)}).filter(
            Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__year__gte": int(raw)})
        )
    return qs


# ---- 为民办实事 -------------------------------------------------------------------------------------

pledge_import = import_view(
    ImportPage(
        title="导入为民办实事",
        back_url="campaigns:pledges",
        back_label="为民办实事",
        template_url="campaigns:pledge-template",
        intro="按模板每行一件实事；承办组织、事项、收集日期与已登记事项相同的行视为修改，重复导入不会重复添加。",
    ),
    lambda request: partial(import_pledges, orgs=_writable_orgs(request), user=request.user),
)


@access(Audience.OFFICERS, get_writes=True, download=True)
@require_GET
def pledge_template(request: HttpRequest) -> HttpResponse:
    data = template_workbook([o.name for o in _writable_orgs(request)], _campaign_names(request))
    return xlsx_download(data, "为民办实事导入模板", "pledges-template")


@access(Audience.OFFICERS, query={"org": "orgs.Organization"}, download=True)
@require_GET
def pledge_export(request: HttpRequest) -> HttpResponse:
    """The list as filtered on the page, within the user's scope."""
    qs, _f = pledge_filters(request)
    return xlsx_download(
        export_pledges(qs.select_related("collected_by")), "为民办实事台账", "pledges", dated=True
    )


# ---- campaign work plans ---------------------------------------------------------------------------


def _plan_campaigns(request: HttpRequest) -> list[Campaign]:
    return excel_plans.writable_campaigns(_writable_orgs(request))


plan_import = import_view(
    ImportPage(
        title="导入专题活动计划",
        back_url="campaigns:list",
        back_label="专题活动",
        template_url="campaigns:plan-template",
        intro="按模板每行一条计划事项（专题活动须先建立）；专题活动、计划事项与已有计划相同的行视为修改。",
    ),
    lambda request: partial(excel_plans.import_plan, campaigns=_plan_campaigns(request), user=request.user),
)


@access(Audience.OFFICERS, get_writes=True, download=True)
@require_GET
def plan_template(request: HttpRequest) -> HttpResponse:
    data = excel_plans.plan_template(_plan_campaigns(request))
    return xlsx_download(data, "专题活动计划导入模板", "campaign-plan-template")


@access(Audience.OFFICERS, query={"org": "orgs.Organization"}, download=True)
@require_GET
def plan_export(request: HttpRequest) -> HttpResponse:
    """The plans of the campaigns the list shows (its ?org= and ?year= apply): a branch sees the
    机关党委's campaign it takes part in, plan included, so its export holds that plan too."""
    items = _filtered(
        request,
        PlanItem.objects.filter(campaign__in=restrict(Campaign.objects.all(), request.user)),
        "campaign__organization",
        ("campaign__started_on", "campaign__ended_on"),
    )
    data = excel_plans.export_plan(items.order_by("campaign__started_on", "campaign_id", "due_by", "id"))
    return xlsx_download(data, "专题活动计划", "campaign-plan", dated=True)


# ---- research projects -----------------------------------------------------------------------------

project_import = import_view(
    ImportPage(
        title="导入调研课题",
        back_url="campaigns:projects",
        back_label="调研课题",
        template_url="campaigns:project-template",
        intro="按模板每行一个课题；组织、课题与已登记课题相同的行视为修改，并补登新增的成果。",
    ),
    lambda request: partial(excel_plans.import_projects, orgs=_writable_orgs(request), user=request.user),
)


@access(Audience.OFFICERS, get_writes=True, download=True)
@require_GET
def project_template(request: HttpRequest) -> HttpResponse:
    data = excel_plans.project_template([o.name for o in _writable_orgs(request)], _campaign_names(request))
    return xlsx_download(data, "调研课题导入模板", "research-template")


@access(Audience.OFFICERS, query={"org": "orgs.Organization"}, download=True)
@require_GET
def project_export(request: HttpRequest) -> HttpResponse:
    """The projects in scope as the list shows them (its ?org=, ?year= and ?status= apply)."""
    qs = _filtered(
        request,
        restrict(ResearchProject.objects.all(), request.user),
        "organization",
        ("started_on", "finished_on"),
    )
    status = request.GET.get("status", "")
    if status in ProjectStatus.values:
        qs = qs.filter(status=status)
    data = excel_plans.export_projects(qs.order_by("status", "-started_on", "id"))
    return xlsx_download(data, "调研课题", "research", dated=True)
