"""Reading documents for the proofreader and writing accepted fixes back.

Offsets in findings refer to the text returned by :func:`read_document`: for .txt/.md the file's
text with line endings normalised to "\\n" (as Python's text mode reads it); for .docx the body
paragraphs joined with "\\n".
"""

from __future__ import annotations

import io as _io
import os
import sys
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from .finding import Finding

MAX_BYTES = 200 * 1024 * 1024
# A .docx is a zip: 49 KB can unpack to hundreds of MB of XML. Refuse before unpacking when its
# parts add up to more than this, and refuse any document longer than MAX_CHARS characters (an
# official document runs to tens of thousands; a million is a mistake or an attack).
MAX_UNPACKED_BYTES = int(os.environ.get("DANGJIAN_PROOFREAD_MAX_UNPACKED_MB", "50")) * 1024 * 1024
MAX_CHARS = int(os.environ.get("DANGJIAN_PROOFREAD_MAX_CHARS", "500000"))
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls


class ProofreadInputError(Exception):
    """A document that cannot be read; the message is in Chinese and English."""

    def __init__(self, path: str, zh: str, en: str) -> None:
        super().__init__(f"无法读取 {path}：{zh}（cannot read {path}: {en}）")
        self.path = path


def read_document(path: str | Path) -> str:
    """Return the text of a .txt/.md/.docx file (``-`` reads standard input).

    Text files may be UTF-8 (with or without BOM), UTF-16 with BOM, or GBK/GB18030.
    Raises ProofreadInputError for binary, corrupt, unreadable or unsupported input.
    """
    name = str(path)
    try:
        if name == "-":
            data = sys.stdin.buffer.read()
        else:
            p = Path(name)
            if p.is_dir():
                raise ProofreadInputError(name, "这是一个目录", "is a directory")
            if p.stat().st_size > MAX_BYTES:
                raise ProofreadInputError(name, "文件超过 200 MB", "file larger than 200 MB")
            data = p.read_bytes()
    except ProofreadInputError:
        raise
    except FileNotFoundError:
        raise ProofreadInputError(name, "文件不存在", "no such file") from None
    except PermissionError:
        raise ProofreadInputError(name, "没有读取权限", "permission denied") from None
    except OSError as exc:
        raise ProofreadInputError(name, "读取失败", exc.strerror or str(exc)) from None
    return document_text(data, name)


def document_text(data: bytes, name: str = "<bytes>") -> str:
    """The text of a document given as bytes (used for uploads); see read_document."""
    if data.startswith(_ZIP_MAGIC) or name.lower().endswith(".docx"):
        text = _docx_text(data, name)
    elif data.startswith(_OLE_MAGIC):
        raise ProofreadInputError(
            name, "不支持旧版 .doc 格式，请另存为 .docx", "legacy .doc is not supported; save as .docx"
        )
    else:
        text = _decode(data, name)
    if len(text) > MAX_CHARS:
        raise ProofreadInputError(
            name,
            f"文档有 {len(text):,} 字，超过一次校对的上限 {MAX_CHARS:,} 字，请分成几部分校对",
            f"{len(text)} characters, more than the limit of {MAX_CHARS}",
        )
    return text


