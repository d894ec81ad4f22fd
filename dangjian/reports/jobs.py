"""Report work as background jobs: composing a draft from the ledger, regenerating it, the PDF."""

from __future__ import annotations

import datetime

from django.db import transaction

from dangjian.core.jobs import JobError, JobRun, job_kind
from dangjian.core.period import Period
from dangjian.core.scope import check_write, get_in_scope
from dangjian.orgs.models import Organization
from dangjian.reports import actions
from dangjian.reports.models import Draft, Genre
from dangjian.reports.render_docx import render_version
from dangjian.reports.render_pdf import PdfUnavailable, docx_to_pdf

COMPOSING = "正在从台账汇总数字、组织文稿……"


def _draft(run: JobRun) -> Draft:
    # Read as the owner, now: their scope may have changed since they asked.
    return get_in_scope(
        Draft.objects.select_related("genre", "organization"), run.owner, pk=run.arguments["draft"]
    )


@job_kind("reports.create_draft", label="生成报告初稿", go_to_result=True)
def create_draft(run: JobRun) -> None:
    genre = get_in_scope(Genre.objects.all(), run.owner, pk=run.arguments["genre"])
    organization = get_in_scope(Organization.objects.all(), run.owner, pk=run.arguments["organization"])
    check_write(run.owner, organization, "生成")
    run.progress(stage=COMPOSING)
    # The draft and the job's "done" commit together: a re-run never makes a second draft.
    with transaction.atomic():
        draft = actions.do_create_draft(
            genre=genre,
            organization=organization,
            period=Period.parse(run.arguments["period"]),
            acting_user=run.owner,
        )
        run.finish(stage="已根据台账生成初稿。", url=draft.get_absolute_url(), url_label="打开初稿")


@job_kind("reports.regenerate", label="重新生成报告", go_to_result=True)
def regenerate(run: JobRun) -> None:
    draft = _draft(run)
    check_write(run.owner, draft.organization, "重新生成")
    run.progress(stage=COMPOSING)
    with transaction.atomic():
        version = actions.do_regenerate(draft, acting_user=run.owner)
        run.finish(
            stage=f"已根据最新台账重新生成，第{version.number}版。",
            url=version.get_absolute_url(),
            url_label=f"打开第{version.number}版",
        )


@job_kind("reports.export_pdf", label="导出 PDF")
def export_pdf(run: JobRun) -> None:
    """Lay the version out as .docx and convert it with LibreOffice; the PDF is the job's file."""
    draft = _draft(run)
    version = draft.versions.filter(number=run.arguments["version"]).first()
    if version is None:
        raise JobError(f"第{run.arguments['version']}版已不存在。")
    run.progress(stage="正在按公文格式排版……")
    issued = run.arguments.get("date")
    docx = render_version(draft, version, date=datetime.date.fromisoformat(issued) if issued else None)
    run.progress(stage="正在转换为 PDF（LibreOffice）……")
    try:
        pdf = docx_to_pdf(docx)
    except PdfUnavailable as exc:
        raise JobError(str(exc)) from exc
    run.finish(
        stage="PDF 已生成。",
        file=pdf,
        filename=f"{draft.title}-第{version.number}版.pdf",
        url=version.get_absolute_url(),
        url_label="返回报告",
    )
