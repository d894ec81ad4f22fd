"""The CLI contract and bad input: JSON lines, exit codes, encodings, broken files."""

import json
import subprocess
import sys

import docx
import pytest

from dangjian.proofread import ProofreadInputError, apply_fixes, check, read_document
from dangjian.proofread.cli import main

SAMPLE = "我们坚持以习近平新时代中国特色社会主意思想为指导,认真贯切落实。\n全年召开会议XX次。\n"


def run(argv, capsys):
    rc = main(argv)
    out, err = capsys.readouterr()
    return rc, out, err


def test_json_contract(tmp_path, capsys):
    p = tmp_path / "a.txt"
    p.write_text(SAMPLE, encoding="utf-8")
    q = tmp_path / "b.md"
    q.write_text("没有问题的一段话。\n", encoding="utf-8")
    rc, out, _ = run(["--json", str(p), str(q)], capsys)
    assert rc == 0
    lines = out.strip().split("\n")
    assert len(lines) == 2
    obj = json.loads(lines[0])
    assert obj["file"] == str(p) and obj["chars"] == len(SAMPLE)
    assert {f["kind"] for f in obj["findings"]} >= {"formulation", "punctuation", "typo", "placeholder"}
    for f in obj["findings"]:
        assert set(f) == {"start", "end", "line", "kind", "text", "suggestion", "message", "severity"}
        assert f["severity"] == "error"
        assert SAMPLE[f["start"] : f["end"]] == f["text"]
    assert json.loads(lines[1])["findings"] == []


def test_readable_listing(tmp_path, capsys):
    p = tmp_path / "a.txt"
    p.write_text(SAMPLE, encoding="utf-8")
    rc, out, _ = run([str(p)], capsys)
    assert rc == 0
    assert f"{p}:1:6 [formulation]" in out and "建议→" in out


def test_gbk_and_bom_files(tmp_path):
    g = tmp_path / "g.txt"
    g.write_bytes(SAMPLE.encode("gbk"))
    assert read_document(g) == SAMPLE
    b = tmp_path / "b.txt"
    b.write_bytes(b"\xef\xbb\xbf" + SAMPLE.replace("\n", "\r\n").encode("utf-8"))
    assert read_document(b) == SAMPLE


def test_bad_input_exits_2_with_message(tmp_path, capsys):
    binary = tmp_path / "x.txt"
    binary.write_bytes(bytes(range(256)) * 10)
    broken = tmp_path / "y.docx"
    broken.write_bytes(b"PK\x03\x04 this is not a zip")
    good = tmp_path / "z.txt"
    good.write_text("正常内容。", encoding="utf-8")
    rc, out, err = run(["--json", str(binary), str(broken), str(tmp_path / "missing.txt"), str(good)], capsys)
    assert rc == 2
    assert "Traceback" not in err
    assert err.count("无法读取") == 3
    assert json.loads(out.strip())["file"] == str(good)
    with pytest.raises(ProofreadInputError):
        read_document(broken)


def test_empty_file(tmp_path, capsys):
    p = tmp_path / "e.txt"
    p.write_bytes(b"")
    rc, out, _ = run(["--json", str(p)], capsys)
    assert rc == 0 and json.loads(out) == {"file": str(p), "chars": 0, "findings": []}


def test_stdin_and_module_entry_point():
    r = subprocess.run(
        [sys.executable, "-m", "dangjian.proofread", "--json", "-"],
        input=SAMPLE.encode("gbk"),
        capture_output=True,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    obj = json.loads(r.stdout.decode("utf-8"))
    assert obj["file"] == "-" and obj["chars"] == len(SAMPLE)


def test_usage_error_exits_2(capsys):
    assert main([]) == 2


def _make_docx(path):
    d = docx.Document()
    p = d.add_paragraph()
    p.add_run("我们认真")
    bold = p.add_run("贯切落实")
    bold.bold = True
    p.add_run("上级决策,确保实效。")
    d.add_paragraph("全年召开会议12次。")
    d.save(path)


def test_docx_read_and_apply_fixes(tmp_path, capsys):
    path = tmp_path / "r.docx"
    _make_docx(path)
    text = read_document(path)
    assert text == "我们认真贯切落实上级决策,确保实效。\n全年召开会议12次。"
    findings = check(text)
    rc, out, _ = run(["--json", str(path)], capsys)
    assert rc == 0 and json.loads(out)["chars"] == len(text)
    fixed = apply_fixes(path, findings, output=tmp_path / "fixed.docx")
    assert isinstance(fixed, bytes)
    d = docx.Document(tmp_path / "fixed.docx")
    assert d.paragraphs[0].text == "我们认真贯彻落实上级决策，确保实效。"
    assert d.paragraphs[0].runs[1].bold and d.paragraphs[0].runs[1].text == "贯彻落实"
    assert apply_fixes(text, findings).startswith("我们认真贯彻落实上级决策，")


def test_a_docx_that_unpacks_to_too_much_is_refused_before_reading(monkeypatch):
    import io
    import zipfile

    from dangjian.proofread import io as proofread_io

    monkeypatch.setattr(proofread_io, "MAX_UNPACKED_BYTES", 1024 * 1024)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:p/>" * 600_000)
    with pytest.raises(ProofreadInputError, match="解压后超过 1 MB"):
        proofread_io.document_text(buffer.getvalue(), "炸弹.docx")


def test_a_document_longer_than_the_limit_is_refused(monkeypatch):
    from dangjian.proofread import io as proofread_io

    monkeypatch.setattr(proofread_io, "MAX_CHARS", 1000)
    with pytest.raises(ProofreadInputError, match="超过一次校对的上限"):
        proofread_io.document_text(("正文" * 600).encode(), "长文.txt")
    assert proofread_io.document_text(("正文" * 400).encode(), "短文.txt") == "正文" * 400
