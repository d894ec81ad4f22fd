"""Measures of a draft as its reader meets it: which declared content kinds it covers, its
length, and how many sentences two drafts share (bench/report_content_bench.py and the tests)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from dangjian.reports.document import Document


def missing_kinds(body: Mapping[str, Any], document: Document) -> list[str]:
    """The genre's declared kinds that no paragraph of ``document`` covers (by data or prompt)."""
    covered = document.coverage()
    return [kind["code"] for kind in body.get("kinds", []) if kind["code"] not in covered]


def length(document: Document) -> int:
    """Characters of the draft's text (title and blocks, without line breaks)."""
    return len(document.plain_text().replace("\n", ""))


def sentences(document: Document) -> set[str]:
    """The draft's sentences (split at 。！？ and line ends), prompts included."""
    found = set()
    for line in document.plain_text().splitlines():
        for piece in re.split(r"(?<=[。！？】])", line):
            piece = re.sub(r"^[一二三四五六七八九十]+是", "", piece.strip())
            if len(piece) >= 6:
                found.add(piece)
    return found


def shared_share(first: Document, second: Document) -> float:
    """The part of ``second``'s sentences that also stand in ``first`` (0–1)."""
    a, b = sentences(first), sentences(second)
    return len(a & b) / len(b) if b else 0.0
