"""The 为民办实事 ledger's Excel pages: the template, the import (with a dry run) and the export."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from dangjian.campaigns.excel import export_pledges, import_pledges, template_workbook
from dangjian.campaigns.models import Campaign
from dangjian.campaigns.views import pledge_filters
from dangjian.core.dates import today
from dangjian.core.downloads import XLSX, attachment
from dangjian.core.import_report import ImportReport, Problem
from dangjian.core.scope import Audience, access, restrict
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization


def _writable_orgs(request: HttpRequest) -> list[Organization]:
    return list(
        restrict(Organization.objects.exclude(kind=OrgKind.CELL), request.user, "change").order_by("path")
    )


@access(Audience.OFFICERS, writes=True, get_writes=True)
@require_http_methods(["GET", "POST"])
def pledge_import(request: HttpRequest) -> HttpResponse:
    context: dict = {"max_mb": settings.IMPORT_MAX_BYTES // (1024 * 1024), "dry_run": True}
    if request.method == "POST":
        upload = request.FILES.get("file")
        dry_run = request.POST.get("dry_run") == "on"
        context["dry_run"] = dry_run
        if upload is None:
            context["form_error"] = "请选择要导入的 .xlsx 文件。"
            return render(request, "campaigns/pledge_import.html", context, status=400)
        filename = upload.name or "为民办实事.xlsx"
        if upload.size > settings.IMPORT_MAX_BYTES:
            report = ImportReport(filename=filename, dry_run=dry_run)
            report.file_errors.append(
                Problem(
                    f"文件大小 {upload.size / 1048576:.1f} MB，超过了 {settings.IMPORT_MAX_BYTES / 1048576:.0f} MB 的上限。"
                )
            )
            context["report"] = report
            return render(request, "campaigns/pledge_import.html", context, status=400)
        report = import_pledges(
            upload.read(), filename=filename, orgs=_writable_orgs(request), user=request.user, dry_run=dry_run
        )
        context["report"] = report
        return render(request, "campaigns/pledge_import.html", context, status=200 if report.ok else 400)
    return render(request, "campaigns/pledge_import.html", context)


@access(Audience.OFFICERS, get_writes=True, download=True)
@require_GET
def pledge_template(request: HttpRequest) -> HttpResponse:
    orgs = _writable_orgs(request)
    campaigns = restrict(Campaign.objects.order_by("-started_on"), request.user).values_list(
        "name", flat=True
    )
    data = template_workbook([o.name for o in orgs], list(campaigns[:200]))
    return attachment(data, XLSX, "为民办实事导入模板.xlsx", ascii_name="pledges-template")


@access(Audience.OFFICERS, query={"org": "orgs.Organization"}, download=True)
@require_GET
def pledge_export(request: HttpRequest) -> HttpResponse:
    """The list as filtered on the page, within the user's scope."""
    qs, _f = pledge_filters(request)
    data = export_pledges(qs.select_related("collected_by"))
    return attachment(data, XLSX, f"为民办实事台账_{today():%Y%m%d}.xlsx", ascii_name="pledges")
