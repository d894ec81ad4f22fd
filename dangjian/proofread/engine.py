"""Runs every detector over a text and turns raw hits into Finding records."""

from __future__ import annotations

import datetime
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


def check(text: str, *, date: datetime.date | None = None, layers: str = "all") -> list[Finding]:
    """Return the findings for ``text``, ordered by position.

    ``date`` is the document's date, used to decide whether a formulation was already outdated
    when the document was written; without it the formulation is judged against today.
    ``layers="fast"`` runs only the pattern and formulation layers (for benchmarking).
    """
    if not text:
        return []
    raws = _layers(text, date, fast_only=(layers == "fast"))
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
        Finding(s, e, bisect_right(starts, s), kind, text[s:e], sug, msg) for s, e, kind, sug, msg in kept
    ]
