"""Formulation layer: tolerant matching, fixed lists and rules."""

import datetime

from dangjian.proofread import check


def forms(text, date=None):
    return [(f.text, f.suggestion) for f in check(text, date=date) if f.kind == "formulation"]


def test_replaced_missing_and_extra_characters():
    assert forms("坚持以习近平新时代中国特色社会主意思想为指导。")[0][1] == "习近平新时代中国特色社会主义思想"
    assert forms("坚持以习近平同志为核心党中央的坚强领导。")[0][1] == "以习近平同志为核心的党中央"
    assert forms("推动全面从从严治党向纵深发展。")[0][1] == "全面从严治党"


def test_placeholder_inside_a_formulation():
    assert forms("以习近平新时代中国特色XX主义思想为指导。")


def test_correct_formulations_and_legitimate_variants_are_clean():
    text = (
        "坚持以习近平新时代中国特色社会主义思想为指导，在以习近平同志为核心的党中央坚强领导下，"
        "坚持党风廉政建设和反腐败工作两手抓，全面建设社会主义现代化国家，深刻领悟“两个确立”的决定性意义。"
    )
    assert forms(text) == []


def test_fixed_lists_order_members_and_missing():
    assert (
        forms("增强政治意识、核心意识、大局意识、看齐意识。")[0][1]
        == "政治意识、大局意识、核心意识、看齐意识"
    )
    assert (
        forms("坚定道路自信、理论自信、制度自信，勇于担当。")[0][1]
        == "道路自信、理论自信、制度自信、文化自信"
    )
    assert any("学史力行" in s for _t, s in forms("学史明理、学史增信、学史崇德、学史立行。"))
    assert forms("增强政治意识、大局意识、核心意识、看齐意识。") == []


def test_congress_leader_and_reversed_phrases():
    assert forms("学习党的十九大五中全会精神。") == [("十九大五中全会", "十九届五中全会")]
    assert forms("习总书记指出。") == [("习总书记", "习近平总书记")]
    assert forms("领导干部要以下率上。") == [("以下率上", "以上率下")]
    assert forms("学习党的十九届五中全会精神，领导干部要以上率下。") == []


def test_outdated_formulations_depend_on_the_document_date():
    text = "做好新冠肺炎疫情防控工作。"
    assert forms(text, datetime.date(2023, 6, 1)) == [("新冠肺炎", "新型冠状病毒感染")]
    assert forms(text, datetime.date(2021, 6, 1)) == []
    assert forms("推进“一带一路”战略。")[0][1] == "一带一路”倡议"


def test_head_noun_swapped_in_a_short_formulation():
    # two edits: more than a 7-character formulation's tolerance, found by its stem
    assert forms("深入贯彻习近平强军理论，坚持政治建军。") == [("习近平强军理论", "习近平强军思想")]
    assert forms("以习近平外交理念为指引。") == [("习近平外交理念", "习近平外交思想")]
    # the attested sibling wording stays clean
    assert forms("坚持以人民为中心的发展理念。") == []
    assert forms("深入贯彻习近平强军思想。") == []


def test_function_character_in_the_leading_word_is_a_slip_not_a_sibling():
    assert forms("坚持和发展中的特色社会主义。")[0][1] == "中国特色社会主义"
    assert forms("他们是不的初心、牢记使命的时代先锋。")[0][1] == "不忘初心、牢记使命"
    assert forms("发挥人大监督在党的国家监督体系中的作用。")[0][1] == "党和国家监督体系"
    # a character of the same reading in the leading word, too
    assert forms("他们是不汪初心、牢记使命的时代先锋。")[0][1] == "不忘初心、牢记使命"
    # another leading verb is a sibling wording (推动/推进), and so is 第一 for 第二
    assert forms("推动国家治理体系和治理能力现代化。") == []
    assert forms("实现第一个百年奋斗目标。") == []


