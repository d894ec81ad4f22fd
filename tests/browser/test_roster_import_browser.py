"""Roster import in a real browser: one bad row → the page names its row and column; nothing written."""

from __future__ import annotations

import os

import pytest

from dangjian.core.models import AuditLog
from dangjian.members.models import Member
from dangjian.members.tests.roster_helpers import make_id, row, xlsx

# Set here as well as in the browser conftest: this module must also stand alone.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_import_with_one_bad_row_names_it_and_writes_nothing(
    live_server, page, personas, bureau, browser_login, tmp_path
):
    good_id = make_id("19900101", "222")
    bad_id = good_id[:17] + ("0" if good_id[17] != "0" else "1")
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(
        xlsx(
            [row(), row(姓名="郑八", 身份证号=bad_id, 出生日期="1990-01-01")],
            title="测试局机关党委党员花名册",
        )
    )
    browser_login(page, personas.secretary_of_branch_1)
    # Counted after signing in: the login itself is (rightly) in the audit log.
    members, logs = Member.objects.count(), AuditLog.objects.count()
    page.goto(f"{live_server.url}/members/import/")
    page.set_input_files("#id_file", str(path))
    page.uncheck("#id_dry_run")  # a real import, not a dry run: still nothing may be written
    page.click("#roster-import-form button[type=submit]")
    page.wait_for_selector("#import-report")

    assert "整个文件未导入" in page.inner_text("#import-summary")
    errors = page.inner_text("#import-errors")
    assert "第4行" in errors  # the title row pushes the header to row 2: 郑八 is on Excel row 4
    assert "G列（身份证号）" in errors
    assert f"身份证号校验位不正确（应为{good_id[17]}）" in errors
    assert (Member.objects.count(), AuditLog.objects.count()) == (members, logs)
    assert not Member.objects.filter(name="吴六安").exists()


def test_the_same_file_fixed_imports_after_a_clean_dry_run(
    live_server, page, personas, bureau, browser_login, tmp_path
):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx([row()]))
    browser_login(page, personas.secretary_of_branch_1)
    page.goto(f"{live_server.url}/members/import/")
    page.set_input_files("#id_file", str(path))
    page.click("#roster-import-form button[type=submit]")  # 试导入 is ticked by default
    page.wait_for_selector("#import-report")
    assert "试导入通过" in page.inner_text("#import-summary")
    assert not Member.objects.filter(name="吴六安").exists()
    page.set_input_files("#id_file", str(path))
    page.uncheck("#id_dry_run")
    page.click("#roster-import-form button[type=submit]")
    page.wait_for_selector("#import-report")
    assert "导入完成：新增 1 人" in page.inner_text("#import-summary")
    assert Member.objects.get(name="吴六安").organization == bureau.branch_1
