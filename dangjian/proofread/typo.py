"""Typo layer: slips that are much less likely than a confusable correction.

Candidates come from five generators:

* the variant map built in lexicon.py (homophone, near-shape, swapped and, for report vocabulary
  and four-character set expressions, dropped characters);
* non-words: a character whose bigrams with both neighbours never occur in official prose, tried
  against its homophones and near-shape characters;
* real-word errors: a common word with a common homophone (权力/权利, 必需/必须 …);
* doubled content characters (加加强);
* 的/地/得 between two words.

Every candidate is verified in context by the character trigram model of official prose
(lm.py): the corrected window must be far more probable than the written one.  Variant-map
candidates must in addition win the word-segmentation score of jieba's frequencies (so 办公作风,
办公|作风, never becomes 办工作风).  Person and place names are left alone.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

import ahocorasick

from . import lm
from .lexicon import Lexicon, load
from .patterns import aho_iter, automaton

Raw = tuple[int, int, str, str | None, str]
# Required log-probability gain (natural log) of the corrected window over the original: a
# two-character slip needs much more evidence, since loose pairs at word boundaries are common.
MIN_GAIN = 8.0
MIN_GAIN_PAIR = 13.0
_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
_WINDOW = 4
# A neighbouring pair at least this probable (jieba count ≈ 50) counts as a real word.
NEIGHBOUR_LOGP = -14.0
# Each single-character token costs this much extra: a run of loose characters is what a
# misspelt word leaves behind, while correct text segments into words.
SINGLE_PENALTY = 2.0
# Required gains of the language model (natural log of the probability ratio, corrected window
# over written window), per generator; set on the development corpus (bench/proofread_corpus).
LM_GAIN_VARIANT = 8.0
LM_GAIN_NONWORD = 12.0
LM_GAIN_REALWORD = 11.0
# ... or this much when the written word is unseen beside both its neighbours and the other word
# is seen beside both at least REALWORD_BOTH_SIDES times
LM_GAIN_REALWORD_BOTH_SIDES = 7.0
REALWORD_BOTH_SIDES = 3
# a real-word correction must be seen with one neighbour at least this often (trigram counts are
# sparse even in 32 M characters: 同志指出 is seen 3 times, 指出， 7,102) ...
REALWORD_SUPPORT = 5
# ... and at least this many times more often than the written word is seen with the neighbour
# it fits worse (a slip often fits one side: 同志支出， has 支出， 148 times)
REALWORD_RATIO = 20
LM_GAIN_DOUBLED = 7.0
# a doubled character whose pair is itself a common word (美美, 一一, 大大)
LM_GAIN_DOUBLED_WORD = 12.0
# 一 and a noun used as a measure word (一袋, 一车: jieba counts in the tens) against the common
# words that begin with 一 (一致, 一定, 一般: thousands)
RARE_ONE_PAIR_LOGP = -12.0
# a doubled character whose trigram with a neighbour the model has seen this often is meant
DOUBLED_ATTESTED = 3
LM_GAIN_PARTICLE = 5.0
# a particle's alternative wins on the trigram after it alone when seen this many times more
PARTICLE_RIGHT_RATIO = 10
# 地方, 地区 (jieba count ≈ 50,000): nouns too common to take their 地 for a particle
PARTICLE_DI_NOUN_LOGP = -8.0
LM_GAIN_DROPPED = 10.0
# ... or this much when the restored word is a dictionary word of four or more characters and
# the line segments better with it (see _restores_word; set on dev: 2 / 0 began to flag 日本会 →
# 日本国会, 4 / 3 flags nothing more than 5 / 6 on 690k characters)
LM_GAIN_DROPPED_LONG = 3.0
DROPPED_SEGMENT_GAIN = 4.0
# a word restored by a dropped character must be at least this frequent (jieba count ≈ 20)
COMPLETED_WORD_LOGP = -15.0
# any word of the lexicon (jieba count ≥ 4, the lexicon's floor) shields its characters: the
# rare ones are terms and names (稻飞虱, 栅格, 痛点, 吉尔吉斯语, 休达: jieba counts 4–7), and a slip
# seldom makes one; with count ≥ 10 required they were "corrected" (13 false alarms on four
# splits, 0 seeded slips gained back)
COVER_LOGP = -17.0
# a bigram seen fewer times than this (weighted counts of the model) is a suspect
RARE_PAIR = lm.COMMON_PAIR
# the likeliest characters (by bigram counts) tried as a dropped one at a position
MAX_INSERTIONS = 12
# at most this many candidates of one position are scored by the language model
MAX_LM_CANDIDATES = 4


@cache
def _reach(lex: Lexicon) -> dict[str, int]:
    """Two characters → the length of the longest word of the lexicon that begins with them, for
    those that begin a word of three or more: the scans below try no longer words than that (the
    slices and look-ups of words that cannot be there were most of their time).  ~50k keys."""
    reach: dict[str, int] = {}
    for w in lex.logp:
        if len(w) >= 3 and len(w) > reach.get(w[:2], 0):
            reach[w[:2]] = len(w)
    return reach


def _segment_score(s: str, lex: Lexicon) -> float:
    get = lex.logp.get
    reach = _reach(lex).get
    # an unknown single character scores floor - SINGLE_PENALTY, a known one its logp minus it
    single_floor = lex.floor - SINGLE_PENALTY
    n = len(s)
    # every position is reached (a single character always scores), so best[i] is never -1e18
    best = [0.0] + [-1e18] * n
    ml = min(lex.max_len, 8)
    for i in range(n):
        bi = best[i]
        lp = get(s[i])
        v = bi + (single_floor if lp is None else lp - SINGLE_PENALTY)
        if v > best[i + 1]:
            best[i + 1] = v
        if i + 2 > n:
            continue
        two = s[i : i + 2]
        lp = get(two)
        if lp is not None:
            v = bi + lp
            if v > best[i + 2]:
                best[i + 2] = v
        # longer words only as long as a word beginning with these two characters can be
        top = reach(two)
        if top is None:
            continue
        for k in range(3, min(ml, n - i, top) + 1):
            lp = get(s[i : i + k])
            if lp is not None:
                v = bi + lp
                if v > best[i + k]:
                    best[i + k] = v
    return best[n]


def _verify(text: str, rs: int, re_: int, s: int, e: int, fix: str, lex: Lexicon) -> float:
    a = max(rs, s - _WINDOW)
    b = min(re_, e + _WINDOW)
    orig = text[a:b]
    corr = text[a:s] + fix + text[e:b]
    return _segment_score(corr, lex) - _segment_score(orig, lex)


def _variant_hits(text: str, lex: Lexicon, model: lm.Model | None) -> Iterator[Raw]:
    logp = lex.logp
    corrections = lex.corrections
    followers = lex.followers.get
    base = lex.base
    # one pass over all pairs at C-ish speed; the rare anchor hits are examined in Python
    where = [i for i, (a, b) in enumerate(zip(text, text[1:], strict=False)) if b in followers(a, "")]
    if not where:
        return
    two, first, off, size, pos, cis, strings = (
        lex.two,
        lex.first,
        lex.off,
        lex.size,
        lex.pos,
        lex.ci,
        lex.strings,
    )
    hits = []
    for i in where:
        a = text[i]
        r = base[a] + followers(a).index(text[i + 1])
        if two[r] >= 0:
            hits.append((i, -2, two[r]))
        for j in range(first[r], first[r + 1]):
            s = i - off[j]
            if s >= 0:
                p = pos[j]
                k = size[j]
                # text[s : s + k] == strings[p : p + k], with one slice instead of two
                if text.startswith(strings[p : p + k], s):
                    hits.append((s, -k, cis[j]))
    hits.sort(key=lambda h: (h[0], -h[1]))  # by start, the shortest variant first
    last_end = -1
    n = len(text)
    for s, negk, ci in hits:
        k = -negk
        e = s + k
        if s < last_end:
            continue
        if k == 2:
            # both characters already belong to common words with their neighbours
            # (办公|作风 holds 公作): a word boundary, not a slip
            left = text[s - 1 : s + 1] if s else ""
            right = text[s + 1 : s + 3]
            if logp.get(left, -99.0) > NEIGHBOUR_LOGP or logp.get(right, -99.0) > NEIGHBOUR_LOGP:
                continue
        rs = s
        while rs > 0 and s - rs < _WINDOW and _is_cjk(text[rs - 1]):
            rs -= 1
        re_ = e
        while re_ < n and re_ - e < _WINDOW and _is_cjk(text[re_]):
            re_ += 1
        cands = corrections[ci]
        best = None
        # _verify for each correction, with the written window segmented once
        a = max(rs, s - _WINDOW)
        b = min(re_, e + _WINDOW)
        before, after = text[a:s], text[e:b]
        own = _segment_score(text[a:b], lex)
        for w in (cands,) if isinstance(cands, str) else cands:
            gain = _segment_score(before + w + after, lex) - own
            if best is None or gain > best[0]:
                best = (gain, w)
        if best[0] >= (MIN_GAIN_PAIR if k == 2 else MIN_GAIN):
            if model is not None and lm_gain(model, text, s, e, best[1]) < LM_GAIN_VARIANT:
                continue
            if looks_like_name(text, s, e) or _short_names(text, s, e, best[1]):
                continue
            last_end = e
            v = text[s:e]
            yield (s, e, "typo", best[1], f"疑似错别字：“{v}”应为“{best[1]}”")


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _misspellings(text: str, lex: Lexicon) -> Iterator[Raw]:
    auto = _misspelling_automaton(lex)
    for end, (v, w) in auto.iter(text):
        yield (end - len(v) + 1, end + 1, "typo", w, f"常见错别字：“{v}”应为“{w}”")


@cache
def _misspelling_automaton(lex: Lexicon) -> ahocorasick.Automaton:
    return automaton((v, (v, w)) for v, w in lex.misspellings.items())


# 的/地/得 (GB 现代汉语规范: 地 before a verb after an adverbial, 得 after a verb before a complement)
_ADVERBIAL = (
    "认真|积极|深入|扎实|全面|切实|主动|广泛|持续|大力|稳步|有序|有效|高效|严格|不断|充分|"
    "坚决|牢牢|集中|系统|精准|自觉|努力|创造性|创新性|科学|合理|及时|统筹|深刻|稳妥|务实|真正"
)
_VERB = (
    "推进|开展|学习|落实|贯彻|抓好|做好|推动|加强|提升|完成|解决|处理|执行|发挥|整改|领会|把握|"
    "组织|部署|谋划|实施|开展了|参与|履行|维护|研究|查摆|剖析|反思|改进|督促|检查|宣传|引导"
)
_DI_RE = re.compile(rf"(?:{_ADVERBIAL})(的)(?=(?:{_VERB}))")
_DE_RE = re.compile(
    r"(?:做|干|抓|搞|办|落实|完成|推进|开展|执行|学|讲|写|发挥|贯彻|准备|组织)([的地])"
    r"(?=(?:很|非常|十分|比较|更加|不够|不太|还不|不好|不错|扎实|到位|出色|有声有色|井井有条|明显|较好))"
)
_DI_NOUN = re.compile(
    r"(?:取得|获得|形成|作出|做出|提供|开展|营造|积累)(地)(?=[\u4e00-\u9fff]{2}(?:成效|成果|经验|氛围|局面|环境|贡献))"
)


# X得 verbs whose 得 is never 的 (取得, 获得, 值得 …): "取的实效" is a slip
_DE_VERB = re.compile(r"(?:取|获|赢|值|觉|使|显|懂|免)(的)(?=[\u4e00-\u9fff])")
# a doubled function character (各支部要要把…) is a slip unless the pair is a word
_FUNCTION_DOUBLES = "的了是在和与对把被将从要就也都并及其为有"
_DOUBLED = re.compile(rf"([{_FUNCTION_DOUBLES}])\1")


def _particles(text: str, model: lm.Model | None) -> Iterator[Raw]:
    lex = load()
    for m in _DE_VERB.finditer(text):
        s = m.start()
        if text[s : s + 2] in ("使的", "懂的") and text[s + 2 : s + 3] in "人是":
            continue
        # 明显的, 避免的, 争取的, 即使的: the character ends another word, and 的 is right
        if s > 0 and text[s - 1 : s + 1] in lex.logp:
            continue
        if model is not None and lm_gain(model, text, s, s + 2, text[s] + "得") < LM_GAIN_PARTICLE / 2:
            continue
        yield (s, m.end(1), "typo", text[s] + "得", f"应为“{text[s]}得”")
    for m in _DOUBLED.finditer(text):
        s = m.start()
        pair = m.group()
        # 有有? 在在? — only when neither the pair nor a word around it is in the lexicon
        if pair in lex.logp or text[s - 1 : s + 1] in lex.logp or text[s + 1 : s + 3] in lex.logp:
            continue
        yield (s, s + 2, "typo", pair[0], f"“{pair[0]}”字重复")
    for m in _DI_RE.finditer(text):
        yield (m.start(1), m.end(1), "typo", "地", "状语后修饰动词应用“地”")
    for m in _DE_RE.finditer(text):
        yield (m.start(1), m.end(1), "typo", "得", "动词后接补语应用“得”")
    for m in _DI_NOUN.finditer(text):
        yield (m.start(1), m.end(1), "typo", None, "“地”用于修饰动词，此处疑为“的”")


# Long texts are checked a block of lines at a time: the generators keep lists and sets of
# positions, which for a 7-million-character file took hundreds of megabytes at once.  Every
# candidate lies within one line, so cutting at line ends changes nothing.
CHUNK = 200_000


def _short_names(text: str, s: int, e: int, fix: str) -> bool:
    """The changed character is the short name of a country or province beside another one
    (捷中关系, 美黎以三方, 中斐友好): a relation of two places, not a word."""
    if len(fix) != e - s:
        return False
    for i in range(s, e):
        if text[i] != fix[i - s] and text[i] in _PLACE_ABBREVIATIONS:
            if {text[i - 1 : i], text[i + 1 : i + 2]} & (_PLACE_ABBREVIATIONS | {"中"}):
                return True
    return False


def _blocks(text: str) -> Iterator[tuple[int, str]]:
    start, n = 0, len(text)
    while start < n:
        end = n if n - start <= CHUNK else text.rfind("\n", start, start + CHUNK) + 1
        if end <= start:
            end = start + CHUNK  # one line longer than a block: cut it anyway
        yield start, text[start:end]
        start = end


def find_typos(text: str) -> list[Raw]:
    lex = load()
    model = lm.load()
    out: list[Raw] = []
    taken: set[int] = set()
    for base, block in _blocks(text):
        in_name_at = _name_test(block)
        # the exact misspelling list first, then the generators in order of precision; a later
        # candidate overlapping an earlier one is dropped
        gens = [
            _misspellings(block, lex),
            _particles(block, model),
            _variant_hits(block, lex, model),
            _near_term_hits(block),
        ]
        if model is not None:
            gens += [
                _nonwords(block, lex, model),
                _realwords(block, lex, model),
                _doubled(block, lex, model),
                _dropped(block, lex, model),
                _particles_lm(block, model),
            ]
        for gi, gen in enumerate(gens):
            for s, e, *rest in gen:
                s, e = s + base, e + base
                # a "slip" the whole document repeats is its wording
                if gi >= 2 and repeated_in_document(text, s, e):
                    continue
                # a "slip" inside a name is its spelling
                if gi >= 2 and in_name_at(s - base, e - base):
                    continue
                # ... and so is one inside a short quoted name nobody has heard of, or in the
                # title of a work (not of a document: a law's or a notice's title is checked)
                if gi >= 2 and (
                    coined_in_quotes(block, s - base, e - base, rest[1] or "", lex)
                    # (a title plays on an idiom by changed characters, not a doubled one)
                    or len(rest[1] or "") >= e - s
                    and in_work_title(block, s - base, e - base)
                ):
                    continue
                # the written character repeats where a parallel item has it (赋权、赋能、赋责)
                if gi >= 2 and echoed_by_sibling(block, s - base, e - base, rest[1] or ""):
                    continue
                if not any(i in taken for i in range(s, e)):
                    out.append((s, e, *rest))  # type: ignore[arg-type]
                    taken.update(range(s, e))
    return out


# --- language-model checks ---------------------------------------------------------------------
def lm_gain(model: lm.Model, text: str, s: int, e: int, fix: str) -> float:
    """log P(corrected window) − log P(written window); the window is the span with two
    characters of context on each side (within the line)."""
    left = text[max(0, s - 2) : s].rsplit("\n", 1)[-1]
    right = text[e : e + 2].split("\n", 1)[0]
    return model.logprob(fix, left, right) - model.logprob(text[s:e], left, right)


def lm_best(model: lm.Model, text: str, s: int, e: int, fixes: Iterable[str]) -> tuple[str, float]:
    """The fix of the largest lm_gain (the first of equals, as max() picks) and that gain: the
    written window is scored once, not once per fix and again for the winner."""
    left = text[max(0, s - 2) : s].rsplit("\n", 1)[-1]
    right = text[e : e + 2].split("\n", 1)[0]
    logprob = model.logprob
    own = logprob(text[s:e], left, right)
    best = ""
    best_gain = 0.0
    for k, fix in enumerate(fixes):
        gain = logprob(fix, left, right) - own
        if k == 0 or gain > best_gain:
            best, best_gain = fix, gain
    return best, best_gain


# Titles and verbs around a person's name, and the suffixes of place names: a slip is not
# reported inside a name (殷勇同志, 嘎玛泽登主席, 林芝市嘎拉村).
_NAME_BEFORE = re.compile(
    r"(?:书记|主任|省长|市长|县长|区长|州长|镇长|乡长|村长|部长|厅长|局长|处长|科长|主席|总理|委员|代表|同志|"
    r"记者|通讯员|摄影|总经理|董事长|院长|校长|所长|社长|组长|队长|大使|先生|女士|教授|院士|专家|法官|检察官|"
    r"[，、：（(])$"
)
_NAME_AFTER = re.compile(
    r"^(?:同志|书记|副书记|主任|省长|市长|县长|区长|主席|总理|部长|厅长|局长|委员|代表|指出|强调|表示|说|介绍|"
    r"主持|出席|会见|参加|讲话|等|先生|女士|教授|院士|一行)"
)
_WEAK_NAME_CUES = {"指出", "强调", "表示", "说", "介绍", "主持", "出席", "会见", "参加", "讲话", "等", "一行"}
_PLACE_AFTER = re.compile(r"^[省市县区州盟旗镇乡村屯寨街道路巷山河江湖海岛湾港峡口关寺庙桥站]")
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "殷孟诸葛欧阳司马上官樊匡魏聂柴祝阎洪滕岳骆尚谷邢裴翟乔戚喻庞卜凌单甘蔺"
)


# Slots where names stand, for learning names (build/build_names.py): a title or reporting verb
# after a person's name, a title before one, a suffix after a place's name.
_SLOT_AFTER = re.compile(
    r"(?=(?:同志|总书记|副书记|书记|主任|省长|市长|县长|区长|州长|镇长|乡长|副部长|部长|厅长|局长|副主席|主席|"
    r"副总理|总理|委员长|副总统|总统|首相|外长|大使|院士|教授|表示|指出|强调|介绍|会见|会晤|出席|主持|一行))"
)
_SLOT_BEFORE = re.compile(r"(?:总统|总理|首相|外长|部长|大使|主席|书记|记者|秘书长|国务卿|省长|市长|县长)")
_SLOT_PLACE = re.compile(r"(?=(?:[省市县区州盟旗镇乡村]|街道))")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


def name_candidates(text: str) -> Iterator[str]:
    """Strings of 2–4 Chinese characters standing in a name's slot (see _SLOT_*)."""
    for rx in (_SLOT_AFTER, _SLOT_PLACE):
        for m in rx.finditer(text):
            p = m.start()
            for k in (2, 3, 4):
                g = text[max(0, p - k) : p]
                if len(g) == k and all("\u4e00" <= c <= "\u9fff" for c in g):
                    yield g
    for m in _SLOT_BEFORE.finditer(text):
        p = m.end()
        for k in (2, 3, 4):
            g = text[p : p + k]
            if len(g) == k and all("\u4e00" <= c <= "\u9fff" for c in g):
                yield g


