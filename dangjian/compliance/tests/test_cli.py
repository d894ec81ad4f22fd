"""The ``dangjian compliance`` command: the JSON contract, the table, and errors with exit 2."""

from __future__ import annotations

import datetime
import io
import json
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

D = datetime.date
pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("compliance", *args, stdout=out)
    return out.getvalue()


def test_json_contract(bureau, make_activity):
    meeting = make_activity(bureau.branch_1, "committee_meeting", D(2022, 5, 9))
    data = json.loads(
        run("--org", str(bureau.organ_committee.pk), "--period", "2022-05", "--json", "--on", "2022-06-30")
    )
    assert set(data) == {"org", "period", "cells"}
    assert data["org"] == bureau.organ_committee.pk and data["period"] == "2022-05"
    for cell in data["cells"]:
        assert set(cell) == {"org", "org_name", "rule", "slot", "status", "evidence"}
        assert cell["status"] in {"done", "missing", "due", "n/a"}
        assert cell["evidence"] == ([] if cell["status"] != "done" else cell["evidence"])
    done = [c for c in data["cells"] if c["status"] == "done"]
    assert done == [
        {
            "org": bureau.branch_1.pk,
            "org_name": "第一党支部",
            "rule": "committee_meeting",
            "slot": "2022-05",
            "status": "done",
            "evidence": [meeting.pk],
        }
    ]
    b2 = next(c for c in data["cells"] if c["org"] == bureau.branch_2.pk and c["rule"] == "committee_meeting")
    assert (b2["slot"], b2["status"]) == ("2022-05", "missing")


def test_org_by_exact_name_and_readable_table(bureau):
    text = run("--org", "第一党支部", "--period", "2022", "--on", "2023-01-10")
    assert "第一党支部 2022年组织生活合规检查" in text and "未完成：" in text and "次查询" in text


def test_unknown_org_and_bad_period_exit_2_with_chinese_message(bureau):
    with pytest.raises(CommandError) as info:
        run("--org", "不存在的支部", "--period", "2022")
    assert info.value.returncode == 2 and "找不到党组织“不存在的支部”" in str(info.value)
    with pytest.raises(CommandError) as info:
        run("--org", "第一党支部", "--period", "2022Q7")
    assert info.value.returncode == 2 and "无法识别的期间“2022Q7”" in str(info.value)


def test_console_script_exits_2(tmp_path):
    # The real entry point on a fresh database: the error is printed and the exit status is 2.
    env = {
        "DANGJIAN_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "DANGJIAN_VAR_DIR": str(tmp_path),
    }
    import os

    env = {**os.environ, **env}
    subprocess.run(
        [sys.executable, "-m", "dangjian", "migrate", "-v0"], env=env, check=True, capture_output=True
    )
    done = subprocess.run(
        [sys.executable, "-m", "dangjian", "compliance", "--org", "无此组织", "--period", "2022", "--json"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and "找不到党组织" in done.stderr
