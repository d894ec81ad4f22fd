"""Line layout of the parts of an official document that are not running text (GB/T 9704-2012).

The title (7.3.1): "回行时，要做到词意完整，排列对称，长短适宜，间距恰当，标题排列应当使用梯形或菱形" —
lines break only between words (jieba's segmentation, with the bureau's own terms added), no
line is left with a stranded character, and the line lengths make a trapezoid (two lines of
different length, or three growing or shrinking) or a diamond (the middle line longest), never a
rectangle or an hourglass when another break would do.

The signature block (7.3.5.2, no seal): the signer right-indented two characters, the date on
the next line starting two characters right of the signer's first character; a date longer than
the signer is right-indented two characters and pushes the signer left instead.
"""

from __future__ import annotations

import datetime
import itertools
import math
import re
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# The title is 2号 (22 pt) across the 156 mm text block: 442 pt / 22 pt = 20.1 characters. A
# little is kept back for Latin digits, which some CJK faces set wider than half a character.
TITLE_LINE_EM = 19.5
SHORTEST_LINE_EM = 3.0  # a title line shorter than three characters reads as stranded
# A third line is worth it only to avoid a bad break (a line ending in 关于, a period cut in two).
EXTRA_LINE_PENALTY = 3.5

# Words jieba's general dictionary would cut in two, or join with a neighbour, in report titles.
TITLE_WORDS = (
    "机关党委",
    "机关委员会",
    "党总支",
    "党支部",
    "党支部书记",
    "党组",
    "党建工作",
    "基层党建",
    "抓基层党建工作",
    "工作总结",
    "述职报告",
    "工作报告",
    "情况报告",
    "党风廉政建设",
    "全面从严治党",
    "主体责任",
    "学习教育",
    "主题教育",
    "党纪学习教育",
    "模范机关",
    "上半年",
    "下半年",
    "第一季度",
    "第二季度",
    "第三季度",
    "第四季度",
    "年度",
)
# Function words a line should neither end with nor start with.
NO_LINE_END = set("的和与及关于对在")
NO_LINE_START = set("的和与及了")

_tokenizer: Any = None
_tokenizer_lock = threading.Lock()


def _jieba() -> Any:
    """A private jieba tokenizer: the bureau's words must not change the proofreader's segmentation."""
    global _tokenizer
    with _tokenizer_lock:
        if _tokenizer is None:
            import logging

            import jieba

            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            for word in TITLE_WORDS:
                tokenizer.add_word(word, freq=200000)
            _tokenizer = tokenizer
    return _tokenizer


def char_width(ch: str) -> float:
    """Width in characters of the body grid: full-width (CJK, Chinese punctuation) 1, else ½."""
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 0.5


def text_width(text: str) -> float:
    return sum(char_width(ch) for ch in text)


# A period ("2026年上半年", "2025年度", "2024年第三季度", "2023—2025年") or a number with its
# measure word is one unbreakable piece: "2026年/上半年" splits the period's sense in two.
_ATOMIC = re.compile(
    r"\d{4}(?:[—-]\d{4})?年(?:度|上半年|下半年|第?[一二三四1-4]季度|\d{1,2}月份?)?"
    r"|\d+(?:\.\d+)?[年月日个项次届]?"
)


def title_words(title: str, keep: Sequence[str] = ()) -> list[str]:
    """The title cut into pieces a line may break between: words, and whole periods, numbers
    and the names in ``keep`` (the organization's name is never broken)."""
    spans = [(m.start(), m.end()) for m in _ATOMIC.finditer(title)]
    for name in sorted((k for k in keep if k), key=len, reverse=True):
        start = title.find(name)
        while start >= 0:
            end = start + len(name)
            spans = [(a, b) for a, b in spans if b <= start or a >= end]
            spans.append((start, end))
            start = title.find(name, end)
    words: list[str] = []
    cursor = 0
    for start, end in sorted(spans):
        if start < cursor:
            continue
        if start > cursor:
            words.extend(w for w in _jieba().cut(title[cursor:start], HMM=False) if w)
        words.append(title[start:end])
        cursor = end
    if cursor < len(title):
        words.extend(w for w in _jieba().cut(title[cursor:], HMM=False) if w)
    return words