@cache
def _names() -> ahocorasick.Automaton | None:
    """The names learnt from the development corpus (data/names.txt) and the gazetteer's place
    names (data/places.txt), as one automaton."""
    from .lexicon import DATA, _read_lines

    files = [f for f in ("names.txt", "places.txt") if (DATA / f).exists()]
    if not files:
        return None
    names = (line.split("\t", 1)[0] for f in files for line in _read_lines(f))
    return automaton((name, len(name)) for name in names)


def name_spans(text: str) -> tuple[list[tuple[int, int]], set[int]]:
    """Where persons' and places' names stand: the learnt names (data/names.txt) as spans, which
    a slip must lie inside to be taken for the name's spelling, and the positions of runs joined
    by a middle dot (吾哈斯·苏来曼, 让-皮埃尔·拉法兰), which a slip need only touch."""
    spans: list[tuple[int, int]] = []
    auto = _names()
    if auto is not None:
        spans = [(end - k + 1, end + 1) for end, k in aho_iter(auto, text)]
    return spans, name_spans_dotted(text)


def name_spans_dotted(text: str) -> set[int]:
    """The positions of runs joined by a middle dot (see name_spans)."""
    dotted: set[int] = set()
    if "·" in text:
        for m in _CJK_RUN.finditer(text):
            if text[m.end() : m.end() + 1] == "·" or text[m.start() - 1 : m.start()] == "·":
                dotted.update(range(m.start(), m.end()))
    return dotted


