"""Runs every detector over a text and turns raw hits into Finding records."""

from __future__ import annotations

import datetime
import re
from bisect import bisect_right

from . import formulation, numbering, patterns, typo
from .finding import Finding

# When two findings overlap, the more specific kind wins (a misspelt formulation is reported
# once, as a formulation, not also as a typo).
_PRIORITY = {
    "foreign-content": 0,
    "formulation": 1,
    "placeholder": 2,
    "numbering": 3,
    "date": 4,
    "typo": 5,
    "punctuation": 6,
}


def _layers(text: str, date: datetime.date | None, *, fast_only: bool = False) -> list[patterns.Raw]:
    raws: list[patterns.Raw] = []
    raws.extend(patterns.find_placeholders(text))
    raws.extend(patterns.find_foreign(text))
    raws.extend(patterns.find_punctuation(text))
    raws.extend(patterns.find_dates(text))
    raws.extend(formulation.find_formulations(text, date))
    if fast_only:
        return raws
    raws.extend(numbering.find_numbering(text))
    raws.extend(typo.find_typos(text))
    return raws


def _as_formulation(r: patterns.Raw) -> patterns.Raw:
    """A slip inside a fixed formulation or set phrase (一岗双则) is reported as a formulation."""
    if r[2] == "typo" and r[3] and r[3] in formulation.fixed_phrases():
        return (r[0], r[1], "formulation", r[3], f"规范表述应为“{r[3]}”")
    return r


_FULL_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日")
_CN_YEAR = re.compile(
    r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日"
)
_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0}


def _cn_number(s: str) -> int:
    if "十" in s:
        a, _, b = s.partition("十")
        return (_CN_DIGIT[a] if a else 1) * 10 + (_CN_DIGIT[b] if b else 0)
    return _CN_DIGIT[s]


def document_date(text: str) -> datetime.date | None:
    """The document's own date: its 成文日期 (a line holding only a date, as GB/T 9704 places it
    under the signature) or else the latest date mentioned in it; None when it names no date.
    Dates after today are plans, not the writing date, and are ignored."""
    today = datetime.date.today()
    found: list[tuple[bool, datetime.date]] = []
    for rx, conv in ((_FULL_DATE, int), (_CN_YEAR, None)):
        for m in rx.finditer(text):
            try:
                if conv is None:
                    y = int("".join(str(_CN_DIGIT[c]) for c in m.group(1)))
                    mo, d = _cn_number(m.group(2)), _cn_number(m.group(3))
                else:
                    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
                when = datetime.date(y, mo, d)
            except (ValueError, KeyError):
                continue
            if when > today:
                continue
            ls = text.rfind("\n", 0, m.start()) + 1
            le = text.find("\n", m.end())
            line = text[ls : le if le >= 0 else len(text)].strip()
            found.append((line == m.group(), when))
    if not found:
        return None
    signed = [d for alone, d in found if alone]
    return signed[-1] if signed else max(d for _alone, d in found)


def check(
    text: str, *, date: datetime.date | None = None, layers: str = "all", style: bool = False
) -> list[Finding]:
    """Return the findings for ``text``, ordered by position.

    ``date`` is the document's date, used to decide whether a formulation was already outdated
    when the document was written; without it the document's own date is used (its 成文日期 or
    latest dated sentence, see document_date), and without that, today.
    ``style=True`` adds the opt-in style level (severity "style"): house-style rules that
    authoritative texts do not all follow.
    ``layers="fast"`` runs only the pattern and formulation layers (for benchmarking).
    """
    if not text:
        return []
    if date is None:
        date = document_date(text)
    raws = _layers(text, date, fast_only=(layers == "fast"))
    if not style:
        raws = [r for r in raws if len(r) < 6 or r[5] != "style"]
    raws = [_as_formulation(r) for r in raws] if any(r[2] == "typo" for r in raws) else raws
    raws.sort(key=lambda r: (r[0], _PRIORITY.get(r[2], 9), -(r[1] - r[0])))
    kept: list[patterns.Raw] = []
    for r in raws:
        if r[1] <= r[0]:
            continue
        drop = False
        for k in kept[-8:]:
            if r[0] < k[1] and k[0] < r[1]:
                if k[2] == r[2]:
                    drop = True
                elif (
                    k[2] == "foreign-content"
                    or _PRIORITY.get(k[2], 9) < _PRIORITY.get(r[2], 9)
                    and r[2]
                    in (
                        "typo",
                        "punctuation",
                    )
                ):
                    drop = True
                elif r[2] == "formulation" and k[2] == "typo":
                    pass
            if drop:
                break
        if not drop:
            kept.append(r)
    # a typo inside a later-starting formulation finding: drop the typo
    forms = [(r[0], r[1]) for r in kept if r[2] == "formulation"]
    if forms:
        kept = [r for r in kept if r[2] != "typo" or not any(r[0] < fe and fs < r[1] for fs, fe in forms)]
    starts = [0]
    i = text.find("\n")
    while i >= 0:
        starts.append(i + 1)
        i = text.find("\n", i + 1)
    return [
        Finding(s, e, bisect_right(starts, s), r[2], text[s:e], r[3], r[4], r[5] if len(r) > 5 else "error")
        for r in kept
        for s, e in [(r[0], r[1])]
    ]
