"""Roster imports as background jobs: big files are checked and written by the job worker."""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any

from django.db import transaction

from dangjian.core.import_report import ImportReport
from dangjian.core.jobs import Job, JobRun, job_kind
from dangjian.members.roster_import import import_roster


def _report_context(job: Job) -> dict[str, Any]:
    report = ImportReport.from_dict(job.result)
    # A clean dry run done by the worker offers 确认导入 of its stored file, as the inline one does.
    confirm = job.pk if report.dry_run and report.ok and report.written and not job.result_file else None
    return {"report": report, "confirm_job": confirm}


@job_kind(
    "members.roster_import",
    label="花名册导入",
    result_template="members/roster_import_report.html",
    result_context=_report_context,
)
def roster_import(run: JobRun) -> None:
    """Check every row with progress, write them all, and mark the job done in the same transaction.

    ``import_roster`` reports its last progress (all rows checked) just before it writes. The
    transaction opens there, so the checking runs outside it (its progress shows, and SQLite
    holds no stale read snapshot across other writers' commits), while the members written and
    the job's "done" commit together: a worker that dies at any point leaves either both or
    neither, and a re-run of a done job does nothing.
    """
    filename = run.arguments["filename"]
    dry_run = bool(run.arguments.get("dry_run"))
    data = run.input_bytes()
    # A dry run's file stays for 确认导入 (its report offers it); a real import's goes once written.
    run.keep_input = dry_run
    run.progress(stage="正在读取文件……")
    with ExitStack() as writing:
        opened = False

        def progress(done: int, total: int) -> None:
            nonlocal opened
            if done < total:
                run.progress(done, total, f"已检查 {done:,} / {total:,} 行")
                return
            run.progress(done, total, f"已检查全部 {total:,} 行" + ("" if dry_run else "，正在写入……"))
            if not opened:
                writing.enter_context(transaction.atomic())
                opened = True

        report = import_roster(
            data, filename=filename, user=run.owner, dry_run=dry_run, via="web", progress=progress
        )
        run.finish(stage=report.summary, result=report.as_dict())
