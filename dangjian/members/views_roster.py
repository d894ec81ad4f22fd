"""Roster import (with a dry run and a progress page for big files), the template, and the export."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import OperationalError, close_old_connections, connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from dangjian.core.dates import today
from dangjian.core.downloads import XLSX, attachment
from dangjian.core.import_report import ImportReport, Problem
from dangjian.core.scope import get_scope, require_write, restrict
from dangjian.members.filters import filter_roster
from dangjian.members.models import ImportJob, Member
from dangjian.members.roster_export import export_roster, template_workbook
from dangjian.members.roster_import import import_roster
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization

logger = logging.getLogger(__name__)

# Files up to this size (≈2,000 rows) are checked while the user waits; bigger ones run in the
# background with a progress line. Overridable in tests.
INLINE_MAX_BYTES = 150 * 1024


def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    return attachment(data, XLSX, filename, ascii_name="roster")


@require_http_methods(["GET", "POST"])
def import_roster_view(request: HttpRequest) -> HttpResponse:
    require_write(request.user)
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
            job = ImportJob.objects.create(created_by=request.user, filename=filename[:200], dry_run=dry_run)
            start_in_background(run_job, job.pk, data)
            return redirect("members:import-status", pk=job.pk)
        report = import_roster(data, filename=filename, user=request.user, dry_run=dry_run, via="web")
        context["report"] = report
        return render(request, "members/roster_import.html", context, status=200 if report.ok else 400)
    return render(request, "members/roster_import.html", context)


def start_in_background(fn: Callable[..., None], *args: Any) -> None:
    """Run ``fn(*args)`` in a daemon thread with its own database connection."""

    def main() -> None:
        close_old_connections()
        try:
            fn(*args)
        finally:
            connection.close()

    threading.Thread(target=main, name="roster-import", daemon=True).start()


def run_job(job_id: int, data: bytes) -> None:
    """Claim the job (so it never runs twice), import with progress updates, store the report."""
    claimed = _retry_locked(
        lambda: ImportJob.objects.filter(pk=job_id, state=ImportJob.State.PENDING).update(
            state=ImportJob.State.RUNNING
        )
    )
    if not claimed:
        return
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)

    def progress(done: int, total: int) -> None:
        try:
            ImportJob.objects.filter(pk=job_id).update(checked_rows=done, total_rows=total)
        except OperationalError:
            pass  # the progress line is cosmetic; a momentarily locked table must not stop the import

    try:
        report = import_roster(
            data,
            filename=job.filename,
            user=job.created_by,
            dry_run=job.dry_run,
            via="web",
            progress=progress,
        )
        state = ImportJob.State.DONE
    except Exception:
        logger.exception("roster import job %s failed", job_id)
        report = ImportReport(filename=job.filename, dry_run=job.dry_run)
        report.file_errors.append(Problem("导入时发生内部错误，没有写入任何数据。请联系系统管理员。"))
        state = ImportJob.State.FAILED
    _retry_locked(
        lambda: ImportJob.objects.filter(pk=job_id).update(
            state=state, report=report.as_dict(), finished_at=timezone.now(), total_rows=report.rows
        )
    )


def _retry_locked(write: Callable[[], int], attempts: int = 50) -> int:
    """Run a small job-row write, retrying while SQLite reports the table locked by a reader.

    SQLite answers "database table is locked" at once (no busy wait) when another connection is
    reading; a job left "pending" forever would be worse than a short wait.
    """
    for attempt in range(attempts):
        try:
            return write()
        except OperationalError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.1)
    return 0


@require_GET
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's progress; htmx polls the fragment until the report is there."""
    require_write(request.user)
    # A job is its uploader's alone: anyone else gets 404, as for a record outside their scope.
    job = get_object_or_404(ImportJob, pk=pk, created_by=request.user)
    context = {"job": job, "report": ImportReport.from_dict(job.report) if job.finished else None}
    if request.headers.get("HX-Request"):
        return render(request, "members/roster_import_progress.html", context)
    return render(request, "members/roster_import_status.html", context)


@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    require_write(request.user)
    branches = restrict(Organization.objects.active(), request.user, "change").order_by("path")
    branch = branches.filter(kind=OrgKind.BRANCH).first()
    cell = branches.filter(kind=OrgKind.CELL, parent=branch).first() if branch else None
    data = template_workbook(
        branch_name=branch.name if branch else "第一党支部", cell_name=cell.name if cell else ""
    )
    return _xlsx_response(data, "党员花名册导入模板.xlsx")


@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """The roster as filtered on the list page, within the user's scope; IDs masked unless allowed."""
    if get_scope(request.user).reach == "none":
        raise Http404("没有可导出的花名册。")
    members = filter_roster(restrict(Member.objects.all(), request.user), request.GET, request.user).ordered
    data = export_roster(members, user=request.user)
    return _xlsx_response(data, f"党员花名册_{today():%Y%m%d}.xlsx")
