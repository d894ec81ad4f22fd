"""Pages of the rectification ledger: the findings list (overdue first), a finding with its
measures, closing and reopening, inspections, and the Excel template, import and export."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from dangjian.core import numbers
from dangjian.core.dates import today
from dangjian.core.ledger_views import ImportPage, xlsx_download
from dangjian.core.ledger_views import import_view as import_view_for
from dangjian.core.models import AuditLog, Role
from dangjian.core.period import Period
from dangjian.core.scope import Audience, access, check_oversee, get_in_scope, get_scope, restrict
from dangjian.members.filters import roster_org_options
from dangjian.orgs.models import Organization
from dangjian.rectification import actions, excel
from dangjian.rectification.choices import FindingSource, FindingStatus
from dangjian.rectification.forms import (
    CloseForm,
    FindingForm,
    InspectionForm,
    MeasureDoneForm,
    MeasureForm,
    ReopenForm,
)
from dangjian.rectification.models import Finding, Inspection, Measure

STATUS_FILTERS = {
    "open": "整改中",
    "overdue": "已超期",
    "reopened": "重新整改",
    "closed": "已销号",
    "all": "全部",
}
FIGURES = ("found", "closed", "open", "overdue", "reopened")


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _years() -> list[int]:
    this = today().year
    return list(range(this, this - 6, -1))


def filtered(request: HttpRequest) -> tuple[QuerySet[Finding], dict[str, Any]]:
    """The findings the list (and its export) shows: scoped, filtered by org, year, status, source."""
    user, params = request.user, request.GET
    on = today()
    qs = restrict(Finding.objects.all(), user)
    org = None
    if params.get("org"):
        org = get_in_scope(Organization.objects.all(), user, pk=params["org"])
        qs = qs.filter(organization__path__startswith=org.path)
    year = params.get("year", "")
    if year:
        if not year.isdecimal() or not 2000 <= int(year) <= 2100:
            raise Http404("年度应为四位数字。")
        qs = qs.filter(found_on__year=int(year))
    status = params.get("status", "open")
    if status not in STATUS_FILTERS:
        status = "open"
    if status == "open":
        qs = qs.open()
    elif status == "overdue":
        qs = qs.overdue(on)
    elif status == "reopened":
        qs = qs.open().filter(reopen_count__gt=0)
    elif status == "closed":
        qs = qs.closed()
    source = params.get("source", "")
    if source in FindingSource.values:
        qs = qs.filter(source=source)
    else:
        source = ""
    text = params.get("q", "").strip()[:50]
    if text:
        qs = qs.filter(description__contains=text)
    # Overdue first, then reopened, then by deadline.
    qs = qs.annotate(
        rank=Case(
            When(status=FindingStatus.OPEN, deadline__lt=on, then=Value(0)),
            When(status=FindingStatus.OPEN, reopen_count__gt=0, then=Value(1)),
            When(status=FindingStatus.OPEN, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
    ).order_by("rank", "deadline", "id")
    return qs, {"org": org, "year": year, "status": status, "source": source, "q": text}


@access(Audience.OFFICERS, query={"org": "orgs.Organization"})
@require_GET
def finding_list(request: HttpRequest) -> HttpResponse:
    findings, chosen = filtered(request)
    page = Paginator(findings.select_related("organization", "responsible"), 50).get_page(
        request.GET.get("page")
    )
    period = Period.year(int(chosen["year"])) if chosen["year"] else Period.year(today().year)
    keys = [f"rectification.{state}" for state in FIGURES]
    keys += [f"rectification.{state}.{code}" for code in FindingSource.values for state in FIGURES[:4]]
    if chosen["org"] is not None:
        figures = numbers.compute(keys, chosen["org"], period, request.user)
    else:
        figures = numbers.in_reach(keys, period, request.user)
    return render(
        request,
        "rectification/finding_list.html",
        {
            "page": page,
            "figures": [figures[f"rectification.{state}"] for state in FIGURES],
            # The same figures by source (a report's "problems found / fixed / in progress" table).
            "by_source": [
                (label, [figures[f"rectification.{state}.{code}"] for state in FIGURES[:4]])
                for code, label in FindingSource.choices
                if any(figures[f"rectification.{state}.{code}"].value for state in FIGURES[:4])
            ],
            "period": period,
            "chosen": chosen,
            "statuses": STATUS_FILTERS.items(),
            "sources": FindingSource.choices,
            "years": _years(),
            "today": today(),
            "can_write": get_scope(request.user).can_write,
            "query": request.GET.urlencode(),
            # The roster's organization filter, capped for a province-size tree.
            "orgs": roster_org_options(request.user, chosen["org"]),
        },
    )


@access(Audience.OFFICERS, query={"org": "orgs.Organization"}, download=True)
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    findings, _chosen = filtered(request)
    return xlsx_download(excel.export(findings), "整改台账", "rectification", dated=True)


@access(Audience.OFFICERS, get_writes=True, download=True)
@require_GET
def template(request: HttpRequest) -> HttpResponse:
    return xlsx_download(excel.template(request.user), "整改台账导入模板", "rectification-template")


import_view = import_view_for(
    ImportPage(
        title="导入整改台账",
        back_url="rectification:list",
        back_label="整改台账",
        template_url="rectification:template",
        intro="按模板每行一个问题；与台账中已有问题相同的行不会重复登记。",
    ),
    lambda request: partial(excel.import_findings, user=request.user),
)


def _finding(request: HttpRequest, pk: int) -> Finding:
    return get_in_scope(
        Finding.objects.select_related(
            "organization",
            "responsible",
            "meeting__activity_type",
            "meeting__organization",
            "inspection__organization",
            "campaign",
            "verified_by",
        ),
        request.user,
        pk=pk,
    )


@access(Audience.OFFICERS, target="rectification.Finding")
@require_GET
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _finding(request, pk)
    return _detail(request, finding)


def _detail(request: HttpRequest, finding: Finding, status: int = 200, **forms: Any) -> HttpResponse:
    scope = get_scope(request.user)
    on = today()
    logs = list(
        AuditLog.objects.filter(
            content_type=ContentType.objects.get_for_model(Finding), object_id=str(finding.pk)
        ).order_by("timestamp", "id")
    )
    # People are named as the roster knows them, not by their account names.
    names = dict(
        Role.objects.filter(
            user_id__in={e.actor_id for e in logs if e.actor_id}, member__isnull=False
        ).values_list("user_id", "member__name")
    )
    for entry in logs:
        entry.shown_name = names.get(entry.actor_id, entry.actor_name)
    may_write = scope.can_write_in(finding.organization)
    may_oversee = scope.can_write and scope.oversees(finding.organization)
    is_open = finding.status == FindingStatus.OPEN
    return render(
        request,
        "rectification/finding_detail.html",
        {
            "f": finding,
            "measures": finding.measures.select_related("responsible"),
            "logs": logs,
            "today": on,
            "overdue": finding.is_overdue(on),
            # A branch's finding may come from an inspection of the committee above it: named, not linked.
            "link_inspection": finding.inspection_id and scope.covers(finding.inspection.organization),
            "link_meeting": finding.meeting_id and scope.covers(finding.meeting.organization),
            "may_write": may_write and is_open,
            "may_close": may_oversee and is_open,
            "may_reopen": may_oversee and not is_open,
            "measure_form": forms.get("measure_form") or MeasureForm(user=request.user),
            "done_form": MeasureDoneForm(initial={"done_on": on}),
            "close_form": forms.get("close_form") or CloseForm(initial={"closed_on": on}),
            "reopen_form": forms.get("reopen_form") or ReopenForm(),
        },
        status=status,
    )


@access(Audience.OFFICERS, writes=True, get_writes=True)
def finding_create(request: HttpRequest) -> HttpResponse:
    # A branch secretary mostly registers their own branch's findings.
    initial: dict[str, Any] = {"found_on": today(), "organization": get_scope(request.user).org_id}
    meeting_id = request.GET.get("meeting")
    if meeting_id:
        from dangjian.rectification.forms import meeting_choices

        meeting = get_in_scope(meeting_choices(request.user), request.user, pk=meeting_id)
        initial.update(meeting=meeting.pk, organization=meeting.organization_id, found_on=meeting.held_on)
    if request.GET.get("source") in FindingSource.values:
        initial["source"] = request.GET["source"]
    if request.GET.get("inspection"):
        inspection = get_in_scope(Inspection.objects.all(), request.user, pk=request.GET["inspection"])
        initial.update(inspection=inspection.pk, organization=inspection.organization_id)
    form = FindingForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "measures"}
        try:
            finding = actions.do_create_finding(acting_user=request.user, measures=form.measure_lines, **data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "已登记问题，请跟踪整改措施落实。")
            return redirect(finding)
    return render(
        request, "rectification/finding_form.html", {"form": form}, status=400 if form.errors else 200
    )


@access(Audience.OFFICERS, writes=True, get_writes=True, target="rectification.Finding")
def finding_edit(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _finding(request, pk)
    form = FindingForm(request.POST or None, instance=finding, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_finding(
                Finding.objects.get(pk=pk), acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "已保存修改。")
            return redirect(finding)
    return render(
        request,
        "rectification/finding_form.html",
        {"form": form, "finding": finding},
        status=400 if form.errors else 200,
    )


@access(Audience.OFFICERS, writes=True, post_only=True, target="rectification.Finding")
@require_POST
def measure_add(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _finding(request, pk)
    form = MeasureForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            actions.do_add_measure(finding, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "已添加整改措施。")
            return redirect(finding)
    return _detail(request, finding, status=400, measure_form=form)


@access(Audience.OFFICERS, writes=True, post_only=True, target="rectification.Measure")
@require_POST
def measure_done(request: HttpRequest, pk: int) -> HttpResponse:
    measure = get_in_scope(Measure.objects.select_related("finding__organization"), request.user, pk=pk)
    form = MeasureDoneForm(request.POST)
    if form.is_valid():
        try:
            actions.do_complete_measure(
                measure, done_on=form.cleaned_data["done_on"], acting_user=request.user
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已登记措施完成。")
    else:
        messages.error(request, "请填写正确的完成日期。")
    return redirect(measure.finding)


@access(Audience.OFFICERS, oversee=True, post_only=True, target="rectification.Finding")
@require_POST
def finding_close(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _finding(request, pk)
    check_oversee(request.user, finding.organization, "验收销号")
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            actions.do_close_finding(
                finding,
                closed_on=form.cleaned_data["closed_on"],
                evidence=form.cleaned_data["evidence"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "已验收销号。")
            return redirect(finding)
    return _detail(request, _finding(request, pk), status=400, close_form=form)


@access(Audience.OFFICERS, oversee=True, post_only=True, target="rectification.Finding")
@require_POST
def finding_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _finding(request, pk)
    check_oversee(request.user, finding.organization, "退回重新整改")
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            actions.do_reopen_finding(
                finding,
                reason=form.cleaned_data["reason"],
                deadline=form.cleaned_data["deadline"],
                on=today(),
                acting_user=request.user,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "已退回重新整改。")
            return redirect(finding)
    return _detail(request, _finding(request, pk), status=400, reopen_form=form)


# ---- inspections ---------------------------------------------------------------------------------


@access(Audience.OFFICERS)
@require_GET
def inspection_list(request: HttpRequest) -> HttpResponse:
    on = today()
    qs = (
        restrict(Inspection.objects.select_related("organization"), request.user)
        .annotate(
            total=Count("findings"),
            open=Count("findings", filter=Q(findings__status=FindingStatus.OPEN)),
            late=Count("findings", filter=Q(findings__status=FindingStatus.OPEN, findings__deadline__lt=on)),
        )
        .order_by("-started_on", "id")
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "rectification/inspection_list.html",
        {"page": page, "can_write": get_scope(request.user).can_write},
    )


@access(Audience.OFFICERS, target="rectification.Inspection")
@require_GET
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_in_scope(Inspection.objects.select_related("organization"), request.user, pk=pk)
    findings = restrict(
        inspection.findings.select_related("organization", "responsible"), request.user
    ).order_by("-status", "deadline", "id")
    return render(
        request,
        "rectification/inspection_detail.html",
        {
            "i": inspection,
            "findings": findings,
            "today": today(),
            "may_write": get_scope(request.user).can_write_in(inspection.organization),
        },
    )


@access(Audience.OFFICERS, writes=True, get_writes=True)
def inspection_create(request: HttpRequest) -> HttpResponse:
    form = InspectionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = actions.do_create_inspection(acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "已登记，可在此登记反馈的问题。")
            return redirect(inspection)
    return render(
        request, "rectification/inspection_form.html", {"form": form}, status=400 if form.errors else 200
    )


@access(Audience.OFFICERS, writes=True, get_writes=True, target="rectification.Inspection")
def inspection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_in_scope(Inspection.objects.select_related("organization"), request.user, pk=pk)
    form = InspectionForm(request.POST or None, instance=inspection, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_inspection(
                Inspection.objects.get(pk=pk), acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "已保存修改。")
            return redirect(inspection)
    return render(
        request,
        "rectification/inspection_form.html",
        {"form": form, "inspection": inspection},
        status=400 if form.errors else 200,
    )
