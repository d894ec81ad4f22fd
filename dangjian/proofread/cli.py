"""`dangjian proofread [--json] [--date YYYY-MM-DD] [--style] FILE...` — the proofreader's command line.

Without --date each file is dated by its own 成文日期 or latest date. Style findings (severity
"style": house style that authoritative texts do not all follow) are listed only with --style,
after the errors; every JSON finding carries its severity.

Exit status: 0 when every file was read (with or without findings), 2 when a file could not be
read (the reason is printed to stderr; the other files are still checked) or on a usage error.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys

from .engine import check
from .io import ProofreadInputError, read_document


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="dangjian proofread",
        description="公文校对：检查占位符、规范表述、错别字、序号、标点和无关内容。",
    )
    ap.add_argument("--json", action="store_true", help="每个文件输出一行 JSON")
    ap.add_argument(
        "--date", help="文件日期 YYYY-MM-DD，用于判断表述是否过时（默认取文中成文日期或最近日期，无则今天）"
    )
    ap.add_argument("--style", action="store_true", help="同时列出格式建议（非差错，单独列出）")
    ap.add_argument("files", nargs="+", metavar="FILE", help=".txt、.md 或 .docx 文件；- 表示标准输入")
    return ap


def _line_col(text: str, start: int) -> tuple[int, int]:
    ls = text.rfind("\n", 0, start) + 1
    return text.count("\n", 0, start) + 1, start - ls + 1


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit status."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass
    ap = _parser()
    try:
        args = ap.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    date = None
    if args.date:
        try:
            date = datetime.date.fromisoformat(args.date)
        except ValueError:
            print(f"日期格式应为 YYYY-MM-DD：{args.date}（bad --date）", file=sys.stderr)
            return 2
    status = 0
    try:
        for name in args.files:
            try:
                text = read_document(name)
            except ProofreadInputError as exc:
                print(f"dangjian proofread: {exc}", file=sys.stderr)
                status = 2
                continue
            findings = check(text, date=date, style=args.style)
            if args.json:
                obj = {
                    "file": name,
                    "chars": len(text),
                    "findings": [{k: v for k, v in f.to_dict().items()} for f in findings],
                }
                sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
            else:
                _print_listing(name, text, findings)
            sys.stdout.flush()
    except BrokenPipeError:
        return status
    except KeyboardInterrupt:
        return 130
    return status


def _print_listing(name: str, text: str, findings: list) -> None:
    out = sys.stdout
    if not findings:
        out.write(f"{name}：未发现问题（{len(text)} 字）\n")
        return
    errors = [f for f in findings if f.severity == "error"]
    style = [f for f in findings if f.severity != "error"]
    for f in errors + style:
        line, col = _line_col(text, f.start)
        fix = "" if f.suggestion is None else f" 建议→{f.suggestion or '（删除）'}"
        shown = f.text if len(f.text) <= 40 else f.text[:37] + "…"
        level = "" if f.severity == "error" else "[格式建议]"
        out.write(f"{name}:{line}:{col} [{f.kind}]{level} “{shown}” {f.message}{fix}\n")
    extra = f"，另有格式建议 {len(style)} 处" if style else ""
    out.write(f"{name}：共 {len(errors)} 处问题{extra}（{len(text)} 字）\n")