def in_name(s: int, e: int, spans: list[tuple[int, int]], dotted: set[int]) -> bool:
    return any(i in dotted for i in range(s, e)) or any(a <= s and e <= b for a, b in spans)


def _name_test(text: str) -> Callable[[int, int], bool]:
    """in_name(s, e, *name_spans(text)), searching the names only around the span asked about:
    few candidates survive to be asked, while every name of a text took a tenth of the typo
    layer's time to list.  A name holding text[s:e] is no longer than the longest name, so it
    lies within text[e - longest : s + longest]."""
    auto = _names()
    longest = auto.get_stats()["longest_word"] if auto is not None else 0
    dotted: set[int] | None = None

    def test(s: int, e: int) -> bool:
        nonlocal dotted
        if dotted is None:
            dotted = name_spans_dotted(text)
        if any(i in dotted for i in range(s, e)):
            return True
        if auto is None:
            return False
        lo = max(0, e - longest)
        window = text[lo : s + longest]
        return any(end + 1 - k + lo <= s and e <= end + 1 + lo for end, k in auto.iter(window))

    return test


# a quoted name, brand or slogan (“古阁小书生”, “芯光屏板链智网”) is this short at most
COINED_MAX = 8


def coined_in_quotes(text: str, s: int, e: int, fix: str, lex: Lexicon) -> bool:
    """text[s:e] lies inside a short quotation “…” of Chinese characters alone, and the
    correction does not make the quoted string a word the lexicon knows: programmes, brands and
    slogans are coined (本禹志愿服务队, 四面逢源), while a slip in a known term (“不忘出心”) is
    restored to it."""
    qs = text.rfind("“", max(0, s - COINED_MAX), s + 1)
    if qs < 0:
        return False
    qe = text.find("”", e, qs + COINED_MAX + 2)
    if qe < 0:
        return False
    inner = text[qs + 1 : qe]
    if not 2 <= len(inner) <= COINED_MAX or not all("\u4e00" <= c <= "\u9fff" for c in inner):
        return False
    fixed = text[qs + 1 : s] + fix + text[e:qe]
    # the correction makes a common word with a neighbour inside the quotation (“天韵厢机” →
    # 相机): a slip in a name made of words; a rare one (风源 of “四面逢源”) proves nothing
    fs, fe = s - qs - 1, s - qs - 1 + len(fix)
    logp = lex.logp
    for a in range(max(0, fs - 3), fe):
        for b in range(max(a + 2, fs + 1), min(len(fixed), a + 4) + 1):
            if logp.get(fixed[a:b], -99.0) > NEIGHBOUR_LOGP:
                return False
    return True


