"""Typo layer: implausible words with a much more plausible confusable neighbour.

Candidates come from the variant map built in lexicon.py (homophone, near-shape, swapped and,
for report vocabulary, dropped characters).  Each candidate is verified in context: the best
word segmentation of a short window is scored with jieba's word frequencies, once as written and
once corrected, and only a large gain is reported — so 办公作风 (办公|作风) never becomes 办工作风.
The 的/地/得 rules are patterns on the words around the particle.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

import ahocorasick

from .lexicon import Lexicon, load

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


def _segment_score(s: str, lex: Lexicon) -> float:
    logp = lex.logp
    floor = lex.floor
    n = len(s)
    best = [0.0] + [-1e18] * n
    ml = min(lex.max_len, 8)
    for i in range(n):
        bi = best[i]
        if bi <= -1e17:
            continue
        for k in range(1, min(ml, n - i) + 1):
            w = s[i : i + k]
            lp = logp.get(w)
            if lp is None:
                if k == 1:
                    lp = floor - SINGLE_PENALTY
                else:
                    continue
            elif k == 1:
                lp -= SINGLE_PENALTY
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


def _variant_hits(text: str, lex: Lexicon) -> Iterator[Raw]:
    logp = lex.logp
    corrections = lex.corrections
    anchors = lex.anchors
    # one pass over all pairs at C-ish speed; the rare anchor hits are examined in Python
    where = [i for i in range(len(text) - 1) if text[i : i + 2] in anchors]
    if not where:
        return
    hits = []
    for i in where:
        val = anchors[text[i : i + 2]]
        if isinstance(val, int):
            hits.append((i, -2, val))
            continue
        if isinstance(val, list):
            hits.append((i, -2, val[0]))
            val = val[1]
        for v, off, ci in val:
            s = i - off
            if s >= 0 and text.startswith(v, s):
                hits.append((s, -len(v), ci))
    hits.sort()
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
        for w in (cands,) if isinstance(cands, str) else cands:
            gain = _verify(text, rs, re_, s, e, w, lex)
            if best is None or gain > best[0]:
                best = (gain, w)
        if best[0] >= (MIN_GAIN_PAIR if k == 2 else MIN_GAIN):
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
    auto = ahocorasick.Automaton()
    for v, w in lex.misspellings.items():
        auto.add_word(v, (v, w))
    auto.make_automaton()
    return auto


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
_DOUBLED = re.compile(r"([的了是在和与对把被将从要就也都并及其为有])\1")


def _particles(text: str) -> Iterator[Raw]:
    for m in _DE_VERB.finditer(text):
        s = m.start()
        if text[s : s + 2] in ("使的", "懂的") and text[s + 2 : s + 3] in "人是":
            continue
        yield (s, m.end(1), "typo", text[s] + "得", f"应为“{text[s]}得”")
    lex = load()
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


def find_typos(text: str) -> list[Raw]:
    lex = load()
    out = list(_variant_hits(text, lex))
    out.extend(_misspellings(text, lex))
    out.extend(_particles(text))
    return out
