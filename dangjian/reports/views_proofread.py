"""The proofreading page (公文校对): paste or upload, see findings in place, accept fixes, download."""

from __future__ import annotations

import html
import time
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dangjian.core.scope import Audience, access
from dangjian.proofread import Finding, ProofreadInputError, apply_fixes, check, document_text
from dangjian.reports import actions
from dangjian.reports.document import Document
from dangjian.reports.editing import apply_edits, fix_blocks
from dangjian.reports.forms import ProofreadForm
from dangjian.reports.render_docx import render_docx
from dangjian.reports.views import _draft, _version

KIND_LABELS = {
    "placeholder": "占位符残留",
    "formulation": "规范表述",
    "typo": "错别字",
    "numbering": "层次序号",
    "punctuation": "标点符号",
    "foreign-content": "无关内容",
    "date": "日期",
    "number": "数字用法",
}
UPLOAD_SUFFIXES = {".docx", ".txt", ".md"}
MAX_UPLOAD = 20 * 1024 * 1024


def _work_dir(user: Any) -> Path:
    """The user's own folder: a token leaked from one user's page opens nothing for another."""
    path = Path(settings.MEDIA_ROOT) / "proofread" / str(user.pk)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _token_path(user: Any, token: str, suffix: str) -> Path:
    try:
        uuid.UUID(token)
    except ValueError as exc:
        raise Http404("文件已过期，请重新上传。") from exc
    return _work_dir(user) / f"{token}{suffix}"


def purge_expired(now: float | None = None) -> int:
    """Delete uploaded and corrected documents older than PROOFREAD_KEEP_HOURS; returns how many.

    Documents under proofreading are drafts of official papers: they are kept only as long as a
    session of work needs them, not forever.
    """
    root = Path(settings.MEDIA_ROOT) / "proofread"
    if not root.exists():
        return 0
    cutoff = (now or time.time()) - settings.PROOFREAD_KEEP_HOURS * 3600
    removed = 0
    for path in root.rglob("*"):
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def marked_html(text: str, findings: list[Finding]) -> str:
    """The text with each finding wrapped in <mark> (non-overlapping, in order), paragraphs kept."""
    out: list[str] = []
    cursor = 0
    for index, finding in sorted(enumerate(findings), key=lambda pair: pair[1].start):
        if finding.start < cursor:
            continue
        out.append(html.escape(text[cursor : finding.start]))
        label = KIND_LABELS.get(finding.kind, finding.kind)
        flagged = html.escape(text[finding.start : finding.end]) or "&#8203;"
        out.append(
            f'<mark id="f{index}" class="pf pf-{finding.kind}" data-finding="{index}" title="{label}：'
            f'{html.escape(finding.message)}">{flagged}</mark>'
        )
        cursor = finding.end
    out.append(html.escape(text[cursor:]))
    return "".join(out).replace("\n", "<br>")


def fix_text(text: str, findings: list[Finding]) -> str:
    """Apply the suggestions of ``findings`` from the end backwards so offsets stay valid."""
    for finding in sorted(findings, key=lambda f: f.start, reverse=True):
        if finding.suggestion is not None and text[finding.start : finding.end] == finding.text:
            text = text[: finding.start] + finding.suggestion + text[finding.end :]
    return text


def _context(text: str, findings: list[Finding], **extra: object) -> dict[str, object]:
    counts: dict[str, int] = {}
    for finding in findings:
        if finding.severity != "error":
            continue
        counts[KIND_LABELS.get(finding.kind, finding.kind)] = (
            counts.get(KIND_LABELS.get(finding.kind, finding.kind), 0) + 1
        )
    rows = [
        {"index": i, "f": f, "label": KIND_LABELS.get(f.kind, f.kind)}
        for i, f in sorted(enumerate(findings), key=lambda pair: pair[1].start)
        if f.severity == "error"
    ]
    # the opt-in style level (格式建议): listed apart, not counted as errors, not marked in the text
    style_rows = [
        {"index": i, "f": f, "label": KIND_LABELS.get(f.kind, f.kind)}
        for i, f in sorted(enumerate(findings), key=lambda pair: pair[1].start)
        if f.severity != "error"
    ]
    errors = [f for f in findings if f.severity == "error"]
    return {
        "text": text,
        "rows": rows,
        "style_rows": style_rows,
        "marked": marked_html(text, errors),
        "counts": counts,
        **extra,
    }


