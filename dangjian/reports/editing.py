"""Editing a draft's wording without losing the link from each figure to its records."""

from __future__ import annotations

import difflib
import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dangjian.reports.document import Block, Document, Run


def reattach(block: Block, new_text: str) -> list[Run]:
    """Runs for ``new_text``: each figure of ``block`` still found (in order) stays a figure run.

    A figure whose text the officer changed becomes plain text: the draft then no longer claims
    that the number came from the ledger.
    """
    runs: list[Run] = []
    cursor = 0
    for run in block.runs:
        if run.kind == "text" or not run.text:
            continue
        found = new_text.find(run.text, cursor)
        if found < 0:
            continue
        if found > cursor:
            runs.append(Run(new_text[cursor:found]))
        runs.append(run)
        cursor = found + len(run.text)
    if cursor < len(new_text):
        runs.append(Run(new_text[cursor:]))
    return runs


def _split_lines(runs: list[Run]) -> list[list[Run]]:
    """The runs cut at each line break: one list per line (figures never hold a line break)."""
    lines: list[list[Run]] = [[]]
    for run in runs:
        if run.kind == "figure" or "\n" not in run.text:
            lines[-1].append(run)
            continue
        pieces = run.text.split("\n")
        for index, piece in enumerate(pieces):
            if index:
                lines.append([])
            if piece:
                lines[-1].append(Run(piece, run.kind, run.figure))
    return lines


def _strip_runs(runs: list[Run]) -> list[Run]:
    """Runs without the whitespace at the two ends of the line (a typed space, a pasted tab)."""
    runs = list(runs)
    while runs and runs[0].kind == "text" and not runs[0].text.strip():
        runs.pop(0)
    while runs and runs[-1].kind == "text" and not runs[-1].text.strip():
        runs.pop()
    if runs and runs[0].kind == "text":
        runs[0] = Run(runs[0].text.lstrip())
    if runs and runs[-1].kind == "text":
        runs[-1] = Run(runs[-1].text.rstrip())
    return runs


def apply_edits(document: Document, title: str, texts: list[str]) -> Document:
    """A new document with each block's text replaced (headings keep their numbers).

    An emptied block is deleted. A line break typed in a paragraph starts a new paragraph
    there (each figure stays with the line it is on), so a block never holds a line break.
    """
    blocks: list[Block] = []
    for block, text in zip(document.blocks, texts, strict=True):
        text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
        if not text:
            continue
        runs = reattach(block, text)
        if block.type != "paragraph":
            # a heading or signature is one line: a line break in it is only a space
            joined = [Run(r.text.replace("\n", ""), r.kind, r.figure) for r in runs]
            blocks.append(Block(block.type, _strip_runs(joined), level=block.level, number=block.number))
            continue
        for line in _split_lines(runs):
            line = _strip_runs(line)
            if line:
                blocks.append(Block("paragraph", line))
    return Document(title=" ".join(title.split()) or document.title, blocks=blocks)


@dataclass(frozen=True)
class Span:
    """Where a part of the document lies in ``Document.plain_text()``: -1 is the title."""

    block: int
    start: int  # offset of the block's text (after its number) in the plain text
    end: int


def block_spans(document: Document) -> list[Span]:
    """The title's and each block's span in ``plain_text()`` (title, a blank line, a line per block)."""
    spans = [Span(-1, 0, len(document.title))]
    cursor = len(document.title) + 2
    for index, block in enumerate(document.blocks):
        start = cursor + len(block.number)
        spans.append(Span(index, start, start + len(block.text)))
        cursor = start + len(block.text) + 1
    return spans


def locate(document: Document, start: int, end: int) -> tuple[int, int, int] | None:
    """The (block, start, end) within that block's text of a plain-text range; None when the range
    is not inside one block's text (it crosses a line, or covers a heading's number)."""
    for span in block_spans(document):
        if span.start <= start and end <= span.end:
            return span.block, start - span.start, end - span.start
    return None


def fix_blocks(document: Document, fixes: list[tuple[int, int, str, str]]) -> tuple[str, list[str]]:
    """The title and block texts with ``fixes`` (plain-text start, end, expected text, replacement)
    applied inside their own block, so a fix never moves text from one block into another —
    whatever line breaks a block holds (issue 14, point 8)."""
    title = document.title
    texts = [block.text for block in document.blocks]
    for start, end, expected, replacement in sorted(fixes, key=lambda f: f[0], reverse=True):
        place = locate(document, start, end)
        if place is None:
            continue
        index, a, b = place
        current = title if index < 0 else texts[index]
        if current[a:b] != expected:
            continue
        current = current[:a] + replacement + current[b:]
        if index < 0:
            title = current
        else:
            texts[index] = current
    return title, texts


