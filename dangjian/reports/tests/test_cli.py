"""``dangjian report`` — the contract other tools rely on."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from docx import Document as open_docx


def test_json_output_has_the_documented_shape(ledger, bureau, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "r.json"
    call_command(
        "report",
        "work_summary",
        "--org",
        str(bureau.organ_committee.pk),
        "--period",
        "2025H1",
        "--format",
        "json",
        "--out",
        str(out),
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {"genre", "org", "period", "title", "blocks", "figures"} <= set(data)
    assert data["genre"] == "work_summary" and data["period"] == "2025H1" and data["org"] == "测试局机关党委"
    assert data["blocks"][0]["type"] in ("paragraph", "heading")
    for figure in data["figures"]:
        assert set(figure) == {"key", "label", "value", "unit", "evidence"}
        assert set(figure["evidence"]) == {"model", "ids"} and isinstance(figure["evidence"]["ids"], list)
    keys = {f["key"]: f for f in data["figures"]}
    assert keys["activities.count.general_meeting"]["value"] == 3


def test_org_by_exact_name_and_docx_output(ledger, bureau, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "r.docx"
    call_command(
        "report",
        "integrity_report",
        "--org",
        "测试局机关党委",
        "--period",
        "2025",
        "--format",
        "docx",
        "--out",
        str(out),
    )
    assert open_docx(io.BytesIO(out.read_bytes())).paragraphs[0].text.startswith("测试局机关党委")


def test_txt_to_stdout(ledger, bureau, capsysbinary) -> None:  # type: ignore[no-untyped-def]
    call_command(
        "report", "work_summary", "--org", "第一党支部", "--period", "2025H1", "--format", "txt", "--out", "-"
    )
    text = capsysbinary.readouterr().out.decode("utf-8")
    title = text.splitlines()[0]
    assert title.startswith("第一党支部") and "2025年上半年" in title and "一、" in text


@pytest.mark.parametrize(
    "args, message",
    [
        (["nope", "--org", "1", "--period", "2025"], "未知文体"),
        (["work_summary", "--org", "不存在的支部", "--period", "2025"], "找不到党组织"),
        (["work_summary", "--org", "测试局机关党委", "--period", "2025H9"], "无法识别的期间“2025H9”"),
    ],
)
def test_bad_arguments_give_chinese_errors(bureau, args, message, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError) as excinfo:
        call_command("report", *args, "--out", str(tmp_path / "x"))
    assert message in str(excinfo.value)


def signature_lines(docx_path) -> list[str]:  # type: ignore[no-untyped-def]
    doc = open_docx(io.BytesIO(docx_path.read_bytes()))
    return [p.text for p in doc.paragraphs if p.style.name == "Signature"]


def test_docx_is_signed_and_dated_with_date_or_today(ledger, bureau, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from dangjian.core.dates import today

    out = tmp_path / "r.docx"
    args = ["report", "work_summary", "--org", "测试局机关党委", "--period", "2025H1", "--out", str(out)]
    call_command(*args, "--date", "2025-07-08")
    assert signature_lines(out) == ["测试局机关党委", "2025年7月8日"]
    call_command(*args)
    day = today()
    assert signature_lines(out) == ["测试局机关党委", f"{day.year}年{day.month}月{day.day}日"]


def test_txt_and_json_carry_the_date_too(ledger, bureau, tmp_path) -> None:  # type: ignore[no-untyped-def]
    base = [
        "report",
        "work_summary",
        "--org",
        "测试局机关党委",
        "--period",
        "2025H1",
        "--date",
        "2025年7月8日",
    ]
    call_command(*base, "--format", "txt", "--out", str(tmp_path / "r.txt"))
    assert (tmp_path / "r.txt").read_text(encoding="utf-8").endswith("\n\n测试局机关党委\n2025年7月8日\n")
    call_command(*base, "--format", "json", "--out", str(tmp_path / "r.json"))
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["date"] == "2025-07-08" and data["signer"] == "测试局机关党委"


def test_bad_date_is_refused_in_chinese(bureau, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError) as excinfo:
        call_command(
            "report", "work_summary", "--org", "测试局机关党委", "--period", "2025", "--date", "2025-02-30",
            "--out", str(tmp_path / "x.docx"),
        )  # fmt: skip
    assert str(excinfo.value) == "--date：日期“2025-02-30”不存在。"


def test_remaining_prompts_warn_and_strict_refuses(ledger, bureau, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from dangjian.orgs.models import Organization
    from dangjian.reports.build import build
    from dangjian.reports.models import Genre

    org = Organization.objects.get(name="测试局机关党委")
    genre = Genre.objects.get(code="work_summary")
    from dangjian.core.period import Period

    prompts = build(genre.body, org, Period.parse("2025H1"), genre_code=genre.code).document.prompts()
    assert prompts, "the 2025H1 fixture leaves the problems part to the officer"
    out = tmp_path / "r.docx"
    args = ["report", "work_summary", "--org", "测试局机关党委", "--period", "2025H1", "--out", str(out)]
    call_command(*args)
    err = capsys.readouterr().err
    assert f"还有{len(prompts)}处【待补充】" in err and prompts[0] in err
    assert out.exists()
    out.unlink()
    with pytest.raises(CommandError) as excinfo:
        call_command(*args, "--strict")
    assert "--strict" in str(excinfo.value) and not out.exists()
