"""Formulation layer: fixed political formulations matched with tolerant alignment.

A formulation of n characters is split into d+1 pieces (d = allowed edits); by the pigeonhole
principle any copy with at most d edits contains one piece unchanged, so an Aho-Corasick scan
for the pieces finds every candidate in one C-speed pass.  Only where the exact wording is *not*
present is the window aligned with Levenshtein distance.  Fixed lists (四个意识 …), congress
naming, leaders' names, reversed set phrases and date-dependent outdated wording are rules.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import ahocorasick
from rapidfuzz.distance import Levenshtein

from .patterns import aho_iter, automaton, lines_at

Raw = tuple[int, int, str, str | None, str]
DATA = Path(__file__).with_name("data")
# Differences made only of these do not change a formulation (quotes around 四个意识, 和 for 、).
_IGNORABLE = set("、，,；和与及“”\"‘’'《》 \u3000")
_CN = "一二三四五六七八九十"
# Head nouns of named bodies of thought that drafts swap for one another (习近平法治思想 written
# …法治理论); 主义/体系/战略 are left out: swapping them gives other, correct phrases.
_SWAPPABLE_HEADS = ("思想", "理论", "理念", "观念", "观点", "学说")
# Characters that never begin or end a leading verb: 中的特色社会主义 is a slip, not a sibling
# wording with another leading verb (推动/推进).
_FUNCTION_CHARS = set("的地得之了着过")


def _rows(name: str) -> list[list[str]]:
    out = []
    for line in (DATA / name).read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            out.append(line.split("\t"))
    return out


def _allowed_edits(n: int) -> int:
    if n <= 5:
        return 0
    if n <= 9:
        return 1
    if n <= 16:
        return 2
    if n <= 28:
        return 3
    return 4


@dataclass(frozen=True)
class _Index:
    forms: list[str]
    automaton: ahocorasick.Automaton
    swaps: ahocorasick.Automaton | None
    lists: list[tuple[str, list[str], re.Pattern[str], re.Pattern[str]]]
    # per list: the group number of each member (核心价值观: three groups of four, each of which
    # is quoted on its own), or None
    groups: list[tuple[int, ...] | None]
    outdated: list[tuple[re.Pattern[str], str, datetime.date, str]]
    members: ahocorasick.Automaton
    # wordings that differ from a formulation but are correct (attested in official texts)
    siblings: frozenset[str]
    # a formulation with an inner word dropped (以习近平为核心的党中央, 习近平中国特色社会主义思想)
    dropped: ahocorasick.Automaton | None
    # a formulation's stem with another head noun (习近平强军理论 for 习近平强军思想): two edits,
    # more than a short formulation's tolerance allows
    head_swaps: ahocorasick.Automaton | None
    # short formulations (4–5 characters, no edit tolerance) with one inner character replaced
    # (民主集的制, 一岗的责): both ends stay, so the skeleton is still recognisable
    short_sub: re.Pattern[str] | None
    short_forms: tuple[str, ...]


@cache
def _index() -> _Index:
    rows = _rows("formulations.tsv")
    forms = [r[0] for r in rows]
    siblings = {x for r in rows if len(r) > 2 for x in r[2].split("|") if x}
    siblings |= (
        {r[0] for r in _rows("formulation_siblings.tsv")}
        if (DATA / "formulation_siblings.tsv").exists()
        else set()
    )
    pieces: dict[str, list[tuple[int, int]]] = {}
    for fid, f in enumerate(forms):
        d = _allowed_edits(len(f))
        if d == 0:
            continue
        k = d + 1
        n = len(f)
        bounds = [round(i * n / k) for i in range(k + 1)]
        for i in range(k):
            piece = f[bounds[i] : bounds[i + 1]]
            pieces.setdefault(piece, []).append((fid, bounds[i]))
    auto = automaton((piece, (piece, tuple(refs))) for piece, refs in pieces.items())

    swaps = ahocorasick.Automaton()
    phrases = [r[0].strip() for r in _rows("set_phrases.txt")]
    known = set(phrases)
    nswaps = 0
    for ph in phrases:
        for i in range(len(ph)):
            for j in range(i + 1, len(ph)):
                chars = list(ph)
                chars[i], chars[j] = chars[j], chars[i]
                v = "".join(chars)
                # 入脑入心 / 入心入脑, 走深走实 / 走实走深: two parallel halves that share their
                # first character read the same either way round; a swap inside a half does not
                # (以上率下 → 以下率上 turns the meaning over)
                if len(ph) == 4 and ph[0] == ph[2] and (i, j) == (1, 3):
                    continue
                # 争先创优 / 创先争优, 履职尽责 / 尽职履责: the verbs of two verb-object halves
                # swapped read the same
                if len(ph) == 4 and (i, j) == (0, 2):
                    continue
                if v != ph and v not in known:
                    swaps.add_word(v, (v, ph))
                    nswaps += 1
    if nswaps:
        swaps.make_automaton()

    lists = []
    groups: list[tuple[int, ...] | None] = []
    for name, members, _src, *more in _rows("lists.tsv"):
        items = members.split("、")
        sizes = [int(x) for x in more[0].split(",")] if more and more[0].strip() else None
        groups.append(tuple(g for g, n in enumerate(sizes) for _ in range(n)) if sizes else None)
        # an item-shaped token: shares the list's common suffix (…意识) or prefix (学史…)
        suffix = _common_suffix(items)
        prefix = _common_prefix(items)
        exact = "|".join(re.escape(x) for x in sorted(items, key=len, reverse=True))
        if suffix:
            lens = [len(x) - len(suffix) for x in items]
            tok = rf"[\u4e00-\u9fff]{{{min(lens)},{max(lens)}}}{re.escape(suffix)}"
        elif prefix:
            # the members themselves first, so a long member (全面建设社会主义现代化国家) is one token
            lens = [len(x) - len(prefix) for x in items]
            tok = rf"(?:{exact}|{re.escape(prefix)}[\u4e00-\u9fff]{{{min(lens)},{min(max(lens), 4)}}}?)"
        else:
            tok = "|".join(re.escape(x) for x in items)
            tok = f"(?:{tok})"
        sep = r"[“”\"]?(?:[、，,和及与]|以及)[“”\"]?"
        pat = re.compile(rf"[“\"]?{tok}[”\"]?(?:{sep}{tok}[”\"]?){{1,}}")
        lists.append((name, items, pat, re.compile(tok)))

    outdated = []
    for row in _rows("outdated.tsv"):
        pat, sug, since, msg = row[0], row[1].strip(), row[2], row[3]
        outdated.append((re.compile(pat), sug, datetime.date.fromisoformat(since), msg))
    keys: dict[str, set[int]] = {}
    for li, (_name, items, _pat, _tok) in enumerate(lists):
        suffix = _common_suffix(items)
        prefix = _common_prefix(items)
        for key in [*items, *([suffix] if len(suffix) >= 2 else []), *([prefix] if len(prefix) >= 2 else [])]:
            keys.setdefault(key, set()).add(li)
    members = automaton((key, tuple(sorted(lis))) for key, lis in keys.items())
    dropped = ahocorasick.Automaton()
    ndropped = 0
    known_forms = set(forms)
    for f in forms:
        if len(f) < 8:
            continue
        for k in (2, 3):
            for i in range(2, len(f) - k - 1):
                v = f[:i] + f[i + k :]
                if v in known_forms or v in siblings or any(ch in _IGNORABLE for ch in f[i : i + k]):
                    continue
                if dropped.exists(v):
                    continue
                dropped.add_word(v, (v, f))
                ndropped += 1
    if ndropped:
        dropped.make_automaton()
    head_swaps = ahocorasick.Automaton()
    nheads = 0
    for f in forms:
        head = next((h for h in _SWAPPABLE_HEADS if f.endswith(h)), None)
        if head is None or len(f) - len(head) < 3:
            continue
        for other in _SWAPPABLE_HEADS:
            v = f[: -len(head)] + other
            if other == head or v in known_forms or v in siblings or head_swaps.exists(v):
                continue
            head_swaps.add_word(v, (v, f))
            nheads += 1
    if nheads:
        head_swaps.make_automaton()
    alts = []
    short_forms = tuple(
        f
        for f in forms
        if len(f) >= 4 and _allowed_edits(len(f)) == 0 and not any(ch in _IGNORABLE for ch in f)
    )
    for f in short_forms:
        for i in range(1, len(f) - 1):
            alts.append(f"{re.escape(f[:i])}[\u4e00-\u9fff]{re.escape(f[i + 1 :])}")
    short_sub = re.compile("|".join(alts)) if alts else None
    return _Index(
        forms,
        auto,
        swaps if nswaps else None,
        lists,
        groups,
        outdated,
        members,
        frozenset(siblings),
        dropped if ndropped else None,
        head_swaps if nheads else None,
        short_sub,
        short_forms,
    )


def _common_suffix(items: list[str]) -> str:
    s = items[0]
    while s and not all(x.endswith(s) for x in items):
        s = s[1:]
    return s if len(s) >= 1 and all(len(x) > len(s) for x in items) else ""


def _common_prefix(items: list[str]) -> str:
    p = items[0]
    while p and not all(x.startswith(p) for x in items):
        p = p[:-1]
    return p if len(p) >= 1 and all(len(x) > len(p) for x in items) else ""


def _ignorable_diff(a: str, b: str) -> bool:
    for op in Levenshtein.editops(a, b):
        if op.tag == "delete" and a[op.src_pos] not in _IGNORABLE:
            return False
        if op.tag == "insert" and b[op.dest_pos] not in _IGNORABLE:
            return False
        if op.tag == "replace" and not (a[op.src_pos] in _IGNORABLE and b[op.dest_pos] in _IGNORABLE):
            return False
    return True


# Head nouns that stand for one another in mis-stated names (…思想 → …理论, …理念 → …观念); a
# different word at the end of a formulation is another, correct phrase unless it swaps these
# (推动/推进/促进 国家治理体系…, …现代化大都市 are sibling wordings).
_HEAD_NOUNS = ("思想", "理论", "主义", "精神", "理念", "观念", "观点", "学说", "体系", "路线", "战略", "方略")


def _head_noun_swap(f: str, found: str) -> bool:
    return any(f.endswith(a) for a in _HEAD_NOUNS) and any(
        found.endswith(b) for b in _HEAD_NOUNS if not f.endswith(b)
    )


def _leading_verb_only(f: str, found: str) -> bool:
    """The two differ only in the first two characters, the verb that leads the formulation
    (推进/推动/促进国家治理体系和治理能力现代化): a sibling wording."""
    if not (len(f) >= 8 and len(found) >= 8 and f[2:] == found[2:] and f[:2] != found[:2]):
        return False
    # one of the two characters replaced by a function character is a slip inside the
    # formulation's first word (不的初心, 党的国家监督体系), not another word in front of it
    changed = [(a, b) for a, b in zip(f[:2], found[:2], strict=True) if a != b]
    if len(changed) != 1:
        return True
    a, b = changed[0]
    # ... and so is a character of the same reading or a near shape (不汪初心, 中锅特色): the
    # typo layer's confusion sets, loaded once for the whole check anyway
    return b not in _FUNCTION_CHARS and b not in _confusables().get(a, "")


@cache
def _confusables() -> dict[str, str]:
    from .lexicon import load

    return load().confusables


def _truncated(f: str, found: str) -> bool:
    """found is f cut short at one end (党、全面从严治党 inside 管党治党、全面从严治党): another
    phrase that shares part of the formulation, not a mis-stated copy of it."""
    core = "".join(ch for ch in found if ch not in _IGNORABLE)
    full = "".join(ch for ch in f if ch not in _IGNORABLE)
    return len(core) < len(full) and (full.startswith(core) or full.endswith(core))


def _boundary_word_swap(a: str, b: str) -> bool:
    """True when the only difference is a block of 2+ characters at one end: another word
    (党风廉政建设和反腐败工作 is a different, correct phrase, not a slip in …斗争)."""
    if len(a) < 2 or len(b) < 2:
        return False
    pre = 0
    while pre < min(len(a), len(b)) and a[pre] == b[pre]:
        pre += 1
    suf = 0
    while suf < min(len(a), len(b)) - pre and a[-1 - suf] == b[-1 - suf]:
        suf += 1
    diff_a = len(a) - pre - suf
    diff_b = len(b) - pre - suf
    at_end = suf == 0 or pre == 0
    return at_end and max(diff_a, diff_b) >= 2


def _inner_word_swap(f: str, found: str) -> bool:
    """True when the only difference is a word inside the formulation: 2–4 adjacent characters
    replaced (推进省域治理体系… for 国家, 新征程中国特色社会主义 for 新时代, 民族理论 for 基本原理)
    or a two-character word added (推进国家科技治理体系…, 新时代发展中国特色社会主义), or a 的
    added between two words (马克思主义的中国化时代化, 中国特色的社会主义): sibling wordings.
    A slip changes one character (核心→中心, 忘→的) or drops a word (同志, 新时代)."""
    ops = Levenshtein.editops(f, found)
    if not ops:
        return False
    tags = {op.tag for op in ops}
    if tags == {"insert"} and len(ops) == 1:
        return found[ops[0].dest_pos] == "的" and 0 < ops[0].src_pos < len(f)
    if tags == {"insert"} and len(ops) == 2:
        a, b = ops[0].dest_pos, ops[1].dest_pos
        inner = 0 < ops[0].src_pos == ops[1].src_pos < len(f)
        return inner and b == a + 1 and all("\u4e00" <= ch <= "\u9fff" for ch in found[a : b + 1])
    if tags != {"replace"} or not 2 <= len(ops) <= 4:
        return False
    a, b = ops[0].src_pos, ops[-1].src_pos
    if not (b == a + len(ops) - 1 and a > 0 and b < len(f) - 1):
        return False
    # both sides must be words: 习，用新时代… (a name dropped, a comma in its place) is no sibling
    new, old = found[ops[0].dest_pos : ops[-1].dest_pos + 1], f[a : b + 1]
    if not all("\u4e00" <= ch <= "\u9fff" for ch in new + old):
        return False
    # 思想 and 理论 stand for one another in drafts (悟思想 → 悟理论): a slip, not a sibling
    return not (old in _HEAD_NOUNS and new in _HEAD_NOUNS)


def _align(text: str, f: str, est: int, d: int) -> tuple[int, int, int] | None:
    """Best (dist, start, end) of f around est with 0 < dist <= d, anchored on f's end characters."""
    n = len(f)
    # one C call rules out most windows: the whole window is at most 2d edits worse than the
    # best alignment inside it
    if Levenshtein.distance(f, text[max(0, est - d) : est + n + d], score_cutoff=3 * d + 1) > 3 * d:
        return None
    best = None
    for s in range(max(0, est - d), min(len(text), est + d + 1)):
        head = text[s] == f[0]
        for L in range(max(1, n - d), n + d + 1):
            e = s + L
            if e > len(text):
                continue
            # anchored on at least one end; the other end may carry a one-character slip
            if not head and text[e - 1] != f[-1]:
                continue
            cand = text[s:e]
            dist = Levenshtein.distance(f, cand, score_cutoff=d)
            if dist > d:
                continue
            key = (dist, abs(L - n), abs(s - est))
            if best is None or key < best[0]:
                best = (key, s, e)
    if best is None:
        return None
    return best[0][0], best[1], best[2]