def _check_unpacked_size(data: bytes, name: str) -> None:
    try:
        with zipfile.ZipFile(_io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip at all: _open_docx says so
    if unpacked > MAX_UNPACKED_BYTES:
        raise ProofreadInputError(
            name,
            f"解压后超过 {MAX_UNPACKED_BYTES // 1048576} MB，不像正常的公文，未予处理",
            f"unpacks to more than {MAX_UNPACKED_BYTES // 1048576} MB",
        )


def _decode(data: bytes, name: str) -> str:
    if not data:
        return ""
    if data.startswith(b"\xef\xbb\xbf"):
        text = _try(data[3:], "utf-8")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _try(data, "utf-16")
    elif b"\x00" in data[:65536]:
        raise ProofreadInputError(name, "不是文本文件（含二进制内容）", "binary file, not text")
    else:
        text = _try(data, "utf-8")
        if text is None:
            text = _try(data, "gb18030")
    if text is None:
        raise ProofreadInputError(
            name,
            "无法识别文本编码（支持 UTF-8、GBK/GB18030）",
            "unknown text encoding (UTF-8, GBK/GB18030 supported)",
        )
    sample = text[:65536]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if sample and controls / len(sample) > 0.01:
        raise ProofreadInputError(name, "不是文本文件（含控制字符）", "binary file, not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _open_docx(data: bytes, name: str):  # -> docx.document.Document
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _check_unpacked_size(data, name)
    try:
        return docx.Document(_io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise ProofreadInputError(
            name, ".docx 文件已损坏或不是 Word 文档", f"corrupt or not a .docx ({type(exc).__name__})"
        ) from None
    except Exception as exc:  # lxml XMLSyntaxError and friends from a damaged package
        raise ProofreadInputError(
            name, ".docx 文件内容损坏", f"damaged .docx content ({type(exc).__name__})"
        ) from None


def _docx_text(data: bytes, name: str) -> str:
    document = _open_docx(data, name)
    return "\n".join(p.text for p in document.paragraphs)


FindingLike = Finding | Mapping


def _fixes(findings: Iterable[FindingLike]) -> list[tuple[int, int, str, str | None]]:
    out = []
    for f in findings:
        if isinstance(f, Mapping):
            start, end, sug, text = f["start"], f["end"], f.get("suggestion"), f.get("text")
        else:
            start, end, sug, text = f.start, f.end, f.suggestion, f.text
        if sug is None:
            continue
        out.append((int(start), int(end), sug, text))
    out.sort(key=lambda x: x[0])
    kept: list[tuple[int, int, str, str | None]] = []
    for fx in out:
        if kept and fx[0] < kept[-1][1]:
            continue  # overlapping fixes: keep the first
        kept.append(fx)
    return kept


def apply_fixes(
    source: str | Path | bytes, findings: Iterable[FindingLike], *, output: str | Path | None = None
) -> str | bytes:
    """Apply the accepted findings' suggestions.

    ``source`` is a .docx path or the .docx bytes (returns the corrected .docx as bytes, runs keep
    their formatting: the replacement goes into the first run the finding touches), or plain text
    (returns the corrected text).  Findings without a suggestion, overlapping ones, and ones whose
    ``text`` no longer matches the document are skipped.  With ``output`` the result is also written.
    """
    fixes = _fixes(findings)
    if isinstance(source, Path) and source.suffix.lower() != ".docx":
        source = read_document(source)
    is_docx = isinstance(source, bytes | Path) or (
        str(source).lower().endswith(".docx") and "\n" not in str(source) and Path(str(source)).is_file()
    )
    if not is_docx:
        text = str(source)
        for start, end, sug, expect in reversed(fixes):
            if expect is not None and text[start:end] != expect:
                continue
            text = text[:start] + sug + text[end:]
        if output is not None:
            Path(output).write_text(text, encoding="utf-8")
        return text
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    document = _open_docx(data, "<docx>" if isinstance(source, bytes) else str(source))
    _apply_docx(document, fixes)
    buf = _io.BytesIO()
    document.save(buf)
    result = buf.getvalue()
    if output is not None:
        Path(output).write_bytes(result)
    return result


def _apply_docx(document, fixes: list[tuple[int, int, str, str | None]]) -> None:
    pos = 0
    spans = []
    for para in document.paragraphs:
        text = para.text
        spans.append((pos, pos + len(text), para))
        pos += len(text) + 1
    fi = 0
    for ps, pe, para in spans:
        mine = []
        while fi < len(fixes) and fixes[fi][0] < pe + 1:
            start, end, sug, expect = fixes[fi]
            if start >= ps and end <= pe:
                mine.append((start - ps, end - ps, sug, expect))
            fi += 1
        if not mine:
            continue
        runs = list(para.runs)
        if "".join(r.text for r in runs) != para.text:
            continue  # text outside plain runs (hyperlinks, fields): leave the paragraph alone
        for s, e, sug, expect in reversed(mine):
            if expect is not None and para.text[s:e] != expect:
                continue
            _replace_in_runs(runs, s, e, sug)


def _replace_in_runs(runs: list, s: int, e: int, sug: str) -> None:
    """Replace paragraph characters [s, e) by sug; the replacement goes into the run holding most
    of the replaced characters, so it keeps that run's formatting."""
    pieces = []
    pos = 0
    for run in runs:
        rs, re_ = pos, pos + len(run.text)
        pos = re_
        a, b = max(s, rs), min(e, re_)
        if b > a or (s == e and rs <= s <= re_):
            pieces.append((b - a, run, a - rs, b - rs))
    if not pieces:
        return
    host = max(pieces, key=lambda x: x[0])[1]
    for _n, run, a, b in pieces:
        t = run.text
        run.text = t[:a] + (sug if run is host else "") + t[b:]