# the last characters of a document's title (《…条例》, 《关于…的通知》): a slip there is reported
_DOCUMENT_TITLE_END = re.compile(
    r"(法|法典|条例|规定|规则|办法|细则|意见|通知|通告|公告|决定|决议|纲要|规划|计划|方案|报告|公报|"
    r"章程|准则|标准|指南|目录|清单|批复|函|令|宪法|选集|文选|文集|讲话|论述摘编|摘编|宣言|声明|(（.*）))$"
)


# a film's, a book's or a programme's title is short; an article's (《党的领导和社会主义法治是一致的》)
# is a sentence, and its slips are reported
WORK_TITLE_MAX = 8


def in_work_title(text: str, s: int, e: int) -> bool:
    """text[s:e] lies inside a short 《…》 naming a work (a film, a book, a programme: 《马到功成》
    plays on an idiom on purpose), not a document (《…条例》, 《关于…的通知》), whose slips are reported."""
    ts = text.rfind("《", max(0, s - WORK_TITLE_MAX), s + 1)
    if ts < 0 or "》" in text[ts:s]:
        return False
    te = text.find("》", e, ts + WORK_TITLE_MAX + 2)
    if te < 0:
        return False
    return not _DOCUMENT_TITLE_END.search(text[ts + 1 : te])


_ITEM_SEPARATORS = "、，；"


def echoed_by_sibling(text: str, s: int, e: int, fix: str) -> bool:
    """A character the correction would change stands at the same place in a short item beside
    it in a list (赋权、赋能、赋责: 赋 is the pattern, not a slip for 负)."""
    if len(fix) != e - s:
        return False
    start = max(text.rfind(ch, max(0, s - 8), s) for ch in _ITEM_SEPARATORS) + 1
    if start <= 0 or s - start > 6:
        return False
    changed = [i for i in range(s, e) if text[i] != fix[i - s]]
    # the items before and after this one, each cut at the next separator
    before_end = start - 1
    before_start = max(text.rfind(ch, max(0, before_end - 8), before_end) for ch in _ITEM_SEPARATORS) + 1
    siblings = []
    if text[before_end] == "、" and before_start > 0 and before_end - before_start <= 6:
        siblings.append(text[before_start:before_end])
    after_start = next((i + 1 for i in range(e, min(len(text), e + 8)) if text[i] in _ITEM_SEPARATORS), -1)
    if after_start > 0 and text[after_start - 1] == "、":
        after_end = min(
            (i for i in (text.find(ch, after_start) for ch in _ITEM_SEPARATORS + "。") if i >= 0), default=-1
        )
        if 0 < after_end - after_start <= 6:
            siblings.append(text[after_start:after_end])
    return any(all(i - start < len(sib) and sib[i - start] == text[i] for i in changed) for sib in siblings)


def repeated_in_document(text: str, s: int, e: int) -> bool:
    """The written form with a neighbour on each side occurs again in the document: a term or a
    name the writer means (台址, 中斐建交, 司级), not a slip, which is rarely made twice alike."""
    form = text[max(0, s - 1) : e + 1]
    first = text.find(form)
    return first >= 0 and text.find(form, first + 1) >= 0 or e - s >= 2 and _at_least(text, text[s:e], 3)


def _at_least(text: str, sub: str, k: int) -> bool:
    """``text.count(sub) >= k`` for a non-empty ``sub``, stopping at the k-th occurrence: on a
    long document a common word's full count was a tenth of the check's time."""
    i = text.find(sub)
    while i >= 0:
        k -= 1
        if k <= 0:
            return True
        i = text.find(sub, i + len(sub))
    return False


def in_name_list(text: str, s: int, e: int) -> bool:
    """Inside a list of short names separated by 、 (马琳、陈若琳、黄金宝、方文浩)."""
    ls = max(text.rfind(ch, 0, s) for ch in "、，：\n") + 1
    le = min((i for i in (text.find(ch, e) for ch in "、，。\n") if i >= 0), default=len(text))
    token = text[ls:le]
    if not (2 <= len(token) <= 4):
        return False
    return text[ls - 1 : ls] == "、" or text[le : le + 1] == "、"


def looks_like_name(text: str, s: int, e: int) -> bool:
    """True when text[s:e] sits where a person's or a place's name stands."""
    if in_name_list(text, s, e):
        return True
    after = text[e : e + 4]
    if _PLACE_AFTER.match(after):
        return True
    m = _NAME_AFTER.match(after)
    # a title or 同志 follows names only; 等, 说, 指出, 主持 follow any subject (安全盛产等, 大会
    # 主持), so there the name must begin with a family name or be a transliteration
    if m and (
        m.group() not in _WEAK_NAME_CUES
        or any(text[k] in _SURNAMES for k in range(max(0, e - 4), e - 1))
        or all(c in _TRANSLITERATION for c in text[s:e])
    ):
        return True
    before = text[max(0, s - 6) : s]
    if _NAME_BEFORE.search(before) and (text[s - 1 : s] in "，、：（(" or e - s <= 3):
        return _NAME_BEFORE.search(before).group() not in ("，", "、", "：", "（", "(") or (
            text[s] in _SURNAMES and _NAME_AFTER.match(text[e : e + 4]) is not None
        )
    return False


@dataclass(eq=False)
class _Pairs:
    """Bigrams the model has seen, with their counts, and who may follow / precede whom."""

    # the bigrams official prose has seen at least RARE_PAIR times, as first character → the
    # characters seen after it: b in follow.get(a, "") tests a + b.  A frozenset of the 342k
    # two-character strings took ~42 MB; these 4k strings take ~1 MB and test as fast.
    follow: dict[str, str]
    unigram: dict[str, int]
    bigram: Callable[[str], int]  # a bigram's count (a binary search in the model's arrays)
    trigram: Callable[[str], int]  # a trigram's count, likewise (common words recur: cached)


