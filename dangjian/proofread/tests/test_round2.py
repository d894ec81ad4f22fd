"""Issue 12, round 2: the flat lexicon, and the slips round 1 missed (rare real words, a dropped
character behind a common pair, 不的 / 的方, blank item numbers)."""

from dangjian.proofread import check, lexicon


def kinds(text, kind):
    return [(f.text, f.suggestion) for f in check(text) if f.kind == kind]


def test_flat_variant_map_finds_two_and_longer_variants():
    lex = lexicon.load()
    # every row's entries lie inside the arrays, and a longer variant reads back as a string
    assert len(lex.first) == len(lex.two) + 1
    assert lex.first[-1] == len(lex.ci) == len(lex.off) == len(lex.pos)
    r = next(r for r in range(len(lex.two)) if lex.first[r + 1] > lex.first[r])
    j = lex.first[r]
    v = lex.strings[lex.pos[j] : lex.pos[j] + lex.size[j]]
    # row r is the bigram a + followers[a][r - base[a]]
    a = next(a for a, b0 in lex.base.items() if b0 <= r < b0 + len(lex.followers[a]))
    key = a + lex.followers[a][r - lex.base[a]]
    assert v[lex.off[j] : lex.off[j] + 2] == key


def test_a_real_word_slip_onto_a_rarer_word_is_found():
    assert ("条理", "条例") in kinds("违反本条理规定的，由有关部门责令改正。", "typo")
    assert ("违犯", "违反") in kinds("第七十一条 违犯本条例规定，擅自设置电台的，责令改正。", "typo")
    # the written word is right where official prose has it beside the same neighbours
    assert kinds("本条例自公布之日起施行，条理清晰。", "typo") == []
    assert kinds("一切违犯宪法和法律的行为，必须予以追究。对违犯党纪的党员给予批评教育。", "typo") == []


def test_a_dropped_character_behind_a_common_pair_is_found():
    found = kinds("不得要求地方各级人政府设立与其业务对口的机构。", "typo")
    assert ("人政", "人民政") in found, found
    assert kinds("不得要求地方各级人民政府设立与其业务对口的机构。", "typo") == []


def test_de_for_de_in_set_pairs_and_for_di_that_begins_a_word():
    assert ("的", "得") in kinds("连续任职不的超过两届。", "typo")
    assert ("的", "地") in kinds("最高人民法院监督的方各级人民法院的审判工作。", "typo")
    assert kinds("最高人民法院监督地方各级人民法院的审判工作，连续任职不得超过两届。", "typo") == []


def test_a_blank_item_number_at_the_start_of_a_line_is_a_placeholder():
    assert kinds("名词解释\nX.“数商兴农”行动：通过数字化手段。", "placeholder") == [("X.", None)]
    assert kinds("名词解释\n1.“数商兴农”行动：通过数字化手段。", "placeholder") == []


def test_long_texts_checked_in_blocks_give_the_same_findings(monkeypatch):
    from dangjian.proofread import typo

    lines = [
        "各支部要切实加加强组织建设，认真开展主题教育。",
        "违反本条理规定的，由有关部门责令改正。",
        "经省人民表大会常务委员会批准后施行。",
        "委员会应当协助所再地人民政府做好工作。",
        "连续任职不的超过两届，期满后另行选举。",
    ]
    text = "\n".join(lines) + "\n"
    whole = [(f.start, f.end, f.suggestion) for f in check(text) if f.kind == "typo"]
    monkeypatch.setattr(typo, "CHUNK", 30)  # about one line per block
    blocks = [(f.start, f.end, f.suggestion) for f in check(text) if f.kind == "typo"]
    assert len(whole) >= 4 and blocks == whole
