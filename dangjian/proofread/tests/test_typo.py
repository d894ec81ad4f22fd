"""Typo layer: confusion sets verified by word frequencies, and 的/地/得 rules."""

from dangjian.proofread import check


def typos(text):
    return [(f.text, f.suggestion) for f in check(text) if f.kind == "typo"]


def test_misspelt_common_words_are_found():
    assert any(t.startswith("贯切") and s.startswith("贯彻") for t, s in typos("认真贯切落实上级决策。"))
    assert ("布署", "部署") in typos("抓好各项工作布署。")
    assert ("意识型态", "意识形态") in typos("把意识型态工作纳入议事日程。")
    assert any("先锋" in s for t, s in typos("充分发挥党员先峰模范作用。") if "先峰" in t)


def test_particles():
    assert ("的", "地") in typos("认真的学习党章党规。")
    assert ("的", "得") in typos("这项工作做的很好。")
    assert ("取的", "取得") in typos("确保整改取的实效。")
    assert ("要要", "要") in typos("各支部要要把学习成果转化为实际行动。")


def test_word_boundaries_and_correct_text_are_clean():
    text = (
        "坚持办公作风建设，扎实推进党风廉政建设，认真地学习，工作做得很好，确保整改取得实效，"
        "营造风清气正的政治生态，正风肃纪，一体推进不敢腐、不能腐、不想腐。"
    )
    assert typos(text) == []