@cache
def _pairs(model: lm.Model) -> _Pairs:
    cp = model.common_pairs
    seconds: dict[str, list[str]] = {}
    for i in range(0, len(cp), 2):
        seconds.setdefault(cp[i], []).append(cp[i + 1])
    follow = {a: "".join(bs) for a, bs in seconds.items()}
    unigram = {ch: max(model.uni_count[i], 1) for ch, i in model.ids.items()}
    return _Pairs(
        follow,
        unigram,
        lru_cache(maxsize=1 << 16)(model.bigram_count),
        lru_cache(maxsize=1 << 17)(model.trigram_count),
    )


# one-character short names of China's provinces and of countries (中美, 驻沪, 赴琼, 中斐建交) and
# the characters that introduce them
_PLACE_ABBREVIATIONS = set(
    "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川蜀黔贵滇云藏陕秦甘陇青宁新港澳台"
    "美俄英法德日韩朝越老柬泰缅马菲印巴孟尼埃南非澳加墨古斐乌哈吉塔土伊沙叙黎约以荷比瑞挪芬丹葡西意希波捷匈罗保塞阿智秘委"
)
_ABBREV_BEFORE = set("中驻赴访在来离返援对与和同、")


# characters of transliterated foreign names (Xinhua's transliteration tables use few others)
_TRANSLITERATION = set(
    "阿埃艾安奥巴拜班邦贝本比波伯博布查达戴丹德迪蒂丁杜多厄恩法菲费芬弗福盖冈戈格古哈海汉赫亨胡华霍"
    "基吉加贾杰金卡凯坎康考科克库夸奎拉莱兰朗劳勒雷里利连林卢鲁伦罗洛马迈曼梅门蒙米明莫姆穆纳奈南内尼"
    "努诺帕潘佩皮普奇齐乔切琼萨塞桑瑟森沙尚什施舍斯松苏索塔泰坦汤特图托瓦万威韦维温沃乌西希谢辛休雅亚"
    "扬耶伊因英尤约泽扎詹兹佐夫娃诺别尔"
)
# ... a correction that makes no common pair with its left neighbour must make a word this common
# (jieba count ≈ 400) with its right one
NONWORD_START_LOGP = -12.0
_ADMIN_SUFFIX = set("省市县区州盟旗镇乡村")
_UNIT_SUFFIX = _ADMIN_SUFFIX | set("街")
# what follows a unit's character when it begins the unit's organ or office (县委, 市长, 街道, 区政府)
_ORGAN_START = set("委长道")
_ORGANS = {"政府", "人大", "政协", "纪委", "监委", "党委", "法院", "检察", "财政", "级党", "直机"}
_DIGIT_CHARS = set("0123456789０１２３４５６７８９")
_GRAMMAR_CHARS = set("的地得了着过是在和与及或也都就又还而且但并把被将从对向以于为之其这那个们我你他她它不有")
_PLACE_SUFFIX = set("省市县区州盟旗镇乡村屯岛山河江湖海湾港峡岭峰")
_NAME_LEAD = set("的、，和与同及队员长将由向被让请：“\n ")


# the spans (start, end) relative to j of the words of 2–6 characters that contain j, in the
# order _covered tries them (shortest first, then by start)
_COVER_SPANS = tuple((d, d + length) for length in (2, 3, 4, 5, 6) for d in range(1 - length, 1))


def _covered(text: str, j: int, lex: Lexicon) -> bool:
    """A word of 2–4 characters of the lexicon (jieba, the reports' and the corpus's vocabulary)
    contains position j."""
    get = lex.logp.get
    for a, b in _COVER_SPANS:
        if j + a >= 0 and get(text[j + a : j + b], -99.0) > COVER_LOGP:
            return True
    return False


def _nonwords(text: str, lex: Lexicon, model: lm.Model) -> Iterator[Raw]:
    """A character in a rare bigram, outside any known word, with a confusable that official
    prose finds far more likely in its place."""
    pairs = _pairs(model)
    follow = pairs.follow
    known = pairs.bigram
    conf = lex.confusables
    n = len(text)
    # positions i where the pair text[i:i+2] is unknown (C-speed filter; most text is known pairs)
    unknown = {i for i in range(n - 1) if text[i + 1] not in follow.get(text[i], "")}
    if not unknown:
        return
    last = -1
    # a slip makes a rare pair with at least one neighbour: both characters of a rare pair are
    # suspects; the lexicon then shields the characters that belong to a word
    for j in sorted({k for i in unknown for k in (i, i + 1)}):
        if j < 1 or j >= n - 1 or j <= last:
            continue
        ch = text[j]
        if ch in _GRAMMAR_CHARS:
            continue  # 是, 在, 和 …: written on purpose far more often than by a slip
        a, b = text[j - 1], text[j + 1]
        # a number before the slip (1.45以元, 25念间) stands for "0", as in the model's counts:
        # what follows a number is a unit or a measure word, which the pairs with "0" know well
        if a in _DIGIT_CHARS:
            a = "0"
        # _is_cjk, inlined: this runs at every character of a rare pair
        if not (
            "\u4e00" <= ch <= "\u9fff"
            and ("\u4e00" <= a <= "\u9fff" or a == "0")
            and "\u4e00" <= b <= "\u9fff"
        ):
            continue
        if _covered(text, j, lex):
            continue  # part of a word the lexicon knows (拨乱反正, 真挚, 颐养): not a slip
        if sum(1 for c in text[max(0, j - 2) : j + 3] if c in _TRANSLITERATION) >= 3:
            continue  # 别洛乌索夫, 加格达奇: a transliterated name
        if ch in _PLACE_SUFFIX or any(
            text[k] in _SURNAMES and (k == 0 or text[k - 1] in _NAME_LEAD) for k in (j - 1, j - 2) if k >= 0
        ):
            continue  # 黑瞎子岛; 的樊振东: a place's or a person's name
        if a in _ABBREV_BEFORE and ch in _PLACE_ABBREVIATIONS:
            continue  # 中埃合作, 驻津单位: one-character names of countries and provinces
        # the correction must make pairs official prose really uses: with 12 M characters of
        # news in the model, a pair seen once or twice is as unattested as the written one
        after_a = follow.get(a, "")
        # a slip at a word's start (等港位 for 等岗位) leaves a loose pair on its left: the
        # correction may make a common word with its right neighbour instead
        logp = lex.logp
        cands = [
            c
            for c in conf.get(ch, "")
            if b in follow.get(c, "") and (c in after_a or logp.get(c + b, -99.0) > NONWORD_START_LOGP)
        ]
        if not cands or looks_like_name(text, j, j + 1) or looks_like_name(text, j - 1, j + 1):
            continue
        # a slip makes a pair official prose has never written: 97% of injected ones leave one
        # side unseen in 32 M characters, while rare real words (煤基, 淤地, 月背, 形性) were
        # written at least once on both sides
        if known(a + ch) and known(ch + b):
            continue
        # the rare pair recurs in the document: a term or a name the writer means (休达 twice,
        # 西班牙队 three times); a slip is rarely made twice alike
        rare = text[j - 1] + ch if ch not in after_a else ch + b
        if _at_least(text, rare, 2):
            continue
        cands.sort(key=lambda c: -known(a + c) * known(c + b))
        best, gain = lm_best(model, text, j, j + 1, cands[:MAX_LM_CANDIDATES])
        if gain >= LM_GAIN_NONWORD:
            last = j + 1
            yield (j, j + 1, "typo", best, f"疑似错别字：“{ch}”应为“{best}”（{a}{best}{b}）")


