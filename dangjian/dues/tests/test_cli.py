"""``dangjian dues standard`` and ``dangjian dues run``."""

from __future__ import annotations

import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


@pytest.mark.parametrize(
    ("category", "base", "last_line"),
    [
        ("in_service", "3000", "15.00"),
        ("in_service", "3000.01", "30.00"),
        ("in_service", "3333.33", "33.33"),
        ("in_service", "10000.01", "200.00"),
        ("retired", "5000.01", "50.00"),
        ("farmer", "0.5", "0.50"),
        ("student", "0", "0.20"),
        ("unemployed", "0", "0.20"),
        ("allowance", "9999", "0.20"),
    ],
)
def test_standard_prints_the_amount_on_the_last_line(category: str, base: str, last_line: str) -> None:
    out = StringIO()
    call_command("dues", "standard", "--category", category, "--base", base, stdout=out)
    assert out.getvalue().strip().splitlines()[-1] == last_line


@pytest.mark.parametrize(("base", "message"), [("-1", "负数"), ("abc", "不是数字"), ("1.5", "0.2元至1元")])
def test_bad_base_exits_2_with_a_chinese_message(base: str, message: str) -> None:
    category = "farmer" if base == "1.5" else "in_service"
    with pytest.raises(CommandError, match=message) as info:
        call_command("dues", "standard", "--category", category, "--base", base)
    assert info.value.returncode == 2


def test_the_console_script_exits_2_on_a_negative_base() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "dangjian", "dues", "standard", "--category", "in_service", "--base", "-5"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "不能为负数" in done.stderr
    ok = subprocess.run(
        [sys.executable, "-m", "dangjian", "dues", "standard", "--category", "in_service", "--base", "4500"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ok.stdout.splitlines()[-1] == "45.00"


def test_run_prints_a_summary(bases) -> None:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("dues", "run", "--month", "2026-11", stdout=out)
    assert "2026年11月党费台账：5人" in out.getvalue()
    with pytest.raises(CommandError, match="无法识别的期间“November”"):
        call_command("dues", "run", "--month", "November")
