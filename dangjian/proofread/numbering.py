"""Numbering layer: heading sequences (一、（一）1.（1）, GB/T 9704-2012 7.3.3), inline item
sequences (一是…二是…), and counts in the text that do not match the items that follow."""

from __future__ import annotations

import re
from collections.abc import Iterator

Raw = tuple[int, int, str, str | None, str]

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def cn_to_int(s: str) -> int | None:
    """一 → 1, 十二 → 12, 二十三 → 23, 一百零八 → 108, 一千二百六十 → 1260."""
    if s.isdigit():
        return int(s)
    if not s:
        return None
    for unit, mult in (("千", 1000), ("百", 100)):
        if unit in s:
            a, _, b = s.partition(unit)
            head = _CN_DIGITS.get(a) if a else 1
            b = b.lstrip("零〇")
            tail = cn_to_int(b) if b else 0
            if head is None or tail is None:
                return None
            return head * mult + tail
    if "十" in s:
        a, _, b = s.partition("十")
        tens = _CN_DIGITS.get(a, None) if a else 1
        ones = _CN_DIGITS.get(b, None) if b else 0
        if tens is None or ones is None:
            return None
        return tens * 10 + ones
    if len(s) == 1:
        return _CN_DIGITS.get(s)
    return None


def int_to_cn(n: int) -> str:
    d = "零一二三四五六七八九"
    if n >= 1000:
        rest = n % 1000
        return d[n // 1000] + "千" + ("" if not rest else ("零" if rest < 100 else "") + int_to_cn(rest))
    if n >= 100:
        rest = n % 100
        return d[n // 100] + "百" + ("" if not rest else ("零" if rest < 10 else "") + _tens(rest, True))
    return _tens(n, False)


def _tens(n: int, inside: bool) -> str:
    d = "零一二三四五六七八九"
    if n < 10:
        return d[n]
    if n < 20:
        return ("一" if inside else "") + "十" + (d[n - 10] if n > 10 else "")
    return d[n // 10] + "十" + (d[n % 10] if n % 10 else "")


_CNUM = "[一二三四五六七八九十]{1,3}"
_LEVELS = [
    # (level, regex at line start, how to print number n)
    (1, re.compile(rf"({_CNUM})([、．.，,])"), lambda n: int_to_cn(n) + "、"),
    (2, re.compile(rf"[（(]({_CNUM})[）)]([、．.，,]?)"), lambda n: f"（{int_to_cn(n)}）"),
    (3, re.compile(r"(\d{1,2})([.．、])(?![\d.．])"), lambda n: f"{n}."),
    (4, re.compile(r"[（(](\d{1,2})[）)]([、．.，,]?)"), lambda n: f"（{n}）"),
    (5, re.compile(r"([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])()"), lambda n: chr(0x2460 + n - 1)),
]


def _heading(line: str) -> tuple[int, int, int, int, str] | None:
    """(level, number, marker_start, marker_end, separator) of a heading line, else None."""
    lead = len(line) - len(line.lstrip(" \u3000\t"))
    body = line[lead:]
    for level, rx, _fmt in _LEVELS:
        m = rx.match(body)
        if not m:
            continue
        raw = m.group(1)
        n = ord(raw) - 0x2460 + 1 if level == 5 else cn_to_int(raw)
        if n is None or n == 0:
            return None
        # "2024年" or "1.5万" are not headings; "一、" must be followed by text
        if m.end() >= len(body):
            return None
        return level, n, lead, lead + m.end(), m.group(2)
    return None


# "20.2026年…" reads as the decimal 20.2026 or as item 20 whose text starts with a figure
_AMBIGUOUS = re.compile(r"(\d{1,2})([.．])(?=\d)")


def _continuations(lines: list[str], heads: list) -> None:
    """Take "N.<figure>" for item N where the items above run to N - 1 (…19. 20.2026年民生实事
    21.5+2就业之家 22.…): read as a decimal it broke a numbered list into three findings."""
    last3: int | None = None
    for i, ln in enumerate(lines):
        h = heads[i]
        if h is not None:
            if h[0] < 3:
                last3 = None
            elif h[0] == 3:
                last3 = h[1]
            continue
        lead = len(ln) - len(ln.lstrip(" \u3000\t"))
        m = _AMBIGUOUS.match(ln, lead)
        if m and last3 is not None and int(m.group(1)) == last3 + 1:
            heads[i] = (3, last3 + 1, lead, m.end(), m.group(2))
            last3 += 1


_INLINE = [
    re.compile(rf"(?:^|(?<=[：:；;，,。！？\s]))({_CNUM})是(?=[\u4e00-\u9fff“])"),
    re.compile(rf"(?:^|(?<=[：:；;。！？\s]))第({_CNUM})[，,、]"),
    re.compile(r"(?:(?<=[：:；;。，\s])|^)[（(](\d{1,2})[）)](?=[\u4e00-\u9fff“])"),
    re.compile(r"([①②③④⑤⑥⑦⑧⑨⑩])"),
]

_COUNT = re.compile(
    r"([两二三四五六七八九十]|\d{1,2})(?:个方面|大方面|方面|项|点|条|个问题|大类|件|个)(?:的|主要|重点|重要|具体)?"
    r"(?:重点工作|工作|措施|任务|问题|举措|成效|成绩|特点|内容|不足|经验|做法|打算|短板|体会|意见|建议|要求|原则|目标|环节|事项|实事)"
    r"(?![日者量人组室])"  # 3个工作日, 工作者 are not lists
    # or no noun at all when the colon follows at once: "主要抓好三个方面：", "有以下四点："
    r"|([两二三四五六七八九十]|\d{1,2})(?:个方面|大方面|方面|点|条)(?=：)"
)


def _inline_markers(seg: str) -> tuple[int, list[tuple[int, int, int]]] | None:
    """The first inline marker style used in seg: (style, [(n, start, end), …])."""
    best = None
    for style, rx in enumerate(_INLINE):
        found = []
        for m in rx.finditer(seg):
            raw = m.group(1)
            n = ord(raw) - 0x2460 + 1 if style == 3 else cn_to_int(raw)
            if n:
                found.append((n, m.start(1) if style != 1 else m.start(), m.end(1)))
        if found and found[0][0] == 1 and (best is None or found[0][1] < best[1][0][1]):
            best = (style, found)
    return best


def find_numbering(text: str) -> Iterator[Raw]:
    lines = text.split("\n")
    offs = []
    pos = 0
    for ln in lines:
        offs.append(pos)
        pos += len(ln) + 1
    heads = [_heading(ln) for ln in lines]
    _continuations(lines, heads)
    fmt = {lv: f for lv, _rx, f in _LEVELS}

    # the number of the next heading of the same level under the same parent (for resyncing)
    nxt_same: list[int | None] = [None] * len(heads)
    pending: dict[int, int] = {}
    for i, h in enumerate(heads):
        if h is None:
            continue
        level = h[0]
        for lv in [lv for lv in pending if lv > level]:
            del pending[lv]
        if level in pending:
            nxt_same[pending[level]] = h[1]
        pending[level] = i

    # 1. heading sequences
    last: dict[int, int | None] = {}
    running: dict[int, int] = {}
    for i, h in enumerate(heads):
        if h is None:
            continue
        level, n, ms, me, sep = h
        base = offs[i]
        if level == 1 and sep != "、":
            yield (base + ms, base + me, "numbering", fmt[1](n), "一级标题序号后应使用顿号“、”")
        elif level in (2, 4) and sep:
            yield (base + me - 1, base + me, "numbering", "", "括号序号后不再加标点")
        prev = last.get(level)
        expected = 1 if prev is None else prev + 1
        # 工作要点 often number 1. … 18. straight through the 一、 sections: a continuation of
        # the previous run at this level is fine too
        cont = running.get(level)
        # A restart at 1 begins a new list, except right after a lone 1 under the same parent: a
        # list of one item is not numbered, so 1. 1. 2. is the first number written twice.
        restart = n == 1 and prev is not None and prev != 1
        ok = n == expected or restart or (cont is not None and n == cont + 1)
        # a document (or an excerpt) may start anywhere; only a jump inside a sequence is wrong
        if prev is None and not any(last.get(lv) is not None for lv in range(1, level)):
            ok = True
        if not ok:
            yield (
                base + ms,
                base + me - len(sep) if level in (2, 4) and sep else base + me,
                "numbering",
                None if level == 1 and sep != "、" else fmt[level](expected),
                f"序号不连续：此处应为“{fmt[level](expected)}”",
            )
        # after a slip, go on from whichever reading makes the next heading right: 1 2 2 3 4
        # is one slip (the second 2; later items follow the written number), （二）（二）（四）
        # too (the writer meant （三）); one slip is one finding
        if ok:
            last[level] = n
        else:
            following = nxt_same[i]
            if following == n + 1:
                last[level] = n
            elif following == expected + 1:
                last[level] = expected
            else:
                last[level] = expected if n < expected else n
        running[level] = last[level]
        for lv in range(level + 1, 6):
            last[lv] = None

    # 2. runs of numbered paragraphs: 第X条 (articles, through the whole text), 第X章, 第X节
    # (within a chapter) and 第一，第二， openers (within a heading's section)
    yield from _paragraph_runs(lines, offs, heads)

    # 3. inline item sequences inside one paragraph (一是…二是…四是)
    for i, ln in enumerate(lines):
        if heads[i] is not None and heads[i][0] in (3, 4):
            pass
        found = _inline_markers(ln)
        if not found:
            continue
        style, items = found
        if len(items) < 2:
            continue
        expect = 1
        for n, s, e in items:
            if n == 1 and expect != 1:
                expect = 1  # a new enumeration in the same paragraph
            if n != expect:
                sug = {
                    0: int_to_cn(expect),
                    1: int_to_cn(expect),
                    2: str(expect),
                    3: chr(0x2460 + expect - 1),
                }[style]
                yield (offs[i] + s, offs[i] + e, "numbering", sug, f"序号不连续：此处应为“{sug}”")
            expect = n + 1

    # 4. "做了以下五个方面的工作：" followed by a different number of items
    for i, ln in enumerate(lines):
        for m in _COUNT.finditer(ln):
            g = 1 if m.group(1) else 2
            num = m.group(g)
            n = cn_to_int(num)
            if not n or n < 2 or n > 20:
                continue
            rest = ln[m.end() :]
            colon = rest.find("：")
            stop = rest.find("。")
            inline = colon >= 0 and (stop < 0 or colon < stop) and colon <= 30
            items_n = None
            if inline:
                found = _inline_markers(rest[colon:])
                if found and len(found[1]) >= 2:
                    seq = [x[0] for x in found[1]]
                    items_n = _run_len(seq)
            if items_n is None:
                # the items follow in the next paragraphs: only when the sentence announces them
                announces = inline or "以下" in ln[: m.start()] or "如下" in rest[:12]
                ends_here = (
                    (inline and rest[colon + 1 :].strip() == "")
                    or (stop >= 0 and stop <= 30 and rest[stop + 1 :].strip() == "")
                    or rest.strip() in ("", "：", "。")
                )
                if not (announces and ends_here):
                    continue
                items_n = _following_items(lines, heads, i)
            if items_n is not None and items_n >= 2 and items_n != n:
                s = offs[i] + m.start(g)
                yield (
                    s,
                    s + len(num),
                    "numbering",
                    None,
                    f"文中称“{num}”{m.group()[len(num) :]}，其后列出{items_n}项，数目不符",
                )


_CN_BIG = "[一二三四五六七八九十百千零〇]{1,8}"
_RUNS = [
    # (name, regex at line start, printed form, reset by)
    ("article", re.compile(rf"\s*第({_CN_BIG})条(?=[\s\u3000])"), "第{}条", ()),
    # a chapter's title may follow with no space when the line is a short title (第四章粮食流通)
    (
        "chapter",
        re.compile(rf"\s*第({_CN_BIG})章(?=[\s\u3000]|[\u4e00-\u9fff][^。，；\n]{{0,20}}$)"),
        "第{}章",
        (),
    ),
    (
        "section",
        re.compile(rf"\s*第({_CN_BIG})节(?=[\s\u3000]|[\u4e00-\u9fff][^。，；\n]{{0,20}}$)"),
        "第{}节",
        ("chapter",),
    ),
    ("opener", re.compile(rf"\s*第({_CNUM})[，,、：:]"), "第{}，", ("chapter", "section", "heading")),
]
# a run with more slips than this is not a numbered run (quoted articles of an amendment)
_MAX_RUN_SLIPS = 2


def _paragraph_runs(lines: list[str], offs: list[int], heads: list) -> Iterator[Raw]:
    items: dict[str, list[list[tuple[int, int, int, int]]]] = {name: [[]] for name, *_ in _RUNS}
    for i, ln in enumerate(lines):
        if heads[i] is not None and heads[i][0] <= 2:
            items["opener"].append([])
        for name, rx, _fmt, _resets in _RUNS:
            m = rx.match(ln)
            if not m:
                continue
            n = cn_to_int(m.group(1))
            if not n:
                continue
            items[name][-1].append((n, offs[i] + m.start(1) - 1, offs[i] + m.end(), i))
            for other, _rx, _f, other_resets in _RUNS:
                if name in other_resets:
                    items[other].append([])
            break
    for name, _rx, fmt, _resets in _RUNS:
        for run in items[name]:
            if len(run) < 3:
                continue
            slips = []
            prev = None
            for k, (n, s, e, _line) in enumerate(run):
                if prev is None:
                    prev = n
                    continue
                expected = prev + 1
                if n == expected:
                    prev = n
                    continue
                following = run[k + 1][0] if k + 1 < len(run) else None
                shown = fmt.format(int_to_cn(expected))
                slips.append(
                    (
                        s,
                        e,
                        "numbering",
                        shown if e - s == len(shown) else None,
                        f"序号不连续：此处应为“{shown}”",
                    )
                )
                if following == n + 1:
                    prev = n
                elif following == expected + 1:
                    prev = expected
                else:
                    prev = expected if n < expected else n
            if len(slips) <= _MAX_RUN_SLIPS:
                yield from slips


def _run_len(seq: list[int]) -> int:
    k = 0
    for x in seq:
        if x == k + 1:
            k = x
        elif x == 1:
            break
    return k


_LEADING_INLINE = re.compile(rf"\s*(?:({_CNUM})是|第({_CNUM})[，,、])")


def _following_items(lines: list[str], heads: list, i: int) -> int | None:
    """How many items follow line i: headings of one level, or paragraphs opening 一是/第一，."""
    nxt = next((j for j in range(i + 1, len(lines)) if lines[j].strip()), None)
    if nxt is None:
        return None
    if heads[nxt] is not None:
        return _following_headings(heads, i)
    m = _LEADING_INLINE.match(lines[nxt])
    if not m or cn_to_int(m.group(1) or m.group(2)) != 1:
        return None
    count = 0
    for ln in lines[nxt:]:
        if not ln.strip():
            continue
        m = _LEADING_INLINE.match(ln)
        if not m or cn_to_int(m.group(1) or m.group(2)) != count + 1:
            break
        count += 1
    return count


def _following_headings(heads: list, i: int) -> int | None:
    own = heads[i][0] if heads[i] else 0
    level = None
    count = 0
    for h in heads[i + 1 :]:
        if h is None:
            continue
        lv, n = h[0], h[1]
        if level is None:
            if lv <= own:
                return None
            if n != 1:
                return None
            level = lv
            count = 1
            continue
        if lv < level:
            break
        if lv == level:
            if n == 1:
                break
            count += 1
    return count if level is not None else None
