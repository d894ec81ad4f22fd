"""Template, export and import pages of every duties ledger, made from its sheet description."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path

from dangjian.core.dates import today
from dangjian.core.downloads import XLSX, attachment
from dangjian.core.ledger_views import ImportPage, import_view
from dangjian.core.scope import Audience, access, restrict
from dangjian.duties.sheetio import SheetSpec, export_workbook, import_sheet, template_workbook

EXPORT_MAX_ROWS = 5000


def import_context(user: Any) -> dict[str, Any]:
    from dangjian.duties.forms import leaders, writable_orgs
    from dangjian.members.models import Member
    from dangjian.orgs.choices import OrgKind
    from dangjian.orgs.models import Organization

    return {
        "orgs": writable_orgs(user),
        "members": restrict(Member.objects.active(), user),
        "leaders": leaders(user),
        "toporgs": Organization.objects.active().filter(
            kind__in=(OrgKind.LEADING_GROUP, OrgKind.ORGAN_COMMITTEE)
        ),
    }


def _records(slug: str, user: Any, year: int, org: Any = None) -> Any:
    from dangjian.duties.models import BusinessResult, KeyTask, Letter, Liaison, ResponsibilityItem

    qs = {
        "items": ResponsibilityItem.objects.filter(year=year).select_related("organization", "responsible"),
        "liaisons": Liaison.objects.select_related("branch", "leader"),
        "letters": Letter.objects.filter(year=year).select_related(
            "signer__organization", "counterpart", "counterpart_org"
        ),
        "key-tasks": KeyTask.objects.filter(year=year).select_related("organization", "lead"),
        "results": BusinessResult.objects.filter(period_end__year=year).select_related("organization"),
    }[slug]
    if org is not None:
        lookup = {"liaisons": "branch", "letters": "signer__organization"}.get(slug, "organization")
        qs = qs.filter(**{f"{lookup}__path__startswith": org.path})
    return restrict(qs, user)


def make_views(
    spec: SheetSpec,
    records: Callable[..., Any],
    context: Callable[[Any], dict[str, Any]],
    namespace: str,
    back: str,
) -> dict[str, Callable[..., HttpResponse]]:
    """The three pages of one sheet: template, export and import."""

    @access(Audience.OFFICERS, download=True)
    def template(request: HttpRequest) -> HttpResponse:
        names = list(context(request.user)["orgs"].values_list("name", flat=True)[:2000])
        return attachment(
            template_workbook(spec, org_names=names), XLSX, f"{spec.name}导入模板.xlsx", ascii_name="template"
        )

    @access(Audience.OFFICERS, download=True, query={"org": "orgs.Organization"})
    def export(request: HttpRequest) -> HttpResponse:
        from dangjian.core.scope import get_in_scope
        from dangjian.orgs.models import Organization

        raw = request.GET.get("year", "")
        year = int(raw) if raw.isdecimal() and 2000 <= int(raw) <= 2100 else today().year
        org = (
            get_in_scope(Organization.objects.all(), request.user, pk=request.GET["org"])
            if request.GET.get("org")
            else None
        )
        name = f"{org.name if org else ''}{year}年{spec.name}"
        rows = records(spec.slug, request.user, year, org)
        total = rows.count()
        if total > EXPORT_MAX_ROWS:
            # A province's whole list takes minutes to write: export it organization by organization.
            return render(
                request,
                "duties/export_too_big.html",
                {"spec": spec, "total": total, "limit": EXPORT_MAX_ROWS, "back": back, "year": year},
                status=200,
            )
        body = export_workbook(spec, rows.iterator(chunk_size=2000), title=name)
        return attachment(body, XLSX, f"{name}.xlsx", ascii_name="export")

    do_import = import_view(
        ImportPage(
            title=f"{spec.name} Excel导入",
            back_url=back,
            back_label=spec.name,
            template_url=f"{namespace}:{spec.slug}-template",
            intro="按模板填写，每行一条。",
        ),
        lambda request: partial(import_sheet, spec, user=request.user, context=context(request.user)),
    )

    return {"template": template, "export": export, "import": do_import}


def sheet_urls(
    specs: dict[str, SheetSpec],
    records: Callable[..., Any],
    context: Callable[[Any], dict[str, Any]],
    namespace: str,
) -> list[URLPattern]:
    found = []
    for slug, spec in specs.items():
        views = make_views(spec, records, context, namespace, f"{namespace}:{slug}")
        found += [
            path(f"{slug}/template/", views["template"], name=f"{slug}-template"),
            path(f"{slug}/export/", views["export"], name=f"{slug}-export"),
            path(f"{slug}/import/", views["import"], name=f"{slug}-import"),
        ]
    return found


def urlpatterns() -> list[URLPattern]:
    from dangjian.duties.excel import SPECS

    return sheet_urls(SPECS, _records, import_context, "duties")