def _siblings_near(idx: _Index, found: str) -> list[str]:
    return [x for x in idx.siblings if len(x) >= len(found) - 2 and found[:2] in x]


def _dropped(text: str) -> Iterator[Raw]:
    idx = _index()
    if idx.dropped is None:
        return
    for end, (v, f) in aho_iter(idx.dropped, text):
        s = end - len(v) + 1
        yield (s, end + 1, "formulation", f, f"规范表述应为“{f}”")


def _head_swapped(text: str) -> Iterator[Raw]:
    idx = _index()
    if idx.head_swaps is None:
        return
    for end, (v, f) in aho_iter(idx.head_swaps, text):
        yield (end - len(v) + 1, end + 1, "formulation", f, f"规范表述应为“{f}”")


def _short_substituted(text: str) -> Iterator[Raw]:
    idx = _index()
    if idx.short_sub is None:
        return
    for m in idx.short_sub.finditer(text):
        found = m.group()
        if found in idx.short_forms or found in idx.siblings:
            continue
        f = next(x for x in idx.short_forms if len(x) == len(found) and Levenshtein.distance(x, found) == 1)
        yield (m.start(), m.end(), "formulation", f, f"规范表述应为“{f}”")


def _tolerant(text: str) -> Iterator[Raw]:
    idx = _index()
    forms = idx.forms
    done: set[tuple[int, int]] = set()
    reported_until = -1
    for end, (piece, refs) in aho_iter(idx.automaton, text):
        pstart = end - len(piece) + 1
        for fid, off in refs:
            est = pstart - off
            if (fid, est) in done:
                continue
            done.add((fid, est))
            f = forms[fid]
            if text.startswith(f, est):
                continue
            d = _allowed_edits(len(f))
            hit = _align(text, f, est, d)
            if hit is None:
                continue
            dist, s, e = hit
            found = text[s:e]
            if dist == 0 or "\n" in found or s < reported_until:
                continue
            if _ignorable_diff(f, found) or found in idx.siblings or _truncated(f, found):
                continue
            if _leading_verb_only(f, found):
                continue
            if _boundary_word_swap(f, found) and not _head_noun_swap(f, found):
                continue
            if _inner_word_swap(f, found):
                continue
            # another formulation or an attested sibling wording covers the span
            if any(sib in text[max(0, s - 4) : e + 4] for sib in _siblings_near(idx, found)):
                continue
            # the formulation may be correct and only abut another word: exact copy nearby
            if f in text[max(0, s - 2) : e + 2]:
                continue
            # another formulation is there, exact (全面建设社会主义现代化国家 read as a slip in
            # …建成…强国)
            if any(len(g) >= e - s - 2 and g in text[max(0, s - 4) : e + 4] for g in forms if g != f):
                continue
            reported_until = e
            yield (s, e, "formulation", f, f"规范表述应为“{f}”")


