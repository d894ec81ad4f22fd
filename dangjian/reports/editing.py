"""Editing a draft's wording without losing the link from each figure to its records."""

from __future__ import annotations

import difflib
import html
from dataclasses import dataclass

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


def apply_edits(document: Document, title: str, texts: list[str]) -> Document:
    """A new document with each block's text replaced (headings keep their numbers)."""
    blocks: list[Block] = []
    for block, text in zip(document.blocks, texts, strict=True):
        text = text.strip()
        if not text:
            continue  # an emptied paragraph is deleted
        blocks.append(Block(block.type, reattach(block, text), level=block.level, number=block.number))
    return Document(title=title.strip() or document.title, blocks=blocks)


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