@dataclass
class DiffRow:
    kind: str  # "same" | "changed" | "added" | "removed"
    old_html: str
    new_html: str


def _chars(a: str, b: str) -> tuple[str, str]:
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    old, new = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        left, right = html.escape(a[i1:i2]), html.escape(b[j1:j2])
        if op == "equal":
            old.append(left)
            new.append(right)
        else:
            if left:
                old.append(f"<del>{left}</del>")
            if right:
                new.append(f"<ins>{right}</ins>")
    return "".join(old), "".join(new)


def diff_documents(old: Document, new: Document) -> list[DiffRow]:
    """Block-by-block comparison with the changed characters marked."""
    a = [old.title, *(b.full_text for b in old.blocks)]
    b = [new.title, *(b.full_text for b in new.blocks)]
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            rows.extend(DiffRow("same", html.escape(x), html.escape(x)) for x in a[i1:i2])
            continue
        left, right = a[i1:i2], b[j1:j2]
        for index in range(max(len(left), len(right))):
            if index < len(left) and index < len(right):
                old_html, new_html = _chars(left[index], right[index])
                rows.append(DiffRow("changed", old_html, new_html))
            elif index < len(left):
                rows.append(DiffRow("removed", f"<del>{html.escape(left[index])}</del>", ""))
            else:
                rows.append(DiffRow("added", "", f"<ins>{html.escape(right[index])}</ins>"))
    return rows


@dataclass
class EditorBlock:
    """One block as the editor shows it: its markup (chips, prompts, findings) and plain text."""

    index: int
    type: str
    level: int
    number: str
    text: str
    html: str
    findings: int


def _finding_html(text: str, finding: Any) -> str:
    suggestion = "" if finding.suggestion is None else finding.suggestion
    attrs = (
        f'class="pf pf-{html.escape(finding.kind)}" tabindex="0" '
        f'data-message="{html.escape(finding.message)}" '
        f'data-suggestion="{html.escape(suggestion)}" '
        f'data-has-suggestion="{"1" if finding.suggestion is not None else "0"}"'
    )
    return f"<span {attrs}>{html.escape(text)}</span>"


def _run_html(run: Run, inner: str, figure_url: Callable[[str], str], labels: dict[str, str]) -> str:
    if run.kind == "figure" and run.figure:
        label = html.escape(labels.get(run.figure, "台账数字"))
        return (
            f'<a class="fig-chip" contenteditable="false" href="{html.escape(figure_url(run.figure))}" '
            f'target="_blank" rel="noopener" data-figure="{html.escape(run.figure)}" '
            f'title="{label}：来自台账，点击查看记录；不能改写，可整体删除">{inner}</a>'
        )
    if run.kind == "prompt":
        return f'<mark class="prompt" title="台账中没有这项数据，请改写为实际内容">{inner}</mark>'
    return inner


def editor_blocks(
    document: Document,
    findings: list[Any],
    *,
    figure_url: Callable[[str], str] = lambda key: "#",
    labels: dict[str, str] | None = None,
) -> list[EditorBlock]:
    """The editor's title (index -1, first) and blocks: runs as markup, each proofreading error
    underlined at its place.

    A finding is shown when it lies inside one text run of one block (not over a figure, which
    cannot be edited, nor over a prompt, which is marked already, nor across blocks).
    """
    labels = labels or {}
    by_block: dict[int, list[tuple[int, int, Any]]] = {}
    for finding in findings:
        if getattr(finding, "severity", "error") != "error":
            continue
        place = locate(document, finding.start, finding.end)
        if place is not None and place[2] > place[1]:
            by_block.setdefault(place[0], []).append((place[1], place[2], finding))
    out: list[EditorBlock] = []
    # the title first, as block -1: one text run
    title_block = Block("paragraph", [Run(document.title)])
    for index, block in [(-1, title_block), *enumerate(document.blocks)]:
        marks = sorted(by_block.get(index, []), key=lambda m: m[0])
        parts: list[str] = []
        offset, shown = 0, 0
        for run in block.runs:
            start, end = offset, offset + len(run.text)
            offset = end
            if run.kind != "text":
                # a figure cannot be edited, a prompt is marked already: no underline over them
                parts.append(_run_html(run, html.escape(run.text), figure_url, labels))
                continue
            inner, cursor = [], start
            for a, b, finding in marks:
                if a < cursor or b > end or a < start:
                    continue
                inner.append(html.escape(block.text[cursor:a]))
                inner.append(_finding_html(block.text[a:b], finding))
                cursor = b
                shown += 1
            inner.append(html.escape(block.text[cursor:end]))
            parts.append(_run_html(run, "".join(inner), figure_url, labels))
        markup = "".join(parts).replace("\n", "<br>")
        out.append(EditorBlock(index, block.type, block.level, block.number, block.text, markup, shown))
    return out
