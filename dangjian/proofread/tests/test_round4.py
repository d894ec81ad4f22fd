"""Issue 12, round 4: typo recall beyond what a character trigram sees (sentences written for
these tests)."""

from dangjian.proofread import check


def typos(text):
    return [(f.text, f.suggestion) for f in check(text) if f.kind == "typo"]


def test_a_character_dropped_from_a_long_dictionary_word_needs_less_trigram_gain():
    # 人智能: the trigram model gains only ~5 from 工, but 人工智能 is a dictionary word and the
    # line segments far better with it
    assert ("人智", "人工智") in typos("今年人智能产业发展迅速。")
    assert ("应而", "应运而") in typos("一批新职业应而生，拓展了就业空间。")


def test_a_pair_where_two_words_meet_is_not_a_dropped_character():
    # 央企|研发 and 实现|达峰 are two words each: 央企业研发, 实现碳达峰 are other wordings
    assert typos("央企研发经费投入同比增长。") == []
    assert typos("稳步推进石油消费实现达峰。") == []


def test_a_phrase_mined_from_the_corpus_does_not_lower_the_bar():
    # 有序开展 is a mined phrase, not a word: 有序展业 stands as written
    assert typos("五家公司有序展业，运行平稳。") == []


def test_a_doubled_character_that_makes_a_word_is_a_slip_when_a_copy_belongs_to_a_neighbour():
    # 美美 and 一一 are words, but 美国 / 一步 hold the second copy and the model finds one copy
    # far likelier
    assert ("美美", "美") in typos("为减少对美美国的依赖，部分企业调整了布局。")
    assert ("一一", "一") in typos("算力底座进一一步夯实。")
    assert typos("我们要大大提高效率。") == []


def test_a_character_ending_a_word_is_no_family_name_before_a_doubled_one():
    # 金 ends 公积金: 支支 is not a given name after a family name
    assert ("支支", "支") in typos("职工可提取公积金支支付房租。")


def test_two_words_sharing_a_character_are_not_a_doubled_one():
    assert typos("应当及时组织疏浚渔港港池，防止淤积。") == []