def _completes_word(
    text: str, i: int, x: str, lex: Lexicon, phrases: frozenset[str] = frozenset(), at_least: int = 3
) -> bool:
    """Some word of at_least–6 characters of the lexicon, not one of phrases, spans text[i] + x +
    text[i+1], while the written text there is no word (stops at the first: this runs for a
    dozen characters at each suspect pair)."""
    logp = lex.logp
    for left in range(0, 4):
        for right in range(0, 4):
            if not at_least <= 3 + left + right <= 6:
                continue
            s, e = i - left, i + 2 + right
            if s < 0 or e > len(text):
                continue
            w = text[s : i + 1] + x + text[i + 1 : e]
            if logp.get(w, -99.0) > COMPLETED_WORD_LOGP and text[s:e] not in logp and w not in phrases:
                return True
    return False


# (left, right): the characters a word restored by _completes_word may reach to the left of
# text[i] and to the right of text[i+1], for words of 3–6 characters
_COMPLETION_REACH = tuple(
    (left, right) for left in range(0, 4) for right in range(0, 4) if 3 + left + right <= 6
)


def _completion_windows(text: str, i: int, lex: Lexicon) -> list[tuple[str, str]]:
    """The (before, after) around the gap between text[i] and text[i+1] whose written form
    text[s:e] is no word: _completes_word(text, i, x, lex) is then whether some before + x +
    after is a word of the lexicon above COMPLETED_WORD_LOGP.  They depend on i alone, and a
    dozen characters x are tried at each gap."""
    logp = lex.logp
    n = len(text)
    reach = _reach(lex).get
    out = []
    for left, right in _COMPLETION_REACH:
        s, e = i - left, i + 2 + right
        if s < 0 or e > n:
            continue
        # with left >= 1 the restored word (e - s + 1 characters) begins with text[s : s + 2],
        # and no word of the lexicon that begins so is that long (see _reach)
        if left and reach(text[s : s + 2], 0) <= e - s:
            continue
        if text[s:e] in logp:
            continue
        out.append((text[s : i + 1], text[i + 1 : e]))
    return out


def _completed(text: str, i: int, xs: Iterable[str], lex: Lexicon) -> list[str]:
    """The characters of xs for which _completes_word(text, i, x, lex) holds, in order."""
    windows = _completion_windows(text, i, lex)
    if not windows:
        return []
    get = lex.logp.get
    out = []
    for x in xs:
        for before, after in windows:
            if get(before + x + after, -99.0) > COMPLETED_WORD_LOGP:
                out.append(x)
                break
    return out


@cache
def _insertions(lex: Lexicon, model: lm.Model) -> dict[str, tuple[str, ...]]:
    """Pair → _likeliest_insertions for it, filled as pairs are met (at most one entry for each
    key of lex.gaps): they depend on the pair alone, and the same pairs recur everywhere."""
    return {}


def _likeliest_insertions(
    a: str, b: str, gap: str, known: Callable[[str], int], ucount: dict[str, int]
) -> tuple[str, ...]:
    """The characters of gap seen after a and before b, the MAX_INSERTIONS likeliest first."""
    cands = [x for x in gap if known(a + x) and known(x + b)]
    if not cands:
        return ()
    return tuple(heapq.nlargest(MAX_INSERTIONS, cands, key=lambda x: known(a + x) * known(x + b) / ucount[x]))


def _dropped(text: str, lex: Lexicon, model: lm.Model) -> Iterator[Raw]:
    """A character missing between two others (人民代表大会 → 人民表大会): the pair is unseen,
    and some character that is often seen after the first and before the second restores it."""
    pairs = _pairs(model)
    follow = pairs.follow
    known = pairs.bigram
    ucount = pairs.unigram
    logp = lex.logp
    gaps = lex.gaps
    tri = _pairs(model).trigram
    phrases = _report_vocabulary()
    tops = _insertions(lex, model)
    # C-speed filter: the pairs a word of the lexicon has with one character between them
    for i in [i for i in range(len(text) - 1) if text[i : i + 2] in gaps]:
        a, b = text[i], text[i + 1]
        if not ("\u4e00" <= a <= "\u9fff" and "\u4e00" <= b <= "\u9fff"):  # _is_cjk, inlined
            continue
        # the pair official prose has (almost) never seen, or a common pair (人政 of 个人政治)
        # that one of its neighbours has never been seen with: 级人政府 lost the 民 of 人民政府,
        # 人民表大会 the 代 of 代表 (人民表 is common in news: 人民表示)
        if b in follow.get(a, "") and (
            i == 0 or i + 2 >= len(text) or tri(text[i - 1 : i + 2]) and tri(text[i : i + 3])
        ):
            continue
        if (
            _covered(text, i, lex)
            and _covered(text, i + 1, lex)
            and any(text[k : k + m] in logp for m in (3, 4) for k in range(i - m + 2, i + 1) if k >= 0)
        ):
            continue  # 通辽市, 过敏性: the pair sits inside a word
        ab = a + b
        top = tops.get(ab)
        if top is None:
            top = tops[ab] = _likeliest_insertions(a, b, gaps[ab], known, ucount)
        if not top:
            continue
        # the restored character must complete a word of three or more characters (人民代表大会):
        # a dropped character inside a word, not a guess between two words
        cands = _completed(text, i, top, lex)
        if not cands:
            continue
        best, gain = lm_best(model, text, i + 1, i + 1, cands[:MAX_LM_CANDIDATES])
        # a trigram sees only two characters of 人工智能 around 人智能: a restored word of four or
        # more characters is itself evidence the model cannot weigh, so it needs a smaller gain
        if gain < LM_GAIN_DROPPED and not (
            gain >= LM_GAIN_DROPPED_LONG
            # a word of the dictionary of four or more characters (人工智能, 应运而生), not a
            # phrase mined from the corpus (有序开展, 暑期旅游: their parts stand as well without
            # the character)
            and _completes_word(text, i, best, lex, phrases, at_least=4)
            and _restores_word(text, i, best, lex)
        ):
            continue
        # 界首市 is not 首尔市 with a character lost: a written place suffix after the gap makes
        # the written string a place's name, and places are many more than the lexicon knows
        # (东北区 for 东北地区 is still a slip: 地区 is a word, 尔市 is not)
        if b in _ADMIN_SUFFIX and logp.get(best + b, -99.0) <= NEIGHBOUR_LOGP:
            continue
        if not looks_like_name(text, i, i + 2):
            yield (i, i + 2, "typo", a + best + b, f"疑似漏字：“{ab}”应为“{a}{best}{b}”")


def _restores_word(text: str, i: int, x: str, lex: Lexicon) -> bool:
    """Putting x between text[i] and text[i+1] makes the line segment into better words (人智能
    → 人工智能), and the pair is not where two words meet (央企|研发, 实现|达峰: a character
    between them would only make a third word)."""
    logp = lex.logp
    a_ends = any(logp.get(text[k : i + 1], -99.0) > NEIGHBOUR_LOGP for k in range(max(0, i - 3), i))
    b_starts = any(logp.get(text[i + 1 : i + 1 + k], -99.0) > NEIGHBOUR_LOGP for k in range(2, 5))
    if a_ends and b_starts:
        return False
    n = len(text)
    rs, re_ = i, i + 2
    while rs > 0 and i - rs < _WINDOW and _is_cjk(text[rs - 1]):
        rs -= 1
    while re_ < n and re_ - i - 2 < _WINDOW and _is_cjk(text[re_]):
        re_ += 1
    return _verify(text, rs, re_, i, i + 2, text[i] + x + text[i + 1], lex) >= DROPPED_SEGMENT_GAIN


@cache
def _realword_automaton(lex: Lexicon) -> ahocorasick.Automaton | None:
    if not lex.realword:
        return None
    return automaton((w, (w, alts)) for w, alts in lex.realword.items())


