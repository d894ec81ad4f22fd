"""Issue 12, round 3: names learnt from the corpus, and the classes of false alarms and misses
that the news-trained model brought (sentences written for these tests)."""

from dangjian.proofread import check, typo


def typos(text):
    return [(f.text, f.suggestion) for f in check(text) if f.kind == "typo"]


def test_learnt_names_are_spans_a_slip_must_lie_inside():
    spans, dotted = typo.name_spans("普京表示欢迎。")
    assert (0, 2) in spans  # 普京 stands before titles and 表示 throughout the news corpus
    assert typo.in_name(0, 2, spans, dotted)
    # touching a name is not enough: a slip beside one is still a slip
    assert not typo.in_name(1, 3, spans, dotted)


def test_names_joined_by_a_middle_dot_are_left_alone():
    spans, dotted = typo.name_spans("英雄吾买尔·艾力来到村里。")
    assert {2, 3, 4, 6, 7} <= dotted
    assert typo.in_name(1, 3, spans, dotted)


def test_name_slots_yield_the_strings_before_titles_and_place_suffixes():
    found = set(typo.name_candidates("张小明同志出席会议。他来到青山县。"))
    assert {"小明", "张小明", "青山"} <= found


def test_two_short_place_names_side_by_side_are_a_relation():
    # the changed character is a country's short name beside 中: not a word to correct
    assert typo._short_names("推动捷中关系发展", 2, 6, "土中关系")
    assert not typo._short_names("推动经济发展", 2, 4, "经济")


def test_a_particle_slip_is_decided_by_the_trigram_after_it():
    # the trigram before the particle is unseen for all three; 的长效 settles it
    assert ("得", "的") in typos("要建立务实管用得长效机制。")


def test_a_real_word_the_document_repeats_is_meant():
    text = "一切违犯宪法和法律的行为，必须予以追究。对违犯党纪的党员给予批评教育。"
    assert typos(text) == []


def test_a_real_word_slip_that_fits_one_neighbour_is_found():
    # 防治发生 fits neither side as well as 防止发生; the document has 防治 once only
    assert ("防治", "防止") in typos("各地要防治发生新的安全事故。")
