"""The pages every ledger's Excel import shows: one form, one report, one template.

A ledger's import view (``import_view``) says what to call with the file (its ``import_*``
function) and how to word the page (``ImportPage``); the access rule, the form, the size check
before reading, the status codes and the report are the same on every ledger.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dangjian.core.dates import today
from dangjian.core.downloads import XLSX, attachment
from dangjian.core.import_report import ImportReport
from dangjian.core.scope import Audience, access

# run(data, filename=, dry_run=) -> the report of an import: a ledger's import_* function with
# the user (and what else it needs) bound, e.g. partial(import_honours, user=request.user).
ImportRunner = Callable[..., ImportReport]


class ImportForm(forms.Form):
    """An .xlsx file and whether to only check it (a dry run)."""

    file = forms.FileField(
        label="Excel 文件（.xlsx）", error_messages={"required": "请选择要导入的 Excel 文件（.xlsx）。"}
    )
    dry_run = forms.BooleanField(label="试导入（只检查，不写入）", required=False)


@dataclass(frozen=True)
class ImportPage:
    """How one ledger's import page reads: its title, where it came from, its template, its rule."""

    title: str  # 导入表彰荣誉
    back_url: str  # the list, as a URL name
    back_label: str  # 表彰荣誉
    template_url: str  # the template download, as a URL name
    intro: str  # what a row is and what happens to a row already in the ledger


def import_page(request: HttpRequest, page: ImportPage, run: ImportRunner) -> HttpResponse:
    """The import form (GET) or the report of importing the posted file (POST: 400 on problems)."""
    form = ImportForm(request.POST or None, request.FILES or None, initial={"dry_run": True})
    report = None
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        dry_run = form.cleaned_data["dry_run"]
        filename = upload.name or f"{page.back_label}.xlsx"
        limit = settings.IMPORT_MAX_BYTES
        if upload.size > limit:
            # Refused before reading: Django has it on disk, not yet in memory.
            report = ImportReport(filename=filename, dry_run=dry_run)
            report.fail(
                f"文件大小 {upload.size / 1048576:.1f} MB，超过了 {limit / 1048576:.0f} MB 的上限。请分成几个文件导入。"
            )
        else:
            report = run(upload.read(), filename=filename, dry_run=dry_run)
        status = 200 if report.ok else 400
    elif request.method == "POST":
        status = 400
    context = {
        "form": form,
        "report": report,
        "page": page,
        "max_mb": settings.IMPORT_MAX_BYTES // (1024 * 1024),
    }
    return render(request, "core/ledger_import.html", context, status=status)


def import_view(page: ImportPage, bind: Callable[[HttpRequest], ImportRunner]) -> Callable[..., HttpResponse]:
    """A ledger's import page: officers who may write, ``bind(request)`` giving the importer with
    the user (and the organizations or campaigns it may write to) bound."""

    @access(Audience.OFFICERS, writes=True, get_writes=True)
    def view(request: HttpRequest) -> HttpResponse:
        return import_page(request, page, bind(request))

    return view


def xlsx_download(data: bytes, name: str, ascii_name: str, *, dated: bool = False) -> HttpResponse:
    """``data`` as ``name``.xlsx (an export adds today's date: 表彰荣誉_20260601.xlsx)."""
    filename = f"{name}_{today():%Y%m%d}.xlsx" if dated else f"{name}.xlsx"
    return attachment(data, XLSX, filename, ascii_name=ascii_name)
