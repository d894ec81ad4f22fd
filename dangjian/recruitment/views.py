"""Pages of the admission pipeline: cases by stage, a case's timeline, step forms, due list, plans."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dangjian.core import numbers
from dangjian.core.dates import today
from dangjian.core.derived import rendered_part
from dangjian.core.home import Panel
from dangjian.core.lookup import lookup_response
from dangjian.core.period import Period, period_param
from dangjian.core.personal import personal as shown_personal
from dangjian.core.scope import Audience, access, can_see_personal_data, get_in_scope, get_scope, restrict
from dangjian.orgs.models import Organization
from dangjian.recruitment import actions, rules
from dangjian.recruitment.choices import CaseStatus, Stage, StepKind
from dangjian.recruitment.due import due_items
from dangjian.recruitment.forms import (
    TRANSFER_HINT,
    CaseForm,
    EndForm,
    ExtensionForm,
    PlanForm,
    StepForm,
    TransferForm,
    add_errors,
    find_transfer_targets,
    transfer_targets,
)
from dangjian.recruitment.models import Case, Plan, Step, StepDocument


def _cases(request: HttpRequest) -> Any:
    return restrict(Case.objects.all(), request.user)


@access(Audience.OFFICERS)
def case_list(request: HttpRequest) -> HttpResponse:
    # The figures, tabs and rows change only with the ledger (and the day: deadlines): the
    # rendered body is kept per scope, query and ledger version, the shell rendered each time.
    body = rendered_part(
        "recruitment.list", request, "recruitment/_case_list_body.html", lambda: _list_context(request)
    )
    return render(
        request,
        "recruitment/case_list.html",
        {"body": body, "can_write": get_scope(request.user).can_write},
    )


def _list_context(request: HttpRequest) -> dict[str, Any]:
    cases = _cases(request).select_related("organization")
    status = request.GET.get("status", CaseStatus.OPEN)
    if status in CaseStatus.values:
        cases = cases.filter(status=status)
    # The counts by stage are metrics' figures for today ("all": every status).
    key = f"cases.{status if status in CaseStatus.values else 'all'}"
    found = numbers.in_reach([key, *(f"{key}.{s}" for s in Stage.values)], numbers.on_day(), request.user)
    stage = request.GET.get("stage", "")
    if stage in Stage.values:
        cases = cases.filter(stage=stage)
    text = request.GET.get("q", "").strip()
    if text:
        cases = cases.filter(Q(name__contains=text) | Q(department__contains=text))
    page = Paginator(cases.order_by("stage", "next_deadline", "name", "id"), 50).get_page(
        request.GET.get("page")
    )
    tabs = [(s.value, s.label, found[f"{key}.{s.value}"].value) for s in Stage]
    return {
        "page": page,
        "tabs": tabs,
        "stage": stage,
        "status": status,
        "q": text,
        "statuses": CaseStatus.choices,
        "total": found[key].value,
        "today": today(),
        "can_write": get_scope(request.user).can_write,
    }


@access(Audience.OFFICERS, writes=True, get_writes=True)
def case_create(request: HttpRequest) -> HttpResponse:
    form = CaseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {k: data[k] for k in CaseForm.Meta.fields}
        try:
            case = actions.do_open_case(
                application_date=data["opened_on"],
                notes=data["notes"],
                checklist=data["checklist"],
                acting_user=request.user,
                **fields,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"已为{case.name}建立发展党员档案。")
            return redirect(case)
    return render(request, "recruitment/case_form.html", {"form": form})


def _step_rows(case: Case, timeline: rules.Timeline) -> list[dict[str, Any]]:
    rows = []
    for step in case.steps.all():
        late = None
        rule = step.rule
        if step.kind == StepKind.STEP and rule and rule.deadline:
            anchor = timeline.done.get(rule.deadline.anchor)
            if anchor:
                found = rules.limits(rule, timeline, special=step.special_case)
                if found.deadline and step.date > found.deadline:
                    late = f"超过期限（应在{rules.fmt(found.deadline)}前，{found.deadline_source}）"
        rows.append({"step": step, "late": late, "missing": step.missing_materials})
    return rows


@access(Audience.OFFICERS, target="recruitment.Case")
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    steps = (
        Step.objects.select_related("recorded_by", "meeting", "organization")
        .prefetch_related("documents", "people")
        .order_by("date", "id")
    )
    case = get_in_scope(
        Case.objects.select_related("organization", "member").prefetch_related(
            Prefetch("steps", queryset=steps)
        ),
        request.user,
        pk=pk,
    )
    timeline = case.timeline()
    on = today()
    nxt = rules.next_step(timeline)
    others = [s for s in rules.open_steps(timeline) if nxt is None or s.rule.number != nxt.rule.number]
    state = ""
    if nxt and nxt.deadline:
        state = (
            "overdue"
            if nxt.deadline < on
            else "soon"
            if (nxt.deadline - on).days <= rules.DUE_SOON_DAYS
            else ""
        )
    review = rules.review_due(timeline)
    return render(
        request,
        "recruitment/case_detail.html",
        {
            "case": case,
            "rows": _step_rows(case, timeline),
            "next": nxt,
            "others": others,
            "state": state,
            "review_due": review,
            "review_overdue": bool(review and review < on),
            "timeline": timeline,
            "today": on,
            "shown": shown_personal(case, show=can_see_personal_data(request.user, case)),
            "can_write": get_scope(request.user).can_write and case.is_open,
            "can_extend": rules.APPROVAL in timeline.done
            and timeline.extension is None
            and rules.CONFIRMATION_VOTE not in timeline.done
            and timeline.probation_end is not None
            and timeline.probation_end <= on,
            "is_probationary": rules.APPROVAL in timeline.done,
            "transfers": case.transfers.select_related("from_organization", "to_organization"),
            "stages": [(s.value, s.label) for s in Stage],
            "all_rules": rules.RULES.values(),
        },
    )


def _writable_case(request: HttpRequest, pk: int) -> Case:
    case = get_in_scope(Case.objects.select_related("organization"), request.user, pk=pk)
    if not case.is_open:
        raise Http404("该档案已结束。")
    return case


@access(Audience.OFFICERS, writes=True, get_writes=True, target="recruitment.Case")
def step_add(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    case = _writable_case(request, pk)
    rule = rules.RULES.get(number)
    if rule is None:
        raise Http404("没有这个步骤。")
    form = StepForm(request.POST or None, request.FILES or None, case=case, rule=rule)
    timeline = case.timeline()
    found = rules.limits(rule, timeline)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        vote = None
        if rule.vote:
            vote = actions.Vote(
                eligible=data.get("eligible"),
                present=data.get("present"),
                votes_for=data.get("votes_for"),
                against=data.get("against"),
                abstain=data.get("abstain"),
                meeting=data.get("meeting"),
            )
        try:
            result = actions.do_record_step(
                case,
                number,
                date=data["date"],
                acting_user=request.user,
                notes=data["notes"],
                checklist=data.get("checklist") or [],
                people=list(data.get("people") or []),
                vote=vote,
                training_days=data.get("training_days"),
                training_hours=data.get("training_hours"),
                special_case=bool(data.get("special_case")),
                cell=data.get("cell"),
                documents=data.get("documents") or [],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"已登记{rules.step_label(number)}。")
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect(case)
    return render(
        request,
        "recruitment/step_form.html",
        {
            "case": case,
            "rule": rule,
            "form": form,
            "limits": found,
            "done": rule.number in timeline.done,
        },
    )


def _end_view(request: HttpRequest, pk: int, which: str) -> HttpResponse:
    case = _writable_case(request, pk)
    form: Any
    if which == "extend":
        form = ExtensionForm(request.POST or None, initial={"date": case.probation_ends})
        title = "延长预备期"
    elif which == "transfer":
        form = TransferForm(request.POST or None, case=case, user=request.user)
        title = "转接到其他党支部"
    else:
        form = EndForm(request.POST or None, initial={"date": today()})
        title = "取消预备党员资格" if which == "cancel" else "终止发展"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if which == "extend":
                actions.do_extend_probation(
                    case,
                    months=data["months"],
                    date=data["date"],
                    notes=data["notes"],
                    acting_user=request.user,
                )
            elif which == "transfer":
                actions.do_transfer_case(
                    case, to=data["to"], date=data["date"], reason=data["reason"], acting_user=request.user
                )
            elif which == "cancel":
                actions.do_cancel_probation(
                    case, date=data["date"], reason=data["reason"], acting_user=request.user
                )
            else:
                actions.do_close_case(
                    case, date=data["date"], reason=data["reason"], acting_user=request.user
                )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"已办理：{title}。")
            if which == "transfer" and not restrict(Case.objects.filter(pk=case.pk), request.user).exists():
                return redirect("recruitment:list")
            return redirect(case)
    return render(
        request, "recruitment/action_form.html", {"case": case, "form": form, "title": title, "which": which}
    )


@access(Audience.OFFICERS, writes=True, get_writes=True, target="recruitment.Case")
def extend(request: HttpRequest, pk: int) -> HttpResponse:
    return _end_view(request, pk, "extend")


@access(Audience.OFFICERS, writes=True, get_writes=True, target="recruitment.Case")
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _end_view(request, pk, "cancel")


@access(Audience.OFFICERS, writes=True, get_writes=True, target="recruitment.Case")
def close(request: HttpRequest, pk: int) -> HttpResponse:
    return _end_view(request, pk, "close")


@access(Audience.OFFICERS, writes=True, get_writes=True, target="recruitment.Case")
def transfer(request: HttpRequest, pk: int) -> HttpResponse:
    return _end_view(request, pk, "transfer")


@access(Audience.OFFICERS, get_writes=True, target="recruitment.Case")
def transfer_lookup(request: HttpRequest, pk: int) -> HttpResponse:
    """The transfer form's branch search (core.lookup): the case's own choices, for a user who
    may transfer it; names and parents only."""
    case = _writable_case(request, pk)
    return lookup_response(
        request,
        transfer_targets(case),
        find_transfer_targets,
        ("path", "pk"),
        TRANSFER_HINT,
    )


@access(Audience.OFFICERS, target="recruitment.StepDocument", download=True)
def document(request: HttpRequest, pk: int) -> FileResponse:
    doc = get_in_scope(StepDocument.objects.all(), request.user, pk=pk)
    try:
        handle = doc.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("文件已不存在。") from exc
    return FileResponse(handle, as_attachment=True, filename=doc.original_name, content_type=doc.content_type)


@access(Audience.OFFICERS)
def due_list(request: HttpRequest) -> HttpResponse:
    month, _ = period_param(request.GET, "month", Period.containing(today(), "month"))
    start, end = month.start, month.end
    on = today()
    items = due_items(_cases(request), month_end=end, on=on)
    prev_month = (start - datetime.timedelta(days=1)).replace(day=1)
    next_month = end + datetime.timedelta(days=1)
    summary: dict[str, int] = {}
    for item in items:
        summary[item.reason.label] = summary.get(item.reason.label, 0) + 1
    # A long agency-wide list is paged (phones, and the page stays fast); the counts cover all of it.
    page = Paginator(items, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "recruitment/due_list.html",
        {
            "items": items,
            "page": page,
            "start": start,
            "end": end,
            "today": on,
            "summary": summary,
            "overdue": sum(1 for i in items if i.overdue),
            "prev": f"{prev_month:%Y-%m}",
            "next": f"{next_month:%Y-%m}",
        },
    )


@access(Audience.OFFICERS, writes=True)
def plans(request: HttpRequest) -> HttpResponse:
    year = period_param(request.GET, "year", Period.year(today().year))[0].start.year
    can_write = get_scope(request.user).can_write
    form = PlanForm(request.POST or None, user=request.user, initial={"year": year}) if can_write else None
    if request.method == "POST":
        if form is not None and form.is_valid():
            data = form.cleaned_data
            try:
                actions.do_save_plan(
                    organization=data["organization"],
                    year=data["year"],
                    planned=data["planned"],
                    note=data["note"],
                    acting_user=request.user,
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, f"已保存{data['organization'].name}{data['year']}年发展计划。")
                return redirect(f"{request.path}?year={data['year']}")
    rows = []
    for plan in restrict(Plan.objects.filter(year=year), request.user).select_related("organization"):
        rows.append({"plan": plan, **_actuals(plan.organization, year)})
    return render(
        request,
        "recruitment/plans.html",
        {
            "rows": rows,
            "year": year,
            "form": form,
            "prev": year - 1,
            "next": year + 1,
        },
    )


def _actuals(org: Organization, year: int) -> dict[str, int]:
    """What happened in ``year`` in ``org``'s subtree: applications, activists, candidates, admitted, confirmed."""
    cases = Case.objects.in_subtree(org)
    counts = cases.aggregate(
        applied=Count("id", filter=Q(opened_on__year=year)),
        admitted=Count("id", filter=Q(admitted_on__year=year)),
        confirmed=Count("id", filter=Q(confirmed_on__year=year)),
    )
    steps = Step.objects.filter(case__in=cases, kind=StepKind.STEP, date__year=year).aggregate(
        activists=Count("id", filter=Q(number=rules.ACTIVIST)),
        candidates=Count("id", filter=Q(number=rules.CANDIDATE)),
    )
    return {**counts, **steps}


def home_panel(request: HttpRequest) -> Panel | None:
    """The home page's count of what falls due this month (officers only): metrics' figures."""
    if not get_scope(request.user).is_officer:
        return None
    found = numbers.in_reach(
        ["cases.items_due", "cases.items_overdue", "cases.open"], numbers.on_day(), request.user
    )
    return Panel(
        40,
        "recruitment/_home_panel.html",
        {
            "due": found["cases.items_due"].value,
            "overdue": found["cases.items_overdue"].value,
            "open": found["cases.open"].value,
            "month": today(),
        },
    )