@access(Audience.MEMBERS)
def proofread(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and request.POST.get("action") == "apply":
        return _apply(request)
    form = ProofreadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("upload")
        token, suffix = "", ".txt"
        if upload:
            suffix = Path(upload.name).suffix.lower()
            if suffix not in UPLOAD_SUFFIXES:
                form.add_error("upload", f"只能校对 .docx、.txt 或 .md 文件（收到“{upload.name}”）。")
            elif upload.size > MAX_UPLOAD:
                form.add_error("upload", "文件超过20MB，请拆分后再校对。")
            else:
                purge_expired()
                token = str(uuid.uuid4())
                data = b"".join(upload.chunks())
                try:
                    # read from the bytes under the user's own file name: messages never show
                    # where the server keeps files
                    text = document_text(data, Path(upload.name).name)
                except ProofreadInputError as exc:
                    form.add_error("upload", str(exc))
                else:
                    _token_path(request.user, token, suffix).write_bytes(data)
        else:
            text = form.cleaned_data["text"].replace("\r\n", "\n")
        if not form.errors:
            findings = check(text, style=True)
            return render(
                request,
                "reports/proofread.html",
                {"form": ProofreadForm(), **_context(text, findings, token=token, suffix=suffix)},
            )
    return render(request, "reports/proofread.html", {"form": form})


def _apply(request: HttpRequest) -> HttpResponse:
    text = request.POST.get("text", "").replace("\r\n", "\n")
    token, suffix = request.POST.get("token", ""), request.POST.get("suffix", ".txt")
    findings = check(text, style=True)
    chosen = {int(i) for i in request.POST.getlist("accept") if i.isdecimal()}
    accepted = [f for i, f in enumerate(findings) if i in chosen and f.suggestion is not None]
    fixed = fix_text(text, accepted)
    out_token = str(uuid.uuid4())
    if token and suffix == ".docx":
        source = _token_path(request.user, token, ".docx")
        if not source.exists():
            raise Http404("文件已过期，请重新上传。")
        corrected = apply_fixes(source.read_bytes(), accepted)
        _token_path(request.user, out_token, ".docx").write_bytes(corrected)
    else:
        lines = [line for line in fixed.split("\n")]
        title = next((line for line in lines if line.strip()), "校对稿")
        document = Document(title=title.strip())
        seen_title = False
        for line in lines:
            if not seen_title and line.strip() == title.strip():
                seen_title = True
                continue
            if line.strip():
                document.paragraph(line.strip())
        _token_path(request.user, out_token, ".docx").write_bytes(render_docx(document))
    messages.success(request, f"已接受{len(accepted)}处修改。")
    remaining = check(fixed, style=True)
    return render(
        request,
        "reports/proofread.html",
        {
            "form": ProofreadForm(),
            **_context(fixed, remaining, token=token, suffix=suffix, download=out_token),
        },
    )


@access(Audience.MEMBERS, download=True, query_required=True)
def proofread_download(request: HttpRequest) -> FileResponse:
    path = _token_path(request.user, request.GET.get("t", ""), ".docx")
    if not path.exists():
        raise Http404("文件已过期，请重新校对。")
    return FileResponse(path.open("rb"), as_attachment=True, filename="校对后文稿.docx")


@access(Audience.OFFICERS, writes=True, target="reports.Draft")
def draft_proofread(request: HttpRequest, pk: int) -> HttpResponse:
    """Proofread a saved version of a draft; accepted fixes become a new version."""
    draft = _draft(request, pk)
    version = _version(request, draft)
    document = Document.from_json(version.document)
    # Offsets map onto blocks: line 0 is the title, line 1 blank, then one line per block.
    text = document.plain_text()
    findings = check(text, style=True)
    if request.method == "POST":
        chosen = {int(i) for i in request.POST.getlist("accept") if i.isdecimal()}
        accepted = [f for i, f in enumerate(findings) if i in chosen and f.suggestion is not None]
        # Each fix is applied inside its own block: splitting the fixed text into lines would
        # shift every later block when one holds a line break (issue 14, point 8).
        title, texts = fix_blocks(document, [(f.start, f.end, f.text, f.suggestion or "") for f in accepted])
        edited = apply_edits(document, title, texts)
        new = actions.do_save_edit(
            draft, version, edited, note=f"校对修改{len(accepted)}处", acting_user=request.user
        )
        messages.success(request, f"已接受{len(accepted)}处修改，保存为第{new.number}版。")
        return redirect(new.get_absolute_url())
    return render(
        request,
        "reports/draft_proofread.html",
        {
            "draft": draft,
            "version": version,
            "action_url": f"{request.path}?v={version.number}",
            **_context(text, findings),
        },
    )
