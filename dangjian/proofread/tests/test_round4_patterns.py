"""Issue 12, round 4: classes of false alarms seen on news prose in the patterns layer (sentences
written for these tests), each beside the slip the rule must still catch."""

from dangjian.proofread import check


def typos(text):
    return [(f.text, f.suggestion) for f in check(text) if f.kind == "typo"]


def numbering(text):
    return [f.text for f in check(text) if f.kind == "numbering"]


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


def test_the_gazetteer_guards_places_the_corpus_never_named():
    from dangjian.proofread import typo

    spans, dotted = typo.name_spans("安徽界首市的企业家来到首都。")
    assert typo.in_name(3, 5, spans, dotted)  # 首市 inside 界首市
    assert typos("广州黄埔区文冲街道开展活动。") == []


def test_the_variant_map_rows_are_found_by_first_character_and_follower():
    from dangjian.proofread import lexicon

    lex = lexicon.load()
    # rows are the sorted bigrams: each first character's followers are sorted and its rows
    # contiguous, so base + index is a row and the next character's base follows
    firsts = sorted(lex.base)
    for a, b in zip(firsts, firsts[1:], strict=False):
        assert lex.base[b] == lex.base[a] + len(lex.followers[a])
        assert list(lex.followers[a]) == sorted(lex.followers[a])


def test_a_first_number_written_twice_is_one_slip_not_a_new_list():
    from dangjian.proofread.numbering import int_to_cn

    for style in (lambda k: f"{k}.", lambda k: f"（{int_to_cn(k)}）"):
        lines = ["一、工作情况"] + [style(k) + f"第{k}项工作取得进展。" for k in (1, 1, 2, 3, 4)]
        found = [f for f in check("\n".join(lines)) if f.kind == "numbering"]
        assert [(f.line, f.suggestion) for f in found] == [(3, style(2))]
    # a new list under a new parent starts at 1 again
    text = "一、学习\n1.学习讲话。\n2.学习条例。\n二、实践\n1.开展活动。\n2.走访群众。"
    assert [f for f in check(text) if f.kind == "numbering"] == []


def test_joining_the_masses_is_no_invitation_to_a_chat_group():
    assert kinds("约1.1万名群众运动员参加群众赛事活动。") == []
    assert kinds("欢迎加群领取资料。")[0][0] == "foreign-content"


def test_a_chapter_title_written_without_a_space_is_still_a_chapter():
    text = "第三章  储备\n第十条 甲。\n第四章流通\n第十一条 乙。\n第五章  监管\n第十二条 丙。\n"
    assert numbering(text) == []
    assert numbering(text.replace("第五章", "第六章")) == ["第六章"]


def test_an_item_whose_text_opens_with_a_figure_continues_the_list():
    items = [
        "“物流一张网”：说明。",
        "“1+N”体系：说明。",
        "2026年10件民生实事：说明。",
        "5+2就业之家：说明。",
        "“百羽争锋”：说明。",
    ]
    text = "名词解释\n" + "".join(f"{k}.{t}\n" for k, t in zip(range(18, 23), items, strict=True))
    assert numbering(text) == []
    # a real gap is still one finding
    assert numbering(text.replace("22.“百羽", "23.“百羽")) == ["23."]


def test_a_lone_x_the_document_introduces_as_a_name_is_no_blank():
    text = "欧盟对美国社交媒体平台X罚款1.2亿欧元。公报说，X的不合规行为涉及多个方面。"
    assert [f for f in check(text) if f.kind == "placeholder"] == []
    assert [f.text for f in check("会议由X主持，共有X名党员参加。") if f.kind == "placeholder"] == ["X", "X"]


def test_a_quotation_over_two_paragraphs_opens_both_and_closes_the_last():
    text = "增加一条，作为第四条：“行为系直接原因的，应当认定。\n“行为并非直接原因的，可不认定。”\n"
    assert kinds(text) == []
    assert kinds("增加一条，作为第四条：“行为系直接原因的，应当认定。\n下一段没有引号。\n") == [
        ("punctuation", "“")
    ]


def test_a_word_ending_in_a_function_character_then_the_character_is_no_double():
    assert typos("现在在临港新片区，试点银行可以办理。") == []
    assert typos("应当作为为债权人共同利益支出的费用。") == []
    assert typos("我们在在会上发言。") == [("在在", "在")]


def test_a_rare_word_of_the_lexicon_shields_its_characters():
    assert typos("这家承担火箭回收栅格舵研制的企业原本主攻船舶配件。") == []
    assert typos("解决了极寒条件下的工作痛点，效率提升了约40%。") == []
    assert typos("监测室屏幕上清晰显示出稻飞虱的信息。") == []
    # a slip that makes no word is still found
    assert typos("我们要认真贯切落实会议精神。") == [("贯切", "贯彻")]


def test_one_and_a_doubled_noun_is_bag_after_bag_but_a_doubled_common_word_is_a_slip():
    assert typos("一袋袋粮食堆出红色粮仓的美誉。") == []
    assert typos("一车车新鲜砍收的甘蔗被送往制糖厂。") == []
    assert typos("各方意见高度一致致，会议圆满结束。") == [("致致", "致")]


def test_a_measure_word_doubled_after_one_is_one_after_another_and_jiezhidao_is_accepted():
    assert typos("一只只大闸蟹出笼装车。") == []
    assert typos("盐碱地正一寸寸变成新的食物来源地。") == []
    assert typos("两只只猫在院子里。") == [("只只", "只")]
    assert typos("截止到2025年，出口已连续5年增长。") == []
    assert typos("截止目前，已完成全部任务。") == [("截止目前", "截至目前")]
