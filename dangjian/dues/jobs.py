"""Dues work in the background: the monthly run (the 机关党委's overview page) and the base and
payment list imports (a branch officer's upload, checked by a dry run, then 确认导入)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from dangjian.core.import_report import ImportReport
from dangjian.core.jobs import Job, JobRun, job_kind
from dangjian.core.scope import get_scope, restrict
from dangjian.dues import excel
from dangjian.dues.allocation import month_label, parse_month
from dangjian.dues.rates import LAPSE_MONTHS
from dangjian.dues.run import run_month
from dangjian.members.models import Member

IMPORT_KIND = "dues.import"
IMPORT_TITLES = {"bases": "交纳基数", "payments": "党费交纳表"}


@job_kind("dues.run_month", label="生成党费台账")
def run_month_job(run: JobRun) -> None:
    # Checked again as the job starts: the owner's role may have changed while it queued.
    scope = get_scope(run.owner)
    if not (scope.can_write and scope.whole_agency):
        raise PermissionDenied("只有机关党委/党组和系统管理员可以生成全体党员的党费台账。")
    month = parse_month(run.arguments["month"])
    label = month_label(month)
    run.progress(stage=f"正在计算{label}全体党员的交纳标准、应交和欠交……")
    # The run is idempotent anyway; committing it with the job's "done" keeps the page exact.
    with transaction.atomic():
        summary = run_month(month)
        run.finish(
            stage=(
                f"{label}党费台账已生成：{summary.lines}人，应交{summary.total_due}元，实交{summary.total_paid}元；"
                f"欠交{summary.members_in_arrears}人共{summary.arrears_total}元；"
                f"连续{LAPSE_MONTHS}个月未交{summary.red_flags}人；缺少基数{summary.missing_base}人。"
            ),
            result={
                "month": f"{month:%Y-%m}",
                "lines": summary.lines,
                "total_due": str(summary.total_due),
                "total_paid": str(summary.total_paid),
                "members_in_arrears": summary.members_in_arrears,
                "arrears_total": str(summary.arrears_total),
                "red_flags": summary.red_flags,
                "bases_created": summary.bases_created,
                "missing_base": summary.missing_base,
            },
            url=reverse("dues:overview") + f"?month={month:%Y-%m}",
            url_label="查看党费收缴总览",
        )


def _import_context(job: Job) -> dict[str, Any]:
    report = ImportReport.from_dict(job.result)
    # A clean dry run offers 确认导入 of the very file it checked, kept with the job.
    confirm = job.pk if report.dry_run and report.ok and report.written and job.input_path.exists() else None
    return {"report": report, "confirm_job": confirm}


@job_kind(
    IMPORT_KIND,
    label="党费导入",
    result_template="dues/_import_result.html",
    result_context=_import_context,
)
def import_job(run: JobRun) -> None:
    """Import a base or payment list: every row through the web form's action, all or nothing.

    The sheet is read before the write transaction opens (reading writes nothing, and SQLite
    would otherwise hold its write lock while a big file is parsed); the rows written, their
    audit entries and the job's "done" then commit together, so a worker killed at any point
    leaves either all of them or none, and the job page shows the failure rather than a job
    that is forever writing.
    """
    args = run.arguments
    kind, dry_run = args["kind"], bool(args.get("dry_run"))
    if kind not in IMPORT_TITLES:
        raise ValueError(f"unknown dues import {kind!r}")
    # Checked again as the job starts: the owner's role may have changed while it queued.
    if not get_scope(run.owner).can_write:
        raise PermissionDenied("您的角色没有写入权限，不能导入党费数据。")
    month = parse_month(args["month"])
    on = datetime.date.fromisoformat(args["on"])
    # The members the owner may change, as the web form's action would allow, decided now.
    members = restrict(Member.objects.active(), run.owner, "change")
    if kind == "bases":
        handle = excel.base_rows(members=members, default_month=month, acting_user=run.owner)
    else:
        handle = excel.payment_rows(members=members, month=month, acting_user=run.owner, on=on)
    run.progress(stage="正在读取文件……")
    report, table = excel.read_sheet(
        run.input_bytes(), kind, filename=args.get("filename", ""), dry_run=dry_run
    )
    if table is not None:
        # No row counts from here on: they would be written inside the import's transaction,
        # where nobody else sees them until the end.
        verb = "检查" if dry_run else "检查并写入"
        run.progress(stage=f"已读取 {report.rows:,} 行，正在逐行{verb}……")
    if dry_run:
        # Keep the checked file: 确认导入 imports exactly it, without a second upload.
        run.keep_input = True
    url = reverse("dues:month") + f"?month={month:%Y-%m}"
    with transaction.atomic():
        if table is not None:
            excel.write_rows(report, table, handle, kind=kind, dry_run=dry_run)
        run.finish(
            stage=report.summary,
            result=report.as_dict(),
            url=url if report.imported else "",
            url_label="查看党费收缴" if report.imported else "",
        )
