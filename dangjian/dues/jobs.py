"""The monthly dues run as a background job, started from the 机关党委's overview page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from dangjian.core.jobs import JobRun, job_kind
from dangjian.core.scope import get_scope
from dangjian.dues.allocation import month_label, parse_month
from dangjian.dues.rates import LAPSE_MONTHS
from dangjian.dues.run import run_month


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