def _realwords(text: str, lex: Lexicon, model: lm.Model) -> Iterator[Raw]:
    """A real word that is wrong in its context (权力 for 权利): only a large gain counts."""
    auto = _realword_automaton(lex)
    if auto is None:
        return
    candidates = _realword_candidates(lex, model)
    tri = _pairs(model).trigram
    n = len(text)
    repeated: dict[str, bool] = {}  # _at_least(text, w, 2) by word: common words recur
    for end, (w, alts) in auto.iter(text):
        s = end - 1
        e = end + 1
        # official prose has the word with its neighbours far less often than a homophone with
        # both of them: only then is the language model asked (so a neighbour on each side)
        if s == 0 or e >= n:
            continue
        alts = candidates(text[s - 1 : e + 1], w, alts)
        if not alts:
            continue
        again = repeated.get(w)
        if again is None:
            again = repeated[w] = _at_least(text, w, 2)
        if again:
            continue  # (违犯宪法 … 违犯党纪: a word the writer uses again is the word meant)
        best, gain = lm_best(model, text, s, e, alts)
        # official prose never has the written word beside either neighbour and has the other
        # word beside both (具体行驶党的 / 行使党的): the context itself says which was meant
        need = LM_GAIN_REALWORD
        left, right = text[s - 1], text[e]
        if (
            tri(left + w) == 0
            and tri(w + right) == 0
            and min(tri(left + best), tri(best + right)) >= REALWORD_BOTH_SIDES
        ):
            need = LM_GAIN_REALWORD_BOTH_SIDES
        if gain >= need and not looks_like_name(text, s, e):
            yield (s, e, "typo", best, f"疑似用词错误：“{w}”应为“{best}”")


@cache
def _realword_candidates(
    lex: Lexicon, model: lm.Model
) -> Callable[[str, str, tuple[str, ...]], tuple[str, ...]]:
    """The homophones of a real word worth asking the language model about, given the word with
    one neighbour on each side (its four characters decide it): () when none.  Memoised by those
    four characters, since phrases recur within and across documents (85k hits on 830k
    characters of real text, 50k distinct)."""
    vocabulary = _report_vocabulary()
    tri = _pairs(model).trigram
    lp = lex.logp
    memo: dict[str, tuple[str, ...]] = {}

    def candidates(window: str, w: str, alts: tuple[str, ...]) -> tuple[str, ...]:
        kept = memo.get(window)
        if kept is not None:
            return kept
        kept = ()
        left, right = window[0], window[3]
        if w in vocabulary:
            pass  # 四史, 党建: the reports' own vocabulary is meant
        elif lp.get(window[:2], -99.0) > NEIGHBOUR_LOGP and lp.get(window[2:], -99.0) > NEIGHBOUR_LOGP:
            pass  # 通过|份额 holds 过份: two words meet there
        else:
            # a homophone's support first: most hits have none worth REALWORD_SUPPORT, and then
            # the written word's own counts cannot matter (REALWORD_RATIO * own only raises it)
            support = [max(tri(left + v), tri(v + right)) for v in alts]
            if max(support) >= REALWORD_SUPPORT:
                own = tri(left + w)
                if own:
                    own = min(own, tri(w + right))
                need = max(REALWORD_SUPPORT, REALWORD_RATIO * own)
                kept = tuple(v for v, m in zip(alts, support, strict=True) if m >= need)
        if len(memo) >= _MEMO_SIZE:
            memo.clear()  # bounded: emptied when full rather than grown with the input
        memo[window] = kept
        return kept

    return candidates


# entries of the typo layer's memo tables (a few short strings each) before they are emptied
_MEMO_SIZE = 1 << 16


# what follows 得 when it introduces a complement (GB 现代汉语: 动词 + 得 + 补语)
_COMPLEMENT_START = set("不很更较最太挺十非好到上下起出进来去快慢多少了紧实住有越真清明")
_COMPLEMENT_WORDS = {"非常", "十分", "比较", "相当", "特别", "有声", "井井", "扎实", "到位", "出色", "及时"}
_PARTICLE = re.compile(r"(?<=[\u4e00-\u9fff])[的地得](?=[\u4e00-\u9fff])")


def _particles_lm(text: str, model: lm.Model) -> Iterator[Raw]:
    """的/地/得 where official prose clearly uses another one between the same characters."""
    tri = _pairs(model).trigram
    logp = load().logp
    for m in _PARTICLE.finditer(text):
        i = m.start()
        a, x, b = text[i - 1], text[i], text[i + 1]
        own = tri(a + x + b)
        c = text[i + 2 : i + 3]
        # the alternative must win the trigram around the particle and not lose the one after it
        # (处理得不好: 得不好 settles it, whatever 理的不 says)
        # 的 ↔ 地, and 得 → 的 unless a complement follows; 的 → 得 is left to the rules in
        # _particles (the statutes the model counts seldom use 得 at all)
        if x == "得" and (b in _COMPLEMENT_START or text[i + 1 : i + 3] in _COMPLEMENT_WORDS):
            continue  # 处理得不好, 做得很实: 得 before a complement is right
        # 地方法人, 自然保护地: 地 of a word, no particle.  Only the commonest nouns that begin
        # with 地 and words of three or more characters count: 天地, 产地, 大地 end in 地 after
        # 今天, 增产, 最大 as often as a slip makes them
        if x == "地" and (
            logp.get(text[i : i + 2], -99.0) > PARTICLE_DI_NOUN_LOGP
            or any(text[k : i + 1] in logp for k in (i - 3, i - 2) if k >= 0)
        ):
            continue
        # 的 → 得 only where the trigram is a set pair of official prose (不的超过 → 不得超过)
        others = {"的": "地得", "地": "的", "得": "的"}[x]
        alts = [
            y
            for y in others
            if (
                tri(a + y + b) > (2 * own + 2 if y != "得" else 50 * own + 50)
                and (not c or tri(y + b + c) >= tri(x + b + c))
                # the trigram before is unseen for every particle (管用得长效, 想地事): the one
                # after decides; so for 地 as a word's first character (健全的方粮食 → 地方粮食)
                or y != "得"
                and c
                and tri(y + b + c) > PARTICLE_RIGHT_RATIO * tri(x + b + c) + PARTICLE_RIGHT_RATIO
                and tri(a + y + b) >= own
            )
        ]
        if not alts:
            continue
        best, gain = lm_best(model, text, i, i + 1, alts)
        if gain >= LM_GAIN_PARTICLE:
            yield (i, i + 1, "typo", best, f"“{x}”应为“{best}”")


@cache
def _report_vocabulary() -> frozenset[str]:
    from .lexicon import _mined_terms, _read_lines

    words = {w for line in _read_lines("domain_words.txt") for w in line.split()}
    return frozenset(words | set(_mined_terms()))


# measure words: reduplicated they mean "every" (座座军营, 一册册, 条条, 件件)
_COUNT_BEFORE = set("二三四五六七八九十百千万两几多0123456789")
_MEASURE_WORDS = set(
    "个座条件本册张位名家项次户株棵片层道声天年月日人处间台辆艘架杯碗盘块段句篇首幅只寸袋车批串滴粒颗朵排群束枝根"
)
_DOUBLE_CJK = re.compile(r"([\u4e00-\u9fff])\1")


