"""Issue 12, round 4: classes of false alarms seen on news prose in the patterns layer (sentences
written for these tests), each beside the slip the rule must still catch."""

from dangjian.proofread import check


def kinds(text):
    return [(f.kind, f.text) for f in check(text) if f.kind in ("punctuation", "foreign-content")]


def test_deng_as_the_first_morpheme_of_a_word_is_not_the_list_closing_deng():
    assert kinds("研究超导、磁体、等离子体应用等领域。") == []
    assert kinds("会议研究了工资、等级评定和考核。") == []
    assert kinds("张三、李四、等同志参加会议。") == [("punctuation", "、")]


def test_a_code_of_capitals_then_digits_is_not_an_anti_copy_jammer():
    assert kinds("由国产大飞机C919执飞的CA723航班从北京起飞。") == []
    assert kinds("执行GB18030标准。") == []
    assert kinds("全面推进ky8Z3落实各项部署。")[0][0] == "foreign-content"
    assert kinds("全面推进Ab3kQ落实各项部署。")[0][0] == "foreign-content"


def test_free_parking_in_news_is_not_an_advertisement_but_a_free_download_offer_is():
    assert kinds("把闲置的停车场变成限时免费停车场。") == []
    assert kinds("限时免费领取全套范文资料。")[0][0] == "foreign-content"


def test_the_title_block_above_the_first_finished_paragraph_takes_no_end_mark():
    headline = (
        "某某同志病重期间和逝世后，有关领导同志前往医院看望或以各种形式表示沉痛哀悼并向其亲属表示慰问\n"
    )
    assert kinds(headline + "正文第一句。") == []
    body = "全局党员干部要进一步转变作风，增强服务意识，提高工作效率，以崭新的精神面貌投入到各项工作中去\n"
    # below a finished paragraph the same line is body text that lost its full stop
    assert kinds("会议听取了汇报。\n" + body + "下一段。") == [("punctuation", "去")]
    # and so is a paragraph that stands alone
    assert kinds(body) == [("punctuation", "去")]
