"""The compliance dashboard (heat map), a cell's evidence, the Excel export and the rule list."""

from __future__ import annotations

import datetime
import json
import math
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from dangjian.compliance.choices import CellStatus
from dangjian.compliance.evaluator import Matrix, evaluate
from dangjian.compliance.figures import warning_figures
from dangjian.compliance.models import Rule
from dangjian.compliance.warnings import collect, gather, safe_reverse, scope_roots
from dangjian.core.dates import today
from dangjian.core.derived import derived, rendered_part
from dangjian.core.downloads import XLSX, attachment
from dangjian.core.period import Period, period_param
from dangjian.core.scope import Audience, access, get_in_scope, get_scope, restrict
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization
from dangjian.orgs.options import OrgOptions, org_options

KIND_ORDER = [
    OrgKind.LEADING_GROUP,
    OrgKind.ORGAN_COMMITTEE,
    OrgKind.GENERAL_BRANCH,
    OrgKind.BRANCH,
    OrgKind.CELL,
]
LEGEND = [
    (CellStatus.DONE, "已完成"),
    (CellStatus.MISSING, "未完成（已逾期）"),
    (CellStatus.DUE, "本期待完成"),
    (CellStatus.NA, "不适用 / 未到期"),
]


def _pick(request: HttpRequest) -> tuple[Organization, Period, list[str]]:
    """The organization (in scope, else 404) and period from the query string, with errors."""
    period, error = period_param(request.GET, "period", Period.year(today().year))
    errors = [error] if error else []
    org_id = request.GET.get("org")
    if org_id:
        org = get_in_scope(Organization.objects.all(), request.user, pk=org_id)
    else:
        roots = scope_roots(request.user)
        if not roots:
            raise Http404("您的权限范围内没有党组织。")
        org = roots[0]
    return org, period, errors


def _org_choices(request: HttpRequest, org: Organization) -> OrgOptions:
    """The organization select of the dashboard, charts and ledger: every kind, 党小组 included
    (each has its own checks), capped for a province."""
    return org_options(request.user, org, eligible=Organization.objects.all())


def _strip(cells: list[Any], org_name: str, cell_url: str, back_org: int) -> SafeString:
    """One rule's squares for one organization, as HTML.

    Built here rather than in the template: a province-wide map has thousands of squares, and
    the template engine's dozen variable lookups per square were most of the page's CPU time.
    """
    wide = " wide" if len(cells) <= 4 else ""
    return format_html_join(
        "",
        '<a class="sq sq-{}{}" href="{}?org={}&rule={}&slot={}&back_org={}" title="{}" aria-label="{}{}"></a>',
        (
            (
                ("na future" if c.reason == "未到期" else "na") if c.status == "n/a" else c.status,
                wide,
                cell_url,
                c.org_id,
                c.rule_code,
                c.slot.code,
                back_org,
                c.title,
                org_name,
                c.title,
            )
            for c in cells
        ),
    )


def _sections(matrix: Matrix, cell_url: str = "", back_org: int | None = None) -> list[dict[str, Any]]:
    """The heat map grouped by organization kind, each with only the rules that bind that kind."""
    sections = []
    for kind in KIND_ORDER:
        orgs = [o for o in matrix.orgs if o.kind == kind]
        specs = matrix.rules_for_kind(kind)
        if not orgs or not specs:
            continue
        columns = [{"spec": s, "slots": matrix.slots_for(s)} for s in specs]
        rows = []
        for org in orgs:
            groups = []
            for spec in specs:
                cells = [matrix.cell(org, spec, slot) for slot in matrix.slots_for(spec)]
                groups.append(cells)
            judged = [c for g in groups for c in g if c.status != CellStatus.NA]
            done = sum(1 for c in judged if c.status == CellStatus.DONE)
            strips = [_strip(cells, org.name, cell_url, back_org) for cells in groups]
            rows.append({"org": org, "groups": groups, "strips": strips, "done": done, "judged": len(judged)})
        sections.append({"kind": kind, "label": OrgKind(kind).label, "columns": columns, "rows": rows})
    return sections


@access(Audience.OFFICERS, query={"org": "orgs.Organization"})
def dashboard(request: HttpRequest) -> HttpResponse:
    if not request.GET.get("org") and not scope_roots(request.user):
        # A fresh install: nothing to check yet (a 404 here read as a broken menu entry).
        from django.urls import reverse

        return render(
            request,
            "core/empty_state.html",
            {
                "title": "合规检查",
                "message": "您的权限范围内还没有党组织，暂无可检查的内容。建立党组织并登记组织生活后，这里按规定逐项检查。",
                "link_url": reverse("orgs:tree"),
                "link_label": "查看党组织",
            },
        )
    org, period, errors = _pick(request)
    on = today()

    def derive() -> tuple[Any, Any, dict[str, Any], list[dict[str, Any]]]:
        matrix = evaluate(org, period, user=request.user, on=on)
        # The lists and their counts come from one gathering; the counts are the warning figures,
        # the same as the home panel's and a report's for this organization, period and day.
        found = gather(org, on=on, user=request.user, period=period, matrix=matrix)
        counts = {key.removeprefix("warnings."): fig.value for key, fig in warning_figures(found).items()}
        return matrix, found, counts, _sections(matrix, safe_reverse("compliance:cell"), org.pk)

    def body_context() -> dict[str, Any]:
        # Every officer of the organization opens the same matrix until someone records something.
        matrix, found, counts, sections = derived(
            "compliance.dashboard", get_scope(request.user), (org.pk, period), derive
        )
        summary = matrix.summary()
        judged = summary[CellStatus.DONE] + summary[CellStatus.MISSING]
        return {
            "org": org,
            "period": period,
            "errors": errors,
            "matrix": matrix,
            "sections": sections,
            "summary": summary,
            # Floor to one decimal: 262 of 263 must not read as "100%".
            "rate": math.floor(1000 * summary[CellStatus.DONE] / judged) / 10 if judged else None,
            "legend": LEGEND,
            "org_choices": _org_choices(request, org),
            "period_choices": _period_choices(on),
            "org_warnings": [w for w in found if w.category == "org" and w.level == "danger"][:30],
            "member_warnings": [w for w in found if w.category != "org"],
            "warning_counts": counts,
            "cell_url": safe_reverse("compliance:cell"),
        }

    # Rendering the matrix and the warning lists was most of the page's CPU once the figures
    # were kept: the rendered body is kept too, per scope, query and ledger version.
    body = rendered_part(
        "compliance.dashboard.page", request, "compliance/_dashboard_body.html", body_context
    )
    return render(request, "compliance/dashboard.html", {"org": org, "period": period, "body": body})