def test_inner_character_replaced_in_a_four_or_five_character_formulation():
    assert forms("实行民主集的制原则。") == [("民主集的制", "民主集中制")]
    assert forms("党政同责、一岗的责。") == [("一岗的责", "一岗双责")]
    assert forms("实行民主集中制原则，落实一岗双责。") == []


def test_another_two_character_word_in_a_formulation_is_a_sibling_wording():
    assert forms("在推进省域治理体系和治理能力现代化上实现新提升。") == []
    assert forms("建设好新征程中国特色社会主义先行示范区。") == []
    # a single character changed, or 思想 for 理论, is still a slip
    assert forms("在以习近平同志为中心的党中央坚强领导下。")[0][1] == "以习近平同志为核心的党中央"
    assert forms("学党史、悟理论、办实事、开新局。")[0][1] == "学党史、悟思想、办实事、开新局"


def test_an_enumeration_that_goes_on_past_the_members_is_another_list():
    assert forms("本届全运会坚持“绿色、共享、开放、廉洁”的办赛理念。") == []
    assert forms("遵循合法、自愿、无偿、平等、诚信、友善的原则。") == []
    # every member present: the list itself, extended, and its order still counts
    assert (
        forms("从协调、创新、绿色、开放、共享、安全6个维度设置指标。")[0][1] == "创新、协调、绿色、开放、共享"
    )
    assert forms("坚持创新、绿色、协调、开放、共享的发展理念。")[0][1] == "创新、协调、绿色、开放、共享"


def test_common_words_that_make_other_lists_are_not_read_as_a_fixed_list():
    # a word repeated across a comma, three common words in another order
    assert forms("推进高水平对外开放，开放的大门只会越开越大。") == []
    assert forms("维护平等、文明、和谐的婚姻家庭关系。") == []
    assert forms("因地制宜走绿色、创新、开放的发展路径。") == []
    # one group of the core values quoted on its own, or the run the constitution names
    assert forms("公民应当爱国、敬业、诚信、友善，遵纪守法。") == []
    assert forms("把我国建设成为富强、民主、文明的社会主义国家。") == []
    # a member dropped across the groups, a repeated member in a longer run: still slips
    assert forms("富强、民主、文明、和谐、自由、平等、法治、爱国、敬业、诚信、友善。")[0][1].startswith(
        "富强"
    )
    assert forms("增强政治意识、大局意识、大局意识、看齐意识。")


def test_parallel_halves_of_a_set_phrase_may_swap():
    assert forms("推动学习教育入心入脑、走实走深。") == []
    assert forms("领导干部要以下率上。") == [("以下率上", "以上率下")]


def test_a_local_committee_plenum_is_called_ci_quanhui():
    assert forms("省委十五届九次全会对我省未来五年发展作出系统设计。") == []
    assert forms("学习贯彻党的十九届九次全会精神。") == [("十九届九次全会", "十九届九中全会")]


def test_a_word_added_or_a_longer_word_swapped_inside_is_a_sibling_wording():
    assert forms("推进国家科技治理体系和治理能力现代化。") == []
    assert forms("深刻回答了新时代发展中国特色社会主义民主政治的重大问题。") == []
    assert forms("总结党对马克思主义的中国化时代化。") == []
    assert forms("把马克思主义民族理论同中国具体实际相结合、同中华优秀传统文化相结合。") == []
    # a dropped word is still a slip
    assert forms("坚持以习近平中国特色社会主义思想为指导。")


def test_another_formulation_exactly_there_is_not_a_slip_in_this_one():
    assert forms("为全面建设社会主义现代化国家贡献青春力量。") == []


def test_swapped_verbs_of_two_verb_object_halves_read_the_same():
    assert forms("奋发进取、创先争优、建功立业。") == []
    assert forms("锐意进取，争先创优。") == []


def test_members_joined_by_yiji_are_one_list():
    text = "为经济建设、政治建设、文化建设、社会建设以及生态文明建设服务。"
    assert forms(text) == []
    assert forms("为经济建设、文化建设、政治建设、社会建设以及生态文明建设服务。")
