"""``dangjian roster import|export``: the same report as the web page and exit codes tools rely on."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from dangjian.core.models import AuditLog
from dangjian.members.models import Member
from dangjian.members.tests.roster_helpers import HEADER, make_id, read_xlsx, row, xlsx

pytestmark = pytest.mark.django_db


def roster(*args: str) -> int:
    try:
        call_command("roster", *args)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_import_prints_the_report_and_exits_0(bureau, tmp_path, capsys):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx([row()]))
    assert roster("import", str(path)) == 0
    out = capsys.readouterr().out
    assert "导入完成：新增 1 人" in out and "表头在第1行" in out
    log = AuditLog.objects.get(
        content_type__model="member", object_id=str(Member.objects.get(name="吴六安").pk)
    )
    assert log.via == "cli" and log.actor is None


def test_dry_run_exits_0_and_writes_nothing(bureau, tmp_path, capsys):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx([row()]))
    assert roster("import", str(path), "--dry-run") == 0
    assert "试导入通过" in capsys.readouterr().out
    assert not Member.objects.filter(name="吴六安").exists()


def test_rejected_rows_exit_1_with_the_same_lines_as_the_web(bureau, tmp_path, capsys):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx([row(), row(身份证号=make_id("19880506"))]))
    assert roster("import", str(path)) == 1
    err = capsys.readouterr().err
    assert "第3行 G列（身份证号）：与第2行的身份证号重复。" in err
    assert not Member.objects.filter(name="吴六安").exists()
    assert roster("import", str(path), "--dry-run") == 1


def test_unreadable_file_exits_2(bureau, tmp_path, capsys):
    path = tmp_path / "roster.csv"
    path.write_text("姓名,身份证号\n")
    assert roster("import", str(path)) == 2
    assert "不是 Excel .xlsx 格式" in capsys.readouterr().err
    assert roster("import", str(tmp_path / "missing.xlsx")) == 2
    path.write_bytes(xlsx([["张三"]], header=["姓名", "性别"]))
    assert roster("import", str(path)) == 2


def test_import_as_a_user_is_limited_to_their_scope(personas, tmp_path, capsys):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx([row(所在支部="第二党支部", 所在党小组="")]))
    assert roster("import", str(path), "--user", "zb1") == 1
    assert "不在您的管理范围内" in capsys.readouterr().err
    assert roster("import", str(path), "--user", "jj") == 1  # read-only role


def test_export_whole_agency_and_by_user(personas, tmp_path, capsys):
    path = tmp_path / "out.xlsx"
    assert roster("export", str(path)) == 0
    rows = read_xlsx(path.read_bytes())
    assert list(rows[0]) == HEADER and len(rows) == 6
    assert roster("export", str(path), "--user", "zb1") == 0
    assert {r[0] for r in read_xlsx(path.read_bytes())[1:]} == {"赵一明", "钱二华", "孙三立"}
    assert "已导出 3 名党员" in capsys.readouterr().out
