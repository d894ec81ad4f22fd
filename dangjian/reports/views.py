"""Report drafts: create from the ledger, preview with traceable figures, edit, compare, export."""

from __future__ import annotations

import json

from django.apps import apps
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dangjian.core import jobs
from dangjian.core.downloads import attachment
from dangjian.core.period import Period
from dangjian.core.scope import Audience, access, get_in_scope, restrict
from dangjian.proofread import check
from dangjian.reports import actions
from dangjian.reports.document import Document
from dangjian.reports.editing import apply_edits, diff_documents
from dangjian.reports.forms import GenreForm, InputsForm, NewDraftForm
from dangjian.reports.models import Draft, Genre, Version
from dangjian.reports.render_docx import render_version


def _draft(request: HttpRequest, pk: int) -> Draft:
    return get_in_scope(Draft.objects.select_related("genre", "organization"), request.user, pk=pk)


def _version(request: HttpRequest, draft: Draft) -> Version:
    raw = (request.GET.get("v") or request.POST.get("v") or "").strip()
    versions = draft.versions.all()
    if not raw:
        version = versions.order_by("-number").first()
    elif raw.isascii() and raw.isdigit() and len(raw) < 10:
        version = versions.filter(number=int(raw)).first()
    else:
        version = None  # "v=abc" names no version: the same answer as a number that does not exist
    if version is None:
        raise Http404("该版本不存在。")
    return version


@access(Audience.OFFICERS, writes=True)
def draft_list(request: HttpRequest) -> HttpResponse:
    drafts = restrict(Draft.objects.select_related("genre", "organization"), request.user)
    form = NewDraftForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            job = jobs.enqueue(
                "reports.create_draft",
                owner=request.user,
                title=f"生成{data['organization'].name}{data['period'].label}{data['genre'].name}",
                arguments={
                    "genre": data["genre"].pk,
                    "organization": data["organization"].pk,
                    "period": data["period"].code,
                },
            )
            return redirect(job)
    genres = restrict(Genre.objects.all(), request.user)
    return render(
        request,
        "reports/draft_list.html",
        {"drafts": drafts[:100], "form": form, "genres": genres, "period_options": period_options()},
    )


@access(Audience.OFFICERS, target="reports.Draft")
def draft_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    version = _version(request, draft)
    document = Document.from_json(version.document)
    findings = check(document.plain_text())
    return render(
        request,
        "reports/draft_detail.html",
        {
            "draft": draft,
            "version": version,
            "document": document,
            "versions": draft.versions.order_by("-number"),
            "figures": {f["key"]: f for f in version.figures},
            "prompts": document.prompts(),
            "finding_count": len(findings),
        },
    )


