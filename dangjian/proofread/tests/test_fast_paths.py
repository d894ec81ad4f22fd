"""The typo layer's shortcuts against the plain computations they replace (a speed change must
not change a finding): segmentation scores, word cover, dropped-character completions, the name
test, the language-model choice and the trigram look-ups, over the clean corpus."""

import math
import random
from bisect import bisect_left
from pathlib import Path

import pytest

from dangjian.proofread import lm, typo
from dangjian.proofread.lexicon import load

CLEAN = Path(__file__).with_name("corpus") / "clean"


@pytest.fixture(scope="module")
def texts():
    return [p.read_text("utf-8") for p in sorted(CLEAN.glob("*.txt"))]


def _segment_score_plain(s, lex):
    """typo._segment_score as first written: every word length at every position."""
    n = len(s)
    best = [0.0] + [-1e18] * n
    ml = min(lex.max_len, 8)
    for i in range(n):
        bi = best[i]
        if bi <= -1e17:
            continue
        for k in range(1, min(ml, n - i) + 1):
            lp = lex.logp.get(s[i : i + k])
            if lp is None:
                if k == 1:
                    lp = lex.floor - typo.SINGLE_PENALTY
                else:
                    continue
            elif k == 1:
                lp -= typo.SINGLE_PENALTY
            if bi + lp > best[i + k]:
                best[i + k] = bi + lp
    return best[n]


def _covered_plain(text, j, lex):
    for length in (2, 3, 4, 5, 6):
        for start in range(max(0, j - length + 1), j + 1):
            if lex.logp.get(text[start : start + length], -99.0) > typo.COVER_LOGP:
                return True
    return False


def test_segment_scores_and_cover_match_the_plain_scans(texts):
    lex = load()
    rng = random.Random(7)
    for text in texts:
        for j in rng.sample(range(len(text)), min(len(text), 200)) + [len(text) - 1]:
            assert typo._covered(text, j, lex) == _covered_plain(text, j, lex)
            for length in (1, 2, 5, 9, 12):
                w = text[j : j + length]
                assert typo._segment_score(w, lex) == _segment_score_plain(w, lex)


def test_completions_match_completes_word(texts):
    lex = load()
    for text in texts:
        for i in range(len(text) - 1):
            xs = lex.gaps.get(text[i : i + 2])
            if xs:
                want = [x for x in xs if typo._completes_word(text, i, x, lex)]
                assert typo._completed(text, i, xs, lex) == want


def test_name_test_matches_name_spans(texts):
    for text in texts + ["安徽界首市的企业家来到首都。", "英雄吾买尔·艾力来到村里。"]:
        spans, dotted = typo.name_spans(text)
        test = typo._name_test(text)
        cases = {(s, e) for a, b in spans for s in range(a, b) for e in range(s + 1, b + 2)}
        cases |= {(s, s + k) for s in range(0, len(text), 3) for k in (1, 2, 3)}
        for s, e in sorted(cases):
            assert test(s, e) == typo.in_name(s, e, spans, dotted), (text[s:e], s, e)


def test_lm_best_is_the_first_largest_gain(texts):
    model = lm.load()
    assert model is not None, "the language model's data (data/ngram.tsv.xz) ships with the project"
    text = texts[0]
    for s in range(2, min(len(text), 400), 7):
        fixes = ["的", text[s], "国", "是"]
        gains = [typo.lm_gain(model, text, s, s + 1, f) for f in fixes]
        best, gain = typo.lm_best(model, text, s, s + 1, fixes)
        assert (best, gain) == (fixes[gains.index(max(gains))], max(gains))


def test_trigram_counts_and_probabilities_match_a_plain_search(texts):
    model = lm.load()
    assert model is not None, "the language model's data (data/ngram.tsv.xz) ships with the project"
    v, keys = model.v, model.tri_keys
    text = "".join(texts)
    for i in range(0, len(text) - 3, 5):
        s = text[i : i + 3]
        ids = [model.ids.get(ch, 0) for ch in s]
        key = (ids[0] * v + ids[1]) * v + ids[2]
        j = bisect_left(keys, key)
        plain = model.tri_count[j] if all(ids) and j < len(keys) and keys[j] == key else 0
        assert model.trigram_count(s) == plain
        p = model.p(*ids)
        assert p == model.p(*ids) and 0 < p <= 1 and not math.isnan(p)
