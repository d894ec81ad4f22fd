"""The memory and speed helpers must answer exactly as the whole-text operations they replace."""

from __future__ import annotations

import ahocorasick

from dangjian.proofread import lm, typo
from dangjian.proofread.patterns import AHO_BLOCK, aho_iter


def test_aho_iter_matches_whole_text_search() -> None:
    auto = ahocorasick.Automaton()
    for w in ("党建", "建工", "工作", "作风建设"):
        auto.add_word(w, w)
    auto.make_automaton()
    line = "加强党建工作，推进作风建设。"
    # several blocks, a line longer than a block, and a text without a final newline
    text = "\n".join([line] * (3 * AHO_BLOCK // len(line))) + "\n" + line * (AHO_BLOCK // 5) + "\n党建"
    assert list(aho_iter(auto, text)) == list(auto.iter(text))


def test_at_least_agrees_with_count() -> None:
    text = "党建党建党党建建 党建"
    for sub in ("党建", "党", "建建", "无"):
        for k in (1, 2, 3, 4):
            assert typo._at_least(text, sub, k) == (text.count(sub) >= k)


def test_follow_holds_exactly_the_common_pairs() -> None:
    model = lm.load()
    if model is None:
        return
    cp = model.common_pairs
    follow = typo._pairs(model).follow
    assert sum(map(len, follow.values())) == len({cp[i : i + 2] for i in range(0, len(cp), 2)})
    for i in range(0, len(cp), 2 * 997):
        assert cp[i + 1] in follow[cp[i]]