@access(Audience.OFFICERS, writes=True, get_writes=True, target="reports.Draft")
def draft_edit(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    version = _version(request, draft)
    document = Document.from_json(version.document)
    if request.method == "POST":
        texts = [request.POST.get(f"block-{i}", "") for i in range(len(document.blocks))]
        edited = apply_edits(document, request.POST.get("title", ""), texts)
        new = actions.do_save_edit(
            draft, version, edited, note=request.POST.get("note", "").strip(), acting_user=request.user
        )
        messages.success(request, f"已保存为第{new.number}版。")
        return redirect(new.get_absolute_url())
    return render(
        request, "reports/draft_edit.html", {"draft": draft, "version": version, "document": document}
    )


@access(Audience.OFFICERS, writes=True, get_writes=True, target="reports.Draft")
def draft_inputs(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    form = InputsForm(request.POST or None, instance=draft)
    if request.method == "POST" and form.is_valid():
        version = actions.do_save_inputs(form.save(commit=False), acting_user=request.user)
        messages.success(request, f"已按新内容重新生成，第{version.number}版。")
        return redirect(version.get_absolute_url())
    return render(request, "reports/draft_inputs.html", {"draft": draft, "form": form})


@access(Audience.OFFICERS, writes=True, target="reports.Draft", post_only=True)
def draft_regenerate(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    job = jobs.enqueue(
        "reports.regenerate",
        owner=request.user,
        title=f"重新生成：{draft.title}",
        arguments={"draft": draft.pk},
    )
    return redirect(job)


@access(Audience.OFFICERS, target="reports.Draft", post_only=True, note="makes a file, writes no record")
def draft_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """PDF through LibreOffice takes seconds: a job, whose page offers the file when it is ready."""
    draft = _draft(request, pk)
    version = _version(request, draft)
    job = jobs.enqueue(
        "reports.export_pdf",
        owner=request.user,
        title=f"导出 PDF：{draft.title}（第{version.number}版）",
        arguments={"draft": draft.pk, "version": version.number},
    )
    return redirect(job)


@access(Audience.OFFICERS, target="reports.Draft")
def draft_diff(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    versions = {v.number: v for v in draft.versions.all()}
    try:
        a = versions[int(request.GET.get("a", 0))]
        b = versions[int(request.GET.get("b", 0))]
    except (KeyError, ValueError):
        numbers = sorted(versions)
        if len(numbers) < 2:
            messages.info(request, "只有一个版本，暂无可比较的内容。")
            return redirect(draft)
        a, b = versions[numbers[-2]], versions[numbers[-1]]
    rows = diff_documents(Document.from_json(a.document), Document.from_json(b.document))
    return render(
        request,
        "reports/draft_diff.html",
        {
            "draft": draft,
            "a": a,
            "b": b,
            "rows": rows,
            "versions": sorted(versions.values(), key=lambda v: -v.number),
        },
    )


@access(Audience.OFFICERS, target="reports.Draft")
def figure_evidence(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """The records behind one figure of a saved version, each within the viewer's scope."""
    draft = _draft(request, pk)
    version = _version(request, draft)
    figure = version.figure(key)
    if figure is None:
        raise Http404("该数字不在此版本中。")
    evidence = figure.get("evidence", {})
    try:
        model = apps.get_model(evidence.get("model", ""))
    except (LookupError, ValueError) as exc:
        raise Http404("数据来源不可用。") from exc
    ids = evidence.get("ids", [])
    records = list(restrict(model.objects.all(), request.user).filter(pk__in=ids)[:500])
    hidden = len(ids) - len(records) if len(ids) <= 500 else 0
    return render(
        request,
        "reports/figure_evidence.html",
        {
            "draft": draft,
            "version": version,
            "figure": figure,
            "records": records,
            "hidden": hidden,
            "model_name": model._meta.verbose_name,
        },
    )


@access(Audience.OFFICERS, target="reports.Draft", download=True)
def draft_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    draft = _draft(request, pk)
    version = _version(request, draft)
    document = Document.from_json(version.document)
    filename = f"{draft.title}-第{version.number}版"
    if fmt == "txt":
        return _attachment(
            document.plain_text().encode("utf-8"), "text/plain; charset=utf-8", f"{filename}.txt"
        )
    if fmt == "json":
        payload = {
            "genre": draft.genre.code,
            "org": draft.organization.name,
            "org_id": draft.organization_id,
            "period": draft.period.code,
            "title": document.title,
            "blocks": [b.to_json() for b in document.blocks],
            "figures": version.figures,
        }
        body = json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")
        return _attachment(body, "application/json", f"{filename}.json")
    if fmt == "docx":
        mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        return _attachment(render_version(draft, version), mime, f"{filename}.docx")
    if fmt == "pdf":
        # An old link: the PDF is made by a job now (the PDF button on the draft's page).
        messages.info(request, "PDF 需要在后台生成，请点击本页的“PDF”按钮。")
        return redirect(version.get_absolute_url())
    raise Http404("不支持的格式。")


def _attachment(body: bytes, content_type: str, filename: str) -> HttpResponse:
    return attachment(body, content_type, filename, ascii_name="report")


@access(Audience.OFFICERS)
def genre_list(request: HttpRequest) -> HttpResponse:
    genres = restrict(Genre.objects.all(), request.user)
    return render(request, "reports/genre_list.html", {"genres": genres})


@access(Audience.OFFICERS, writes=True, target="reports.Genre")
def genre_detail(request: HttpRequest, pk: int) -> HttpResponse:
    genre = get_in_scope(Genre.objects.all(), request.user, pk=pk)
    form = None
    if not genre.is_builtin:
        form = GenreForm(request.POST or None, instance=genre)
        if request.method == "POST" and form.is_valid():
            actions.do_save_genre(form.save(commit=False), acting_user=request.user)
            messages.success(request, "文体模板已保存。")
            return redirect(genre)
    body = json.dumps(genre.body, ensure_ascii=False, indent=2)
    return render(request, "reports/genre_detail.html", {"genre": genre, "form": form, "body": body})


@access(Audience.OFFICERS, writes=True, target="reports.Genre", post_only=True)
def genre_copy(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_in_scope(Genre.objects.all(), request.user, pk=pk)
    genre = actions.do_copy_genre(source, acting_user=request.user)
    messages.success(request, "已复制，可修改模板后使用。")
    return redirect(genre)


def period_options() -> list[tuple[str, str]]:
    from dangjian.core.dates import today

    year = today().year
    out: list[tuple[str, str]] = []
    for y in (year, year - 1, year - 2):
        for period in (Period.year(y), Period.half(y, 1), Period.half(y, 2)):
            out.append((period.code, period.label))
    return out