def _period_choices(on: datetime.date) -> list[Period]:
    year = on.year
    quarter = (on.month - 1) // 3 + 1
    found = [Period.year(year), Period.quarter(year, quarter), Period.month(year, on.month)]
    found += [Period.year(year - 1), Period.year(year - 2)]
    return found


@access(Audience.OFFICERS, query={"org": "orgs.Organization"}, query_required=True)
def cell_detail(request: HttpRequest) -> HttpResponse:
    """One cell: the rule, its source, the status and the activities that satisfied it."""
    from dangjian.activities.models import Activity

    org = get_in_scope(Organization.objects.all(), request.user, pk=request.GET.get("org"))
    slot, error = period_param(request.GET, "slot")
    if slot is None:
        raise Http404(error or "请指定考核期。")
    matrix = evaluate(org, slot, user=request.user, on=today())
    code = request.GET.get("rule", "")
    try:
        spec = matrix.rule(code)
    except KeyError as exc:
        raise Http404("没有这条规则。") from exc
    target = next((s for s in matrix.slots_for(spec) if s.code == slot.code), None)
    row = next((o for o in matrix.orgs if o.id == org.pk), None)
    if target is None or row is None:
        raise Http404("该期间不是这条规则的考核期。")
    cell = matrix.cell(row, spec, target)
    activities = (
        restrict(Activity.objects.all(), request.user)
        .filter(pk__in=cell.evidence)
        .select_related("organization", "activity_type")
        .order_by("held_on", "pk")
    )
    items = [(a, safe_reverse("activities:detail", a.pk)) for a in activities]
    back = f"{safe_reverse('compliance:dashboard')}?org={request.GET.get('back_org') or org.pk}&period={slot.code}"
    return render(
        request,
        "compliance/cell.html",
        {"org": org, "spec": spec, "rule": spec.row_for(target), "cell": cell, "items": items, "back": back},
    )


@access(Audience.OFFICERS, query={"org": "orgs.Organization"}, download=True)
def export_xlsx(request: HttpRequest) -> HttpResponse:
    from dangjian.compliance.excel import matrix_workbook

    org, period, errors = _pick(request)
    if errors:
        raise Http404(errors[0])
    on = today()
    matrix = evaluate(org, period, user=request.user, on=on)
    data = matrix_workbook(matrix, collect(org, on=on, user=request.user, period=period))
    return attachment(data, XLSX, f"合规检查_{org.name}_{period.code}.xlsx", ascii_name="compliance")


@access(Audience.OFFICERS)
def rule_list(request: HttpRequest) -> HttpResponse:
    rules = Rule.objects.order_by("order", "code", "valid_from")
    return render(request, "compliance/rules.html", {"rules": rules})


@access(Audience.OFFICERS, query={"org": "orgs.Organization"})
def charts_page(request: HttpRequest) -> HttpResponse:
    """党建看板: an organization's year in five charts, each with its table and links to records."""
    from dangjian.compliance import charts

    org, period, errors = _pick(request)
    matrix = evaluate(org, period, user=request.user, on=today())
    months = charts.months_of(period)
    chart_list = [
        charts.attendance_by_month(org, months, request.user),
        charts.meetings_by_branch(matrix),
        charts.dues_by_month(org, months, request.user),
        charts.pipeline_by_stage(org, request.user),
        charts.warnings_by_month(matrix),
    ]
    # The chart's data rides on its element (a data attribute, not an inline script: CSP).
    for chart in chart_list:
        chart["json"] = json.dumps({k: v for k, v in chart.items() if k != "json"}, ensure_ascii=False)
    context = {
        "org": org,
        "period": period,
        "errors": errors,
        "charts": chart_list,
        "org_choices": _org_choices(request, org),
        "period_choices": [p for p in _period_choices(today()) if p.kind == "year"],
    }
    return render(request, "compliance/charts.html", context)


@access(Audience.OFFICERS, query={"org": "orgs.Organization"})
def year_ledger_page(request: HttpRequest) -> HttpResponse:
    """A branch's year 台账 on one page, laid out to print as one document."""
    from dangjian.compliance.ledger import year_ledger

    org, period, errors = _pick(request)
    context = {"org": org, "period": period, "errors": errors, **year_ledger(org, period, request.user)}
    context["org_choices"] = _org_choices(request, org)
    return render(request, "compliance/ledger.html", context)