@dataclass(frozen=True)
class _Candidate:
    lines: tuple[str, ...]
    score: float


def _shape_penalty(widths: list[float]) -> float | None:
    """None for a forbidden shape; otherwise how far it is from a pleasing trapezoid/diamond."""
    if len(widths) == 2:
        top, bottom = widths
        penalty = abs(top - bottom) * 0.3
        if abs(top - bottom) < 1:  # a rectangle: allowed only when nothing else fits
            penalty += 4
        return penalty
    if len(widths) == 3:
        a, b, c = widths
        if b < a and b < c:  # an hourglass
            return None
        diamond = b >= a and b >= c
        trapezoid = a <= b <= c or a >= b >= c
        if not (diamond or trapezoid):
            return None
        return (max(widths) - min(widths)) * 0.4
    return 0.0


def _break_penalty(before: str, after: str) -> float:
    """How bad a line break between ``before`` and ``after`` is for the title's sense."""
    penalty = 0.0
    if before.endswith("关于"):
        penalty += 9
    elif before[-1:] in NO_LINE_END:
        penalty += 6
    if after[:1] in NO_LINE_START:
        penalty += 6
    # Natural joints: after the organization's name (before the year or 关于), before 关于.
    if after[:1].isdigit() or after.startswith("关于"):
        penalty -= 3
    if after.startswith(("工作", "情况")):
        penalty += 2
    return penalty


def break_title(title: str, keep: Sequence[str] = (), line_em: float = TITLE_LINE_EM) -> list[str]:
    """The title's lines: one if it fits, else two or three broken between words in a good shape."""
    title = title.strip()
    if text_width(title) <= line_em:
        return [title]
    words = title_words(title, keep)
    best: _Candidate | None = None
    for count in (2, 3, 4):
        if best is not None and count == 4:
            break  # two or three lines were possible: four would be a column, not a title
        for cuts in itertools.combinations(range(1, len(words)), count - 1):
            bounds = (0, *cuts, len(words))
            lines = tuple("".join(words[bounds[i] : bounds[i + 1]]) for i in range(count))
            widths = [text_width(line) for line in lines]
            if max(widths) > line_em or min(widths) < SHORTEST_LINE_EM:
                continue
            shape = _shape_penalty(widths)
            if shape is None:
                continue
            score = shape + sum(_break_penalty(lines[i], lines[i + 1]) for i in range(count - 1))
            score += EXTRA_LINE_PENALTY * (count - 2)
            if best is None or score < best.score:
                best = _Candidate(lines, score)
    if best is not None:
        return list(best.lines)
    # No word boundary gives lines that fit (one enormous word): even lines by width, so the
    # last is never a stranded character.
    count = math.ceil(text_width(title) / line_em)
    target = text_width(title) / count
    lines, current = [], ""
    for ch in title:
        if current and len(lines) < count - 1 and text_width(current + ch) > target + 0.5:
            lines.append(current)
            current = ""
        current += ch
    return [*lines, current]


def chinese_date(day: datetime.date) -> str:
    """成文日期 per 7.3.5.4: Arabic numerals, the full year, no leading zeros (2026年5月8日)."""
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class SignatureLayout:
    """Where the signer line(s) and the date go (7.3.5.2), in characters of the body grid.

    The signer is right-aligned ``signer_indent`` from the right margin. The date either starts
    ``date_from_right`` characters from the right margin (left-aligned there, so it starts two
    characters right of the signer's first character however wide its digits are set) or, when
    it is longer than the signer, is right-aligned ``date_indent`` from the margin.
    """

    signer_indent: float
    date_from_right: float | None
    date_indent: float


def signature_layout(signer: str, date_text: str) -> SignatureLayout:
    """Signer right-indented 2 characters; the date's first character 2 right of the signer's.

    With s and d the widths of signer and date, the signer starts s + 2 characters from the
    right margin, so the date starts s from it. A date longer than the signer is set 2 from the
    margin instead, and the signer moves left to keep the 2-character step (4 + d − s).
    """
    s, d = text_width(signer), text_width(date_text)
    if not signer:
        return SignatureLayout(0, None, 2)
    if not date_text:
        return SignatureLayout(2, None, 0)
    if d > s:
        return SignatureLayout(2 + d - s + 2, None, 2)
    return SignatureLayout(2, s, 0)
