"""Pages of the responsibility system: lists, item detail, forms, hearings, letters, imports."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from dangjian.core.dates import today
from dangjian.core.downloads import XLSX, attachment
from dangjian.core.scope import Audience, access, get_in_scope, get_scope, restrict
from dangjian.duties import actions, conf, due
from dangjian.duties.choices import OPEN_ITEM_STATUSES, ItemStatus, KeyTaskKind, LetterKind
from dangjian.duties.forms import (
    CompleteForm,
    ItemForm,
    KeyTaskForm,
    LetterForm,
    LiaisonForm,
    ReopenForm,
    ResultForm,
)
from dangjian.duties.models import BusinessResult, KeyTask, Letter, Liaison, ResponsibilityItem
from dangjian.orgs.models import Organization
from dangjian.orgs.options import org_options

ORG_QUERY = {"org": "orgs.Organization"}


def add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdecimal() and 2000 <= int(raw) <= 2100 else today().year


def _org(request: HttpRequest) -> Organization | None:
    raw = request.GET.get("org", "")
    return get_in_scope(Organization.objects.all(), request.user, pk=raw) if raw else None


def _in_org(qs: Any, org: Organization | None, lookup: str) -> Any:
    return qs.filter(**{f"{lookup}__path__startswith": org.path}) if org is not None else qs


def _years(year: int) -> list[int]:
    now = today().year
    return list(range(now + 1, now - 4, -1)) if year in range(now - 3, now + 2) else [year]


def _filters(request: HttpRequest, org: Organization | None, year: int) -> dict[str, Any]:
    return {
        "org": org,
        "year": year,
        "years": _years(year),
        "org_choices": org_options(
            request.user, org, eligible=Organization.objects.active().exclude(kind="cell")
        ),
        "can_write": get_scope(request.user).can_write,
    }


# ---- overview ---------------------------------------------------------------------------------
@access(Audience.OFFICERS)
def overview(request: HttpRequest) -> HttpResponse:
    on = today()
    # A province has thousands: the most urgent first, the rest counted (the lists filter them).
    items, by_label = due.duties_due(
        request.user, on, on + datetime.timedelta(days=conf.item_due_days()), limit=OVERVIEW_ROWS
    )
    return render(
        request,
        "duties/overview.html",
        {"items": items, "total": sum(by_label.values()), "by_label": by_label, "today": on},
    )


OVERVIEW_ROWS = 200
LIAISON_ROWS = 300


# ---- responsibility list ----------------------------------------------------------------------
@access(Audience.OFFICERS, query=ORG_QUERY)
def item_list(request: HttpRequest) -> HttpResponse:
    org, year, on = _org(request), _year(request), today()
    items = _in_org(restrict(ResponsibilityItem.objects.filter(year=year), request.user), org, "organization")
    status = request.GET.get("status", "")
    if status == "overdue":
        items = items.filter(status__in=OPEN_ITEM_STATUSES, deadline__lt=on)
    elif status == "reopened":
        items = items.filter(reopened_count__gt=0)
    elif status in ItemStatus.values:
        items = items.filter(status=status)
    kind = request.GET.get("level", "")
    if kind:
        items = items.filter(organization__kind=kind)
    # Overdue first, then open items by deadline, then the rest.
    items = items.annotate(
        rank=Case(
            When(Q(status__in=OPEN_ITEM_STATUSES, deadline__lt=on), then=Value(0)),
            When(status__in=OPEN_ITEM_STATUSES, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("rank", "deadline", "organization__path", "id")
    page = Paginator(items.select_related("organization", "responsible"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "duties/item_list.html",
        {
            **_filters(request, org, year),
            "page": page,
            "status": status,
            "statuses": [*ItemStatus.choices, ("overdue", "已逾期"), ("reopened", "曾退回")],
            "today": on,
        },
    )


@access(Audience.OFFICERS, target="duties.ResponsibilityItem")
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_in_scope(
        ResponsibilityItem.objects.select_related("organization", "responsible", "evidence_activity"),
        request.user,
        pk=pk,
    )
    scope = get_scope(request.user)
    return render(
        request,
        "duties/item_detail.html",
        {
            "item": item,
            "can_write": scope.can_write_in(item.organization),
            "can_reopen": scope.can_write
            and scope.oversees(item.organization)
            and item.status == ItemStatus.DONE,
            "complete_form": CompleteForm(initial={"done_on": today(), "evidence": item.evidence}),
            "reopen_form": ReopenForm(),
            "overdue": item.status in OPEN_ITEM_STATUSES and item.deadline and item.deadline < today(),
            "history": _history(item),
        },
    )


def _history(obj: Any) -> Any:
    from django.contrib.contenttypes.models import ContentType

    from dangjian.core.models import AuditLog

    ct = ContentType.objects.get_for_model(obj)
    return AuditLog.objects.filter(content_type=ct, object_id=str(obj.pk)).order_by("-timestamp")[:20]


def _edit(
    request: HttpRequest,
    form_class: type,
    instance: Any,
    *,
    title: str,
    back: str,
    org: Organization | None = None,
    files: bool = False,
) -> HttpResponse:
    refresh = request.method == "GET" and request.headers.get("HX-Request")
    field = getattr(form_class, "org_field", "")
    if refresh and field and request.GET.get(field):
        # The organization was changed in the form: offer that organization's people (htmx).
        from dangjian.duties.forms import writable_orgs

        org = writable_orgs(request.user).filter(pk=request.GET[field]).first() or org
    form = form_class(
        request.POST or None,
        (request.FILES or None) if files else None,
        instance=instance,
        user=request.user,
        org=org,
        initial=request.GET.dict() if refresh else None,
    )
    if field and field in form.fields:
        form.fields[field].widget.attrs.update(
            {
                "hx-get": request.path,
                "hx-trigger": "change",
                "hx-target": "#form-body",
                "hx-include": "closest form",
            }
        )
    if request.method == "POST" and form.is_valid():
        try:
            obj = actions.do_save(form.instance, acting_user=request.user)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"已保存：{obj}")
            return redirect(obj)
    template = "duties/_form_fields.html" if request.headers.get("HX-Request") else "duties/form.html"
    return render(request, template, {"form": form, "title": title, "back": back, "files": files})


@access(Audience.OFFICERS, writes=True, get_writes=True, query=ORG_QUERY)
def item_create(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    instance = ResponsibilityItem(year=_year(request))
    return _edit(request, ItemForm, instance, title="新增责任清单事项", back=reverse("duties:items"), org=org)


@access(Audience.OFFICERS, writes=True, get_writes=True, target="duties.ResponsibilityItem")
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_in_scope(ResponsibilityItem.objects.all(), request.user, pk=pk)
    return _edit(request, ItemForm, item, title=f"修改：{item.task}", back=item.get_absolute_url())


@access(Audience.OFFICERS, writes=True, post_only=True, target="duties.ResponsibilityItem")
def item_complete(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_in_scope(ResponsibilityItem.objects.select_related("organization"), request.user, pk=pk)
    form = CompleteForm(request.POST)
    if form.is_valid():
        try:
            actions.do_complete_item(item, **form.cleaned_data, acting_user=request.user)
        except ValidationError as exc:
            messages.error(request, "未能办结：" + "；".join(exc.messages))
        else:
            messages.success(request, "已办结。")
    else:
        messages.error(
            request,
            "未能办结：" + "；".join(f"{form.fields[k].label}：{v[0]}" for k, v in form.errors.items()),
        )
    return redirect(item)


@access(Audience.OFFICERS, oversee=True, post_only=True, target="duties.ResponsibilityItem")
def item_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_in_scope(ResponsibilityItem.objects.select_related("organization"), request.user, pk=pk)
    try:
        actions.do_reopen_item(item, reason=request.POST.get("reason", ""), acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, "未能退回：" + "；".join(exc.messages))
    else:
        messages.success(request, "已退回重办。")
    return redirect(item)


# ---- liaison and hearings -------------------------------------------------------------------
def visit_counts(liaisons: list[Liaison], year: int) -> dict[int, list[Any]]:
    """Each liaison's visits this year: 挂点联系 activities held at the branch, hosted by the leader."""
    from dangjian.activities.models import Activity

    if not liaisons:
        return {}
    visits = (
        Activity.objects.held()
        .within(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        .filter(
            credits__activity_type__code="liaison_visit",
            organization__in={lia.branch_id for lia in liaisons},
            host__in={lia.leader_id for lia in liaisons},
        )
        .distinct()
        .order_by("held_on")
    )
    found: dict[int, list[Any]] = {lia.pk: [] for lia in liaisons}
    by_pair = {(lia.branch_id, lia.leader_id): lia.pk for lia in liaisons}
    for visit in visits:
        key = by_pair.get((visit.organization_id, visit.host_id))
        if key is not None:
            found[key].append(visit)
    return found


@access(Audience.OFFICERS, query=ORG_QUERY)
def liaison_list(request: HttpRequest) -> HttpResponse:
    org, year = _org(request), _year(request)
    liaisons = list(
        _in_org(restrict(Liaison.objects.all(), request.user), org, "branch")
        .filter(Q(ended_on__isnull=True) | Q(ended_on__year__gte=year), started_on__year__lte=year)
        .select_related("leader", "branch")
        .order_by("leader__name", "branch__path")[: LIAISON_ROWS + 1]
    )
    more = len(liaisons) > LIAISON_ROWS
    liaisons = liaisons[:LIAISON_ROWS]
    visits = visit_counts(liaisons, year)
    rows = [{"liaison": lia, "visits": visits.get(lia.pk, [])} for lia in liaisons]
    return render(
        request,
        "duties/liaison_list.html",
        {
            **_filters(request, org, year),
            "rows": rows,
            "more": more,
            "unvisited": sum(1 for r in rows if not r["visits"]),
        },
    )


@access(Audience.OFFICERS, writes=True, get_writes=True)
def liaison_create(request: HttpRequest) -> HttpResponse:
    return _edit(
        request,
        LiaisonForm,
        Liaison(started_on=today()),
        title="新增挂点联系",
        back=reverse("duties:liaisons"),
    )


@access(Audience.OFFICERS, writes=True, get_writes=True, target="duties.Liaison")
def liaison_edit(request: HttpRequest, pk: int) -> HttpResponse:
    liaison = get_in_scope(Liaison.objects.all(), request.user, pk=pk)
    return _edit(request, LiaisonForm, liaison, title=f"修改：{liaison}", back=reverse("duties:liaisons"))


@access(Audience.OFFICERS)
def hearings(request: HttpRequest) -> HttpResponse:
    from dangjian.activities.models import Activity

    year, on = _year(request), today()
    groups = due.leading_groups(request.user)
    rows = due.hearing_quarters(groups, year, on if year == on.year else datetime.date(year, 12, 31))
    held = (
        Activity.objects.held()
        .within(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        .filter(organization__in=[g.pk for g in groups], credits__activity_type__code=due.HEARING_TYPE)
        .distinct()
        .order_by("held_on")
    )
    return render(
        request,
        "duties/hearings.html",
        {
            "rows": rows,
            "year": year,
            "years": _years(year),
            "held": held,
            "today": on,
            "basis": conf.hearing_basis(),
        },
    )


# ---- letters ----------------------------------------------------------------------------------
@access(Audience.OFFICERS, query=ORG_QUERY)
def letter_list(request: HttpRequest) -> HttpResponse:
    org, year, on = _org(request), _year(request), today()
    letters = _in_org(restrict(Letter.objects.filter(year=year), request.user), org, "signer__organization")
    kind = request.GET.get("kind", "")
    if kind in LetterKind.values:
        letters = letters.filter(kind=kind)
    page = Paginator(
        letters.select_related("signer__organization", "counterpart", "counterpart_org").order_by(
            "-signed_on", "id"
        ),
        50,
    ).get_page(request.GET.get("page"))
    unsigned = [
        p
        for p in due.unsigned_posts(request.user, year, on)
        if org is None or p.organization.path.startswith(org.path)
    ]
    deadline = conf.letter_deadline(year)
    return render(
        request,
        "duties/letter_list.html",
        {
            **_filters(request, org, year),
            "page": page,
            "kind": kind,
            "kinds": LetterKind.choices,
            "unsigned": unsigned,
            "deadline": deadline,
            "late": deadline < on,
            "basis": conf.letter_basis(year),
        },
    )


@access(Audience.OFFICERS, get_writes=True)
def signer_lookup(request: HttpRequest) -> HttpResponse:
    """The letter form's signer search box: holders of the posts that must sign, in reach, by
    name, pinyin initials or branch; names and branches only (core.lookup)."""
    from dangjian.core.lookup import lookup_response
    from dangjian.duties.forms import signers

    return lookup_response(
        request,
        signers(request.user).only("pk", "name", "organization__name", "organization__short_name"),
        lambda found, text: found.lookup(text),
        ("organization__path", "name", "pk"),
        "在上方输入姓名或支部名称，查找须签订责任书的领导班子成员和书记。",
    )


@access(Audience.OFFICERS, writes=True, get_writes=True, query=ORG_QUERY)
def letter_create(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    initial = Letter(
        year=_year(request), kind=LetterKind.RESPONSIBILITY, title="党风廉政建设责任书", signed_on=today()
    )
    return _edit(
        request,
        LetterForm,
        initial,
        title="登记责任书/承诺书",
        back=reverse("duties:letters"),
        org=org,
        files=True,
    )


@access(Audience.OFFICERS, writes=True, get_writes=True, target="duties.Letter")
def letter_edit(request: HttpRequest, pk: int) -> HttpResponse:
    letter = get_in_scope(Letter.objects.select_related("signer__organization"), request.user, pk=pk)
    return _edit(
        request,
        LetterForm,
        letter,
        title=f"修改：{letter}",
        back=reverse("duties:letters"),
        org=letter.signer.organization,
        files=True,
    )


@access(Audience.OFFICERS, target="duties.Letter", download=True)
def letter_document(request: HttpRequest, pk: int) -> FileResponse:
    """The scanned letter, to those who may see the letter (never a public media URL)."""
    letter = get_in_scope(Letter.objects.all(), request.user, pk=pk)
    if not letter.document:
        raise Http404("该责任书没有上传扫描件。")
    try:
        handle = letter.document.open("rb")
    except FileNotFoundError as exc:
        raise Http404("文件已不存在。") from exc
    suffix = letter.document.name.rsplit(".", 1)[-1] if "." in letter.document.name else "pdf"
    return FileResponse(
        handle, as_attachment=True, filename=f"{letter.year}年{letter.title}（{letter.signer.name}）.{suffix}"
    )


# ---- key tasks and business results ---------------------------------------------------------
@access(Audience.OFFICERS, query=ORG_QUERY)
def key_task_list(request: HttpRequest) -> HttpResponse:
    org, year = _org(request), _year(request)
    tasks = _in_org(restrict(KeyTask.objects.filter(year=year), request.user), org, "organization")
    kind = request.GET.get("kind", "")
    if kind in KeyTaskKind.values:
        tasks = tasks.filter(kind=kind)
    page = Paginator(tasks.select_related("organization", "lead").order_by("started_on", "id"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "duties/key_task_list.html",
        {**_filters(request, org, year), "page": page, "kind": kind, "kinds": KeyTaskKind.choices},
    )


@access(Audience.OFFICERS, writes=True, get_writes=True, query=ORG_QUERY)
def key_task_create(request: HttpRequest) -> HttpResponse:
    instance = KeyTask(year=_year(request), started_on=today())
    return _edit(
        request,
        KeyTaskForm,
        instance,
        title="新增中心工作",
        back=reverse("duties:key-tasks"),
        org=_org(request),
    )


@access(Audience.OFFICERS, writes=True, get_writes=True, target="duties.KeyTask")
def key_task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_in_scope(KeyTask.objects.all(), request.user, pk=pk)
    return _edit(request, KeyTaskForm, task, title=f"修改：{task}", back=reverse("duties:key-tasks"))


@access(Audience.OFFICERS, query=ORG_QUERY)
def result_list(request: HttpRequest) -> HttpResponse:
    org, year = _org(request), _year(request)
    results = _in_org(
        restrict(BusinessResult.objects.filter(period_end__year=year), request.user), org, "organization"
    )
    page = Paginator(
        results.select_related("organization", "entered_by__role__member").order_by("-period_end", "name"), 50
    ).get_page(request.GET.get("page"))
    return render(request, "duties/result_list.html", {**_filters(request, org, year), "page": page})


@access(Audience.OFFICERS, writes=True, get_writes=True, query=ORG_QUERY)
def result_create(request: HttpRequest) -> HttpResponse:
    return _edit(
        request,
        ResultForm,
        BusinessResult(),
        title="录入业务成果",
        back=reverse("duties:results"),
        org=_org(request),
    )


@access(Audience.OFFICERS, writes=True, get_writes=True, target="duties.BusinessResult")
def result_edit(request: HttpRequest, pk: int) -> HttpResponse:
    result = get_in_scope(BusinessResult.objects.all(), request.user, pk=pk)
    return _edit(request, ResultForm, result, title=f"修改：{result.name}", back=reverse("duties:results"))


def xlsx(content: bytes, filename: str) -> HttpResponse:
    return attachment(content, XLSX, filename, ascii_name="duties")
