"""Issue 12, round 5: confusions by the readings words really give their characters (sentences
written for these tests)."""

from dangjian.proofread import check
from dangjian.proofread.lexicon import load


def typos(text):
    return [(f.text, f.suggestion) for f in check(text) if f.kind == "typo"]


def test_a_real_word_is_confused_only_with_a_word_that_reads_the_same():
    # 县级/省级 share no reading (省 is xian only in a heteronym table); 风向/方向 differ in a vowel
    lex = load()
    assert "省级" not in lex.realword.get("县级", ())
    assert "方向" not in lex.realword.get("风向", ())
    # what an input method offers for the same syllables stays a confusion
    assert "权利" in lex.realword["权力"]
    assert "截至" in lex.realword["截止"]
    assert typos("公路基本覆盖县级及以上行政区和重点乡镇。") == []
    assert typos("绿色物流成为行业发展新风向。") == []


def test_a_real_word_slip_of_the_same_reading_is_still_found():
    assert ("必需", "必须") in typos("各支部必需按时召开组织生活会。")
    assert ("截止目前", "截至目前") in typos("对截止目前尚未整改的问题建立台账。")


def test_a_character_is_confused_by_the_readings_words_give_it():
    # 居 is ju in every word; its rare ji reading made 继 a suspect for 居
    lex = load()
    assert "居" not in lex.confusables.get("继", "")
    assert "居" in lex.confusables.get("局", "") or "局" in lex.confusables.get("居", "")