def _doubled(text: str, lex: Lexicon, model: lm.Model) -> Iterator[Raw]:
    """A content character typed twice (加加强), unless the pair is a word (常常, 人人)."""
    for m in _DOUBLE_CJK.finditer(text):
        s = m.start()
        pair = m.group()
        # a doubled function character is _particles' (it knows 现在|在, 作为|为: a word ending
        # in the character, then the character as a word of its own)
        if pair[0] in _FUNCTION_DOUBLES:
            continue
        # 高高, 常常 are words; 原原本本 is a pattern; 全运会|会旗 is a boundary: at least one copy
        # must be cut off from its neighbour.  A doubled word (美美, 一一) is still a slip when
        # one copy belongs to a common word beside it and the model finds one copy far likelier
        # (对美美国, 进一一步): such pairs need the larger gain below
        pair_is_word = lex.logp.get(pair, -99.0) > NEIGHBOUR_LOGP
        if text[s + 2 : s + 4][:1] == text[s + 3 : s + 4] != "":
            continue
        # 浩浩汤汤 (AABB), 赤裸裸 (ABB), 一册册 / 座座军营 (every one), 魏钱钱 (a given name)
        if s >= 2 and text[s - 2] == text[s - 1] or text[s - 1 : s + 2] in lex.logp:
            continue
        # 一袋袋粮食, 一车车甘蔗: 一 and a doubled noun used as a measure ("bag after bag"); 一 and
        # the noun are then a rare pair (一袋, 一车), while 一致致 is the common 一致 with 致 typed twice
        if s >= 1 and text[s - 1] == "一" and lex.logp.get(text[s - 1 : s + 1], -99.0) < RARE_ONE_PAIR_LOGP:
            continue
        if (
            # (两次次, 1600多家家: after a number other than 一 a measure word is not reduplicated)
            pair[0] in _MEASURE_WORDS
            and not (s >= 1 and text[s - 1] in _COUNT_BEFORE)
            or s >= 1
            and text[s - 1] in _SURNAMES
            and not _ends_word(text, s - 1, lex)
        ):
            continue  # (公积金支支付: 金 ends 公积金, it is no family name)
        if _parallel_double(text, max(0, s - 6), s, lex) or _parallel_double(text, s + 2, s + 8, lex):
            continue  # 红红脸、出出汗, 说说笑笑: reduplication in parallel, a figure of speech
        # the reduplication is attested beside this neighbour in official prose (文脉代代赓续,
        # 校企、校校合作): a figure of speech, not a key struck twice
        tri = _pairs(model).trigram
        before = tri(text[s - 1 : s + 2]) if s >= 1 else 0
        after = tri(text[s : s + 3]) if len(text) > s + 2 else 0
        if min(before, after) >= DOUBLED_ATTESTED:
            continue
        ends_word = _ends_word(text, s, lex)
        starts_word = _starts_word(text, s + 1, lex)
        if ends_word and starts_word:
            continue  # 全运会|会旗, 有机物|物料, 日本|本州: two words sharing a character
        # 碱泉街|街道, 某某县|县委: a place's name ends in its unit, and the unit's organ or office
        # follows; places are many more than the lexicon knows, their units are few
        if pair[0] in _UNIT_SUFFIX and (
            text[s + 2 : s + 3] in _ORGAN_START or text[s + 2 : s + 4] in _ORGANS
        ):
            continue
        if pair_is_word and not (ends_word or starts_word):
            continue
        need = LM_GAIN_DOUBLED_WORD if pair_is_word else LM_GAIN_DOUBLED
        if lm_gain(model, text, s, s + 2, pair[0]) >= need:
            yield (s, s + 2, "typo", pair[0], f"“{pair[0]}”字重复")


def _ends_word(text: str, j: int, lex: Lexicon) -> bool:
    """A word of 2–4 characters of the lexicon ends at text[j] (even a rare one: 经委|委员,
    渔港|港池 share a character as often as common words do)."""
    logp = lex.logp
    return any(text[k : j + 1] in logp for k in range(max(0, j - 3), j))


def _starts_word(text: str, j: int, lex: Lexicon) -> bool:
    logp = lex.logp
    return any(text[j : j + k] in logp for k in range(2, 5))


def _parallel_double(text: str, a: int, b: int, lex: Lexicon) -> bool:
    """A reduplication within text[a:b] (说说笑笑), not two words sharing a character (陕西|西安)."""
    for m in _DOUBLE_CJK.finditer(text, a, b):
        k = m.start()
        if not (_ends_word(text, k, lex) and _starts_word(text, k + 1, lex)):
            return True
    return False


# --- near misses of long fixed terms ------------------------------------------------------------
# 中国人民共和国, 中华人民大和国, 齐齐哈市: a trigram sees nothing wrong in them (中国人, 人民共,
# 和国 are all common), but each is one edit from a long term official prose writes thousands of
# times, and in 32 M characters of it never occurs itself.  data/near_terms.tsv (built from
# dev-train by build/build_near_terms.py) lists the terms and the near misses the corpus does
# have (美国防部 beside 美国国防部, 湖南省人民政府 beside 湖北省人民政府), which are meant.
_NUMERALS = set("一二三四五六七八九十百千万亿零两〇第0123456789")


def near_term_automaton(terms: Iterable[str]) -> ahocorasick.Automaton:
    """The terms keyed by their first three and their last three characters: one edit inside
    leaves one of them whole (the edit of a five-character term's middle is not sought)."""
    keys: dict[str, list[tuple[str, bool]]] = {}
    for t in terms:
        keys.setdefault(t[:3], []).append((t, True))
        keys.setdefault(t[-3:], []).append((t, False))
    return automaton((key, tuple(ts)) for key, ts in keys.items())


@cache
def _near_terms() -> tuple[ahocorasick.Automaton, frozenset[str]] | None:
    from .lexicon import DATA, _read_lines

    if not (DATA / "near_terms.tsv").exists():
        return None
    terms: list[str] = []
    seen = set()
    for line in _read_lines("near_terms.tsv"):
        kind, s = line.split("\t", 2)[:2]
        if kind == "term":
            terms.append(s)
        else:
            seen.add(s)
    return near_term_automaton(terms), frozenset(seen)


def one_edit_inside(w: str, t: str) -> bool:
    """w is t with one inner character replaced (by a Chinese character, not a numeral) or
    dropped; the first and last characters stay (省人民政府 → 市人民政府 is another body)."""
    if len(w) == len(t):
        diff = [k for k in range(len(t)) if w[k] != t[k]]
        return (
            len(diff) == 1
            and 0 < diff[0] < len(t) - 1
            and _is_cjk(w[diff[0]])
            and w[diff[0]] not in _NUMERALS
            and t[diff[0]] not in _NUMERALS
        )
    if len(w) == len(t) - 1:
        k = next((k for k in range(len(w)) if w[k] != t[k]), len(w))
        return 0 < k < len(t) - 1 and w[k:] == t[k + 1 :] and t[k] not in _NUMERALS
    return False


def near_misses(
    text: str, auto: ahocorasick.Automaton, seen: frozenset[str] = frozenset()
) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, written, term) for every span of text one inner edit from a term of the
    automaton (see _near_terms) and not among the near misses seen."""
    logp = load().logp
    n = len(text)
    for end, entries in auto.iter(text):
        for t, is_prefix in entries:
            ln = len(t)
            for k in (ln, ln - 1):
                s, e = (end - 2, end - 2 + k) if is_prefix else (end + 1 - k, end + 1)
                if s < 0 or e > n:
                    continue
                # one_edit_inside keeps both ends: a cheap test before the slice and the look-ups
                if text[s] != t[0] or text[e - 1] != t[-1]:
                    continue
                w = text[s:e]
                if w != t and w not in seen and w not in logp and one_edit_inside(w, t):
                    yield s, e, w, t


def _near_term_hits(text: str) -> Iterator[Raw]:
    near = _near_terms()
    if near is None:
        return
    auto, seen = near
    done = set()
    for s, e, w, t in near_misses(text, auto, seen):
        if (s, e) in done or t in text[max(0, s - 2) : e + 2]:
            continue  # (a term written right beside its near miss is a different reading)
        done.add((s, e))
        yield (s, e, "typo", t, f"疑似错别字：“{w}”应为“{t}”")