def _lists(text: str) -> Iterator[Raw]:
    idx = _index()
    # a list is only parsed on lines where one of its members (or its 意识/学史 affix) occurs
    wanted: dict[int, list[int]] = {}
    for end, lis in aho_iter(idx.members, text):
        for li in lis:
            wanted.setdefault(li, []).append(end)
    for li, ends in wanted.items():
        name, items, pat, tokrx = idx.lists[li]
        for ls, le in lines_at(text, ends):
            for m in pat.finditer(text, ls, le):
                yield from _check_list(name, items, idx.groups[li], tokrx, m)


def _check_list(
    name: str, items: list[str], groups: tuple[int, ...] | None, tokrx: re.Pattern[str], m: re.Match[str]
) -> Iterator[Raw]:
    canon = set(items)
    toks: list[tuple[str, int, str]] = []  # (token, start, class)
    for t in tokrx.finditer(m.group()):
        tok, ts = t.group(), m.start() + t.start()
        full = next((x for x in items if tok.endswith(x) or tok == x), None)
        if full:
            # the run may have swallowed a verb in front (增强政治意识): keep the member
            toks.append((full, ts + len(tok) - len(full), "ok"))
            continue
        best = min(items, key=lambda x: Levenshtein.distance(x, tok[-len(x) :]))
        cut = tok[-len(best) :]
        if (
            len(best) >= 3
            and best not in [x[0] for x in toks]
            and Levenshtein.distance(best, cut) <= max(1, len(best) // 3)
        ):
            toks.append((cut, ts + len(tok) - len(cut), "near:" + best))
        else:
            toks.append((tok, ts, "junk"))
    while toks and toks[0][2] == "junk":
        toks.pop(0)
    while toks and toks[-1][2] == "junk":
        toks.pop()
    if len(toks) < 2 or any(c == "junk" for _t, _s, c in toks):
        return
    # the enumeration goes on with an item that is no member (绿色、共享、开放、廉洁的办赛理念):
    # another list that shares some words with this one; with every member present it is this
    # list, extended (创新、协调、绿色、开放、共享、安全), and its order still counts
    partial = len({t for t, _s, _c in toks}) < len(items)
    if partial and (
        _ENUM_GOES_ON.match(m.string, m.end())
        or _ENUM_CAME_BEFORE.search(m.string, max(0, m.start() - 8), m.start())
    ):
        return
    if sum(1 for _t, _s, c in toks if c == "ok") < 2:
        return
    near = [(t, s, c[5:]) for t, s, c in toks if c.startswith("near:")]
    if near:
        for t, s, best in near:
            yield (s, s + len(t), "formulation", best, f"“{name}”的成员应为“{best}”")
        return
    names = [t for t, _s, _c in toks]
    start = toks[0][1]
    end = toks[-1][1] + len(toks[-1][0])
    order = [items.index(t) for t in names]
    # members that are common two-character words (创新、绿色、开放; 平等、文明、和谐) make
    # other lists too: three of them in another order are another list, not this one mis-stated
    least = 4 if all(len(x) <= 2 for x in items) and not _common_suffix(items) else 3
    if len(set(order)) != len(order):
        # two tokens are a word repeated across a comma (对外开放，开放活力…), not a list
        if len(names) >= 3:
            yield (start, end, "formulation", None, f"“{name}”的成员重复")
    elif len(names) < least:
        return
    elif groups and len(names) < len(items) and _run_in_group(order, groups):
        # one group quoted on its own, or the run of it a text names (富强、民主、文明的社会主义国家)
        return
    elif order != sorted(order) and len(names) >= 3:
        sug = "、".join(sorted(names, key=items.index))
        yield (start, end, "formulation", sug, f"“{name}”的成员顺序应为“{'、'.join(items)}”")
    elif len(names) >= 3 and len(names) < len(items) and canon:
        missing = [x for x in items if x not in names]
        yield (start, end, "formulation", "、".join(items), f"“{name}”缺少“{'、'.join(missing)}”")


def _run_in_group(order: list[int], groups: tuple[int, ...]) -> bool:
    """The members are consecutive, in order, and all of one group of the list."""
    return order == list(range(order[0], order[0] + len(order))) and len({groups[i] for i in order}) == 1


_ENUM_GOES_ON = re.compile(r"[”\"]?、[“\"]?[\u4e00-\u9fff]")
_ENUM_CAME_BEFORE = re.compile(r"[\u4e00-\u9fff][”\"]?、[“\"]?$")
_LOCAL_COMMITTEE = re.compile(r"[省市县区州旗盟]委(?:员会)?(?:第)?$")
_CONGRESS = re.compile(r"(十[一二三四五六七八九]?|二十[一二]?)大([一二三四五六七八九])中全会")
_PLENUM_CI = re.compile(r"(十[一二三四五六七八九]?|二十[一二]?)届([一二三四五六七八九])次全会")
_LEADER = re.compile(r"习总书记|习大大|习书记|(?<!习)近平总书记|习总(?!书记)(?=[，。、的在])")
_CORE = re.compile(r"以习近平(?:总书记|主席|同志们|书记)为核心的党中央")


def _near(text: str, literal: str, rx: re.Pattern[str], before: int, after: int) -> Iterator[re.Match[str]]:
    """Matches of rx around each occurrence of literal (str.find runs at C speed)."""
    seen = -1
    p = text.find(literal)
    while p >= 0:
        for m in rx.finditer(text, max(0, p - before), p + len(literal) + after):
            if m.start() > seen:
                seen = m.start()
                yield m
        p = text.find(literal, p + 1)


def _rules(text: str, date: datetime.date | None) -> Iterator[Raw]:
    for m in _near(text, "中全会", _CONGRESS, 5, 0):
        yield (
            m.start(),
            m.end(),
            "formulation",
            f"{m.group(1)}届{m.group(2)}中全会",
            "全会应称“党的××届×中全会”，不称“××大×中全会”",
        )
    for m in _near(text, "次全会", _PLENUM_CI, 5, 0):
        # a provincial or city committee's plenum is correctly 九次全会 (省委十五届九次全会)
        if _LOCAL_COMMITTEE.search(text, max(0, m.start() - 6), m.start()):
            continue
        yield (m.start(), m.end(), "formulation", f"{m.group(1)}届{m.group(2)}中全会", "应称“×中全会”")
    for lit in ("习", "近平"):
        for m in _near(text, lit, _LEADER, 1, 5):
            if lit == "近平" and m.group().startswith("习"):
                continue
            yield (m.start(), m.end(), "formulation", "习近平总书记", "领导人姓名职务应规范完整表述")
    for m in _near(text, "为核心的党中央", _CORE, 10, 0):
        yield (
            m.start(),
            m.end(),
            "formulation",
            "以习近平同志为核心的党中央",
            "规范表述应为“以习近平同志为核心的党中央”",
        )
    idx = _index()
    if idx.swaps is not None:
        for end, (v, ph) in aho_iter(idx.swaps, text):
            yield (end - len(v) + 1, end + 1, "formulation", ph, f"固定表述“{ph}”字序颠倒")
    when = date or datetime.date.today()
    for pat, sug, since, msg in idx.outdated:
        if when < since:
            continue
        for m in pat.finditer(text):
            if ">" in sug:
                a, b = sug.split(">", 1)
                s = m.group().replace(a, b)
            else:
                s = sug or None
            yield (m.start(), m.end(), "formulation", s, msg)


@cache
def fixed_phrases() -> frozenset[str]:
    """Every fixed formulation and list member (a typo inside one is re-labelled formulation)."""
    out = set(_index().forms)
    for _name, items, _p, _t in _index().lists:
        out.update(items)
    return frozenset(out)


def find_formulations(text: str, date: datetime.date | None = None) -> list[Raw]:
    out = list(_tolerant(text))
    out.extend(_dropped(text))
    out.extend(_head_swapped(text))
    out.extend(_short_substituted(text))
    out.extend(_lists(text))
    out.extend(_rules(text, date))
    return out
