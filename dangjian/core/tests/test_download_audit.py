"""Every export of personal data is in the audit log: who, which file, which address, from where."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from dangjian.core.middleware import _download_name
from dangjian.core.models import AuditLog

pytestmark = pytest.mark.django_db


def test_a_roster_export_is_audited_with_the_file_and_the_filter(personas, bureau, login):
    client = login(personas.secretary_of_branch_1)
    response = client.get(reverse("members:export") + f"?org={bureau.branch_1.pk}", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    entry = AuditLog.objects.get(verb="下载文件")
    assert entry.actor == personas.secretary_of_branch_1
    assert entry.changes["文件"].endswith(".xlsx") and "花名册" in entry.changes["文件"]
    assert entry.changes["网址"] == f"/members/export/?org={bureau.branch_1.pk}"
    assert entry.changes["地址"] == "10.1.2.3"
    assert entry.changes["大小（字节）"] == len(response.content)


def test_dues_lists_with_names_are_audited(personas, bureau, login):
    client = login(personas.agency_officer)
    for name in ("dues:export-standard", "dues:export-collection"):
        assert client.get(reverse(name) + "?month=2026-11").status_code == 200
    assert AuditLog.objects.filter(verb="下载文件", actor=personas.agency_officer).count() == 2


def test_pages_and_refused_downloads_are_not_logged_as_downloads(personas, bureau, login):
    client = login(personas.outsider)
    client.get(reverse("home"))
    assert client.get(reverse("dues:export-standard") + "?month=2026-11").status_code in (403, 404)
    assert not AuditLog.objects.filter(verb="下载文件").exists()


def test_a_roster_export_from_the_command_line_is_audited(personas, bureau, tmp_path):
    out = tmp_path / "roster.xlsx"
    call_command("roster", "export", str(out), "--user", "zb1", stdout=io.StringIO())
    entry = AuditLog.objects.get(verb="导出花名册")
    assert entry.via == "cli" and entry.actor == personas.secretary_of_branch_1
    assert entry.changes["人数"] == 3


def test_the_file_name_is_read_from_either_form_of_the_header():
    assert _download_name("attachment; filename=roster.xlsx; filename*=UTF-8''%E8%8A%B1.xlsx") == "花.xlsx"
    assert _download_name('attachment; filename="a b.docx"') == "a b.docx"
