"""Roster import (with a dry run; big files become a job with a progress page), the template, and the export."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from dangjian.core import jobs
from dangjian.core.dates import today
from dangjian.core.downloads import XLSX, attachment
from dangjian.core.import_report import ImportReport, Problem
from dangjian.core.scope import NOT_FOUND, Audience, access, restrict
from dangjian.members.filters import filter_roster
from dangjian.members.models import Member
from dangjian.members.roster_export import export_roster, template_workbook
from dangjian.members.roster_import import import_roster
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization

# Files up to this size (≈2,000 rows) are checked while the user waits; bigger ones are stored
# and imported by the job worker, with a progress page. Overridable in tests.
INLINE_MAX_BYTES = 150 * 1024


def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    return attachment(data, XLSX, filename, ascii_name="roster")


@access(Audience.OFFICERS, writes=True, get_writes=True)
@require_http_methods(["GET", "POST"])
def import_roster_view(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"max_mb": settings.IMPORT_MAX_BYTES // (1024 * 1024), "dry_run": True}
    if request.method == "POST":
        upload = request.FILES.get("file")
        dry_run = request.POST.get("dry_run") == "on"
        context["dry_run"] = dry_run
        if upload is None:
            context["form_error"] = "请选择要导入的 .xlsx 文件。"
            return render(request, "members/roster_import.html", context, status=400)
        filename = upload.name or "花名册.xlsx"
        if upload.size > settings.IMPORT_MAX_BYTES:
            # Refuse before reading the whole upload into memory.
            report = ImportReport(filename=filename, dry_run=dry_run)
            report.file_errors.append(
                Problem(
                    f"文件大小 {upload.size / 1048576:.1f} MB，超过了 "
                    f"{settings.IMPORT_MAX_BYTES / 1048576:.0f} MB 的上限。请分成几个文件导入。"
                )
            )
            context["report"] = report
            return render(request, "members/roster_import.html", context, status=400)
        data = upload.read()
        if len(data) > getattr(settings, "ROSTER_INLINE_MAX_BYTES", INLINE_MAX_BYTES):
            job = jobs.enqueue(
                "members.roster_import",
                owner=request.user,
                title=f"{'试导入' if dry_run else '导入'}花名册：{filename}",
                arguments={"filename": filename[:200], "dry_run": dry_run},
                upload=data,
                upload_name=filename,
            )
            return redirect(job)
        report = import_roster(data, filename=filename, user=request.user, dry_run=dry_run, via="web")
        context["report"] = report
        if dry_run and report.ok and report.written:
            # Keep the checked file on the server: 确认导入 imports exactly it, with no second upload.
            context["confirm_job"] = jobs.record_done(
                "members.roster_import",
                owner=request.user,
                title=f"试导入花名册：{filename}",
                arguments={"filename": filename[:200], "dry_run": True},
                result=report.as_dict(),
                stage=report.summary,
                upload=data,
                upload_name=filename,
            ).pk
        return render(request, "members/roster_import.html", context, status=200 if report.ok else 400)
    return render(request, "members/roster_import.html", context)


@access(Audience.OFFICERS, writes=True, post_only=True)
def import_confirm(request: HttpRequest) -> HttpResponse:
    """确认导入: import the file a clean dry run checked, kept on the server by that dry run's job."""
    if not request.POST.get("job"):
        messages.error(request, "没有指定要确认的试导入，请先上传文件试导入。")
        return redirect("members:import")
    job = jobs.get_job(request.user, request.POST.get("job"))
    if job.owner_id != request.user.pk or job.kind != "members.roster_import":
        raise Http404(NOT_FOUND)
    checked = ImportReport.from_dict(job.result) if job.result else None
    if not (job.arguments.get("dry_run") and checked is not None and checked.ok):
        messages.error(request, "只能确认一次通过了的试导入。请重新上传文件。")
        return redirect("members:import")
    try:
        data = job.input_path.read_bytes()
    except FileNotFoundError:
        messages.error(request, "试导入的文件已不在服务器上（超过保存期限后删除），请重新上传。")
        return redirect("members:import")
    filename = job.arguments.get("filename", "花名册.xlsx")
    if len(data) > getattr(settings, "ROSTER_INLINE_MAX_BYTES", INLINE_MAX_BYTES):
        return redirect(
            jobs.enqueue(
                "members.roster_import",
                owner=request.user,
                title=f"导入花名册：{filename}",
                arguments={"filename": filename, "dry_run": False},
                upload=data,
                upload_name=filename,
            )
        )
    # Checked again as it is written: the roster may have changed since the dry run.
    report = import_roster(data, filename=filename, user=request.user, dry_run=False, via="web")
    context = {"max_mb": settings.IMPORT_MAX_BYTES // (1024 * 1024), "dry_run": True, "report": report}
    return render(request, "members/roster_import.html", context, status=200 if report.ok else 400)


@access(Audience.OFFICERS, get_writes=True, download=True)
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    branches = restrict(Organization.objects.active(), request.user, "change").order_by("path")
    branch = branches.filter(kind=OrgKind.BRANCH).first()
    cell = branches.filter(kind=OrgKind.CELL, parent=branch).first() if branch else None
    data = template_workbook(
        branch_name=branch.name if branch else "第一党支部",
        cell_name=cell.name if cell else "",
        org_names=list(branches.exclude(kind=OrgKind.CELL).values_list("name", flat=True)),
        cell_names=list(dict.fromkeys(branches.filter(kind=OrgKind.CELL).values_list("name", flat=True))),
    )
    return _xlsx_response(data, "党员花名册导入模板.xlsx")


@access(Audience.MEMBERS, query={"org": "orgs.Organization"}, download=True)
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """The roster as filtered on the list page, within the user's scope; IDs masked unless allowed."""
    members = filter_roster(restrict(Member.objects.all(), request.user), request.GET, request.user).ordered
    data = export_roster(members, user=request.user)
    return _xlsx_response(data, f"党员花名册_{today():%Y%m%d}.xlsx")
