"""Pages of honours (表彰) and internal selections (评优): the honours list with the year's figures
by level, honour forms, selections with their rounds and nominees, and Excel in and out."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from dangjian.core import numbers
from dangjian.core.dates import today
from dangjian.core.ledger_views import ImportPage, xlsx_download
from dangjian.core.ledger_views import import_view as import_view_for
from dangjian.core.period import Period
from dangjian.core.scope import Audience, access, get_in_scope, get_scope, restrict
from dangjian.honours import actions, excel
from dangjian.honours.choices import HonourLevel, NomineeResult
from dangjian.honours.forms import HonourForm, NomineeForm, ResultForm, RoundForm, SelectionForm
from dangjian.honours.models import Honour, Nominee, Selection
from dangjian.members.filters import roster_org_options
from dangjian.orgs.models import Organization

WHO = {"": "全部", "member": "党员", "org": "党组织"}


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _year(params: Any) -> int | None:
    raw = params.get("year", "")
    if not raw:
        return None
    if not raw.isdecimal() or not 2000 <= int(raw) <= 2100:
        raise Http404("年度应为四位数字。")
    return int(raw)


def filtered(request: HttpRequest) -> tuple[QuerySet[Honour], dict[str, Any]]:
    user, params = request.user, request.GET
    qs = restrict(Honour.objects.all(), user)
    org = None
    if params.get("org"):
        org = get_in_scope(Organization.objects.all(), user, pk=params["org"])
        qs = qs.filter(organization__path__startswith=org.path)
    year = _year(params)
    if year:
        qs = qs.filter(awarded_on__year=year)
    level = params.get("level", "")
    if level in HonourLevel.values:
        qs = qs.filter(level=level)
    else:
        level = ""
    who = params.get("who", "")
    if who == "member":
        qs = qs.filter(member__isnull=False)
    elif who == "org":
        qs = qs.filter(member__isnull=True)
    else:
        who = ""
    return qs.order_by("-awarded_on", "id"), {"org": org, "year": year, "level": level, "who": who}


@access(Audience.OFFICERS, query={"org": "orgs.Organization"})
@require_GET
def honour_list(request: HttpRequest) -> HttpResponse:
    honours, chosen = filtered(request)
    page = Paginator(honours.select_related("organization", "member"), 50).get_page(request.GET.get("page"))
    period = Period.year(chosen["year"] or today().year)
    keys = [
        "honours.count",
        "honours.members",
        "honours.orgs",
        *(f"honours.level.{c}" for c in HonourLevel.values),
    ]
    if chosen["org"] is not None:
        figures = numbers.compute(keys, chosen["org"], period, request.user)
    else:
        figures = numbers.in_reach(keys, period, request.user)
    this = today().year
    return render(
        request,
        "honours/honour_list.html",
        {
            "page": page,
            "figures": [figures[k] for k in keys],
            "period": period,
            "chosen": chosen,
            "levels": HonourLevel.choices,
            "who_choices": WHO.items(),
            "years": list(range(this, this - 6, -1)),
            "can_write": get_scope(request.user).can_write,
            "query": request.GET.urlencode(),
            # The roster's organization filter, capped for a province-size tree.
            "orgs": roster_org_options(request.user, chosen["org"]),
        },
    )


@access(Audience.OFFICERS, query={"org": "orgs.Organization"}, download=True)
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    honours, _chosen = filtered(request)
    return xlsx_download(excel.export(honours), "表彰荣誉", "honours", dated=True)


@access(Audience.OFFICERS, get_writes=True, download=True)
@require_GET
def template(request: HttpRequest) -> HttpResponse:
    return xlsx_download(excel.template(request.user), "表彰荣誉导入模板", "honours-template")


import_view = import_view_for(
    ImportPage(
        title="导入表彰荣誉",
        back_url="honours:list",
        back_label="表彰荣誉",
        template_url="honours:template",
        intro="按模板每行一项表彰；与台账中已有表彰相同的行不会重复登记。",
    ),
    lambda request: partial(excel.import_honours, user=request.user),
)


@access(Audience.OFFICERS, writes=True, get_writes=True)
def honour_create(request: HttpRequest) -> HttpResponse:
    form = HonourForm(request.POST or None, user=request.user, initial={"awarded_on": today()})
    if request.method == "POST" and form.is_valid():
        try:
            honour = actions.do_create_honour(acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"已登记表彰：{honour}")
            return redirect(honour)
    return render(request, "honours/honour_form.html", {"form": form}, status=400 if form.errors else 200)


@access(Audience.OFFICERS, writes=True, get_writes=True, target="honours.Honour")
def honour_edit(request: HttpRequest, pk: int) -> HttpResponse:
    honour = get_in_scope(Honour.objects.select_related("organization", "member"), request.user, pk=pk)
    form = HonourForm(request.POST or None, instance=honour, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_honour(Honour.objects.get(pk=pk), acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "已保存修改。")
            return redirect(honour)
    return render(
        request,
        "honours/honour_form.html",
        {"form": form, "honour": honour},
        status=400 if form.errors else 200,
    )


# ---- selections ----------------------------------------------------------------------------------


@access(Audience.OFFICERS)
@require_GET
def selection_list(request: HttpRequest) -> HttpResponse:
    qs = (
        restrict(Selection.objects.select_related("organization"), request.user)
        .annotate(
            nominee_count=Count("nominees", distinct=True),
            selected=Count("nominees", filter=Q(nominees__result=NomineeResult.SELECTED), distinct=True),
            round_count=Count("rounds", distinct=True),
        )
        .order_by("-year", "id")
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request, "honours/selection_list.html", {"page": page, "can_write": get_scope(request.user).can_write}
    )


@access(Audience.OFFICERS, writes=True, get_writes=True)
def selection_create(request: HttpRequest) -> HttpResponse:
    form = SelectionForm(
        request.POST or None,
        user=request.user,
        initial={"year": today().year, "organization": get_scope(request.user).org_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            selection = actions.do_create_selection(acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "已建立评选，请登记评选环节和推荐对象。")
            return redirect(selection)
    return render(request, "honours/selection_form.html", {"form": form}, status=400 if form.errors else 200)


def _selection(request: HttpRequest, pk: int) -> Selection:
    nominees = Nominee.objects.select_related("member__organization", "organization", "honour").order_by(
        "-reached_round", "-votes", "id"
    )
    return get_in_scope(
        Selection.objects.select_related("organization").prefetch_related(
            "rounds", Prefetch("nominees", queryset=nominees)
        ),
        request.user,
        pk=pk,
    )


@access(Audience.OFFICERS, target="honours.Selection")
@require_GET
def selection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _selection_page(request, _selection(request, pk))


def _selection_page(
    request: HttpRequest, selection: Selection, status: int = 200, **forms: Any
) -> HttpResponse:
    may_write = get_scope(request.user).can_write_in(selection.organization)
    return render(
        request,
        "honours/selection_detail.html",
        {
            "s": selection,
            "may_write": may_write,
            "round_form": forms.get("round_form") or RoundForm(initial={"held_on": today()}),
            "nominee_form": forms.get("nominee_form") or NomineeForm(selection=selection, user=request.user),
            "results": NomineeResult.choices,
            "result_error": forms.get("result_error", ""),
            "today": today(),
        },
        status=status,
    )


@access(Audience.OFFICERS, writes=True, post_only=True, target="honours.Selection")
@require_POST
def round_add(request: HttpRequest, pk: int) -> HttpResponse:
    selection = _selection(request, pk)
    form = RoundForm(request.POST)
    if form.is_valid():
        try:
            actions.do_add_round(selection, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "已登记评选环节。")
            return redirect(selection)
    return _selection_page(request, selection, status=400, round_form=form)


@access(Audience.OFFICERS, writes=True, post_only=True, target="honours.Selection")
@require_POST
def nominee_add(request: HttpRequest, pk: int) -> HttpResponse:
    selection = _selection(request, pk)
    form = NomineeForm(request.POST, selection=selection, user=request.user)
    if form.is_valid():
        try:
            actions.do_nominate(selection, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "已加入评选名单。")
            return redirect(selection)
    return _selection_page(request, selection, status=400, nominee_form=form)


@access(Audience.OFFICERS, writes=True, post_only=True, target="honours.Nominee")
@require_POST
def nominee_result(request: HttpRequest, pk: int) -> HttpResponse:
    nominee = get_in_scope(Nominee.objects.select_related("selection__organization"), request.user, pk=pk)
    form = ResultForm(request.POST)
    if form.is_valid():
        try:
            actions.do_record_result(nominee, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            message = "；".join(exc.messages)
        else:
            messages.success(request, "已登记评选结果。")
            return redirect(nominee.selection)
    else:
        message = "；".join(e for errors in form.errors.values() for e in errors)
    name = nominee.member.name if nominee.member_id else nominee.organization.name
    return _selection_page(
        request, _selection(request, nominee.selection_id), status=400, result_error=f"{name}：{message}"
    )
