"""Issue 12: quiet on published prose, the typos people make, style level, document date."""

import datetime
import json

from dangjian.proofread import check, document_date, lm
from dangjian.proofread.cli import main


def kinds(text, kind, **kw):
    return [(f.text, f.suggestion) for f in check(text, **kw) if f.kind == kind]


# --- the language model --------------------------------------------------------------------------
def test_language_model_prefers_the_correct_wording():
    model = lm.load()
    assert model is not None
    for right, wrong in (("贯彻落实", "贯切落实"), ("全面从严治党", "全面从治党"), ("必须坚持", "必需坚持")):
        assert model.logprob(right, "，", "。") > model.logprob(wrong, "，", "。") + 5, right


# --- typos ---------------------------------------------------------------------------------------
def test_non_words_doubled_and_dropped_characters_are_found():
    assert ("再", "在") in kinds("委员会应当协助所再地人民政府做好工作。", "typo")
    assert ("加加", "加") in kinds("各支部要切实加加强组织建设。", "typo")
    found = kinds("经省人民表大会常务委员会批准。", "typo")
    assert any(s and "代表" in s for _t, s in found), found


def test_new_official_vocabulary_names_and_places_are_not_corrected():
    text = (
        "以数字化赋能基层治理，多措并举发展新质生产力。殷勇同志作政府工作报告。"
        "推进黑瞎子岛保护开发。别洛乌索夫当天表示欢迎。"
    )
    assert kinds(text, "typo") == []


def test_particles_before_a_complement_stay_and_de_verb_words_are_not_split():
    assert kinds("这件事处理得不好，影响明显的问题要先解决，避免的损失很大。", "typo") == []
    assert ("的", "地") in kinds("我们要认真的学习党章党规。", "typo")


# --- style level and severity --------------------------------------------------------------------
def test_quote_dun_is_style_only_and_reported_on_request():
    text = "开展“三会一课”、“主题党日”等活动。"
    assert kinds(text, "punctuation") == []
    styled = [f for f in check(text, style=True) if f.kind == "punctuation"]
    assert [(f.text, f.severity) for f in styled] == [("、", "style")]
    assert all(f.severity == "error" for f in check("全年召开会议XX次。"))


def test_connecting_dash_is_not_a_broken_dash():
    assert kinds("开通北京—上海航线，2020—2025年间完成。", "punctuation") == []
    assert ("--", "——") in kinds("观看专题片--效果好。", "punctuation")


def test_cli_lists_style_apart_and_json_has_severity(tmp_path, capsys):
    p = tmp_path / "a.txt"
    p.write_text("开展“三会一课”、“主题党日”等活动。\n", encoding="utf-8")
    assert main(["--json", str(p)]) == 0
    assert json.loads(capsys.readouterr().out)["findings"] == []
    assert main(["--json", "--style", str(p)]) == 0
    (f,) = json.loads(capsys.readouterr().out)["findings"]
    assert f["severity"] == "style"
    assert main(["--style", str(p)]) == 0
    assert "[格式建议]" in capsys.readouterr().out


# --- document date -------------------------------------------------------------------------------
def test_document_date_is_the_signature_date_or_the_latest_date():
    assert document_date("会议于2021年3月5日召开。\n\n中共某局委员会\n2021年6月8日\n") == datetime.date(
        2021, 6, 8
    )
    assert document_date("2019年1月1日起施行，2020年5月8日修订。") == datetime.date(2020, 5, 8)
    assert document_date("一九八二年十二月四日第五届全国人民代表大会通过") == datetime.date(1982, 12, 4)
    assert document_date("没有日期的文字。") is None


def test_outdated_wording_uses_the_documents_own_date():
    old = "做好新冠肺炎疫情防控工作。\n2021年6月8日"
    new = "做好新冠肺炎疫情防控工作。\n2023年6月8日"
    assert kinds(old, "formulation") == []
    assert kinds(new, "formulation") == [("新冠肺炎", "新型冠状病毒感染")]
    # an explicit date wins
    assert kinds(old, "formulation", date=datetime.date(2023, 1, 1)) == [("新冠肺炎", "新型冠状病毒感染")]


# --- formulations --------------------------------------------------------------------------------
def test_head_noun_swaps_dropped_words_and_long_list_members():
    assert kinds("坚持以习近平新时代中国特色社会主义理论为指导。", "formulation")[0][1] == (
        "习近平新时代中国特色社会主义思想"
    )
    assert kinds("坚持以习近平中国特色社会主义思想为指导。", "formulation")
    assert kinds("在以习近平为核心的党中央坚强领导下。", "formulation")[0][1] == "以习近平同志为核心的党中央"
    found = kinds(
        "协调推进全面建设社会主义现代化国家、全面依法治国、全面深化改革、全面从严治党。", "formulation"
    )
    assert found and "全面深化改革、全面依法治国" in found[0][1]


def test_sibling_wordings_and_look_alike_lists_are_accepted():
    text = (
        "推动国家治理体系和治理能力现代化，全面建设社会主义现代化大都市，"
        "坚持党风廉政建设和反腐败工作两手抓，提供诚信、文明、规范的服务。"
    )
    assert kinds(text, "formulation") == []


def test_congress_references_outdated_after_the_next_congress():
    text = "深入学习贯彻党的十九大精神。\n2023年3月1日"
    assert kinds(text, "formulation") == [("党的十九大精神", "党的二十大精神")]
    assert kinds("深入学习贯彻党的十九大精神。\n2019年3月1日", "formulation") == []
    assert kinds("党的十九大以来，我们取得了成绩。\n2023年3月1日", "formulation") == []


# --- numbering -----------------------------------------------------------------------------------
def test_one_repeated_number_is_one_finding():
    text = "一、工作\n" + "".join(f"{n}.第{n}项。\n" for n in (1, 2, 2, 3, 4, 5, 6, 7))
    assert [t for t, _ in kinds(text, "numbering")] == ["2."]


def test_article_runs_and_paragraph_openers_are_checked():
    text = "第一条 甲。\n第二条 乙。\n第二条 丙。\n第三条 丁。\n第四条 戊。\n"
    assert kinds(text, "numbering") == [("第二条", "第三条")]
    text = "一、存在的问题\n第一，学习不够。\n第二，落实不够。\n第四，作风不实。\n"
    assert kinds(text, "numbering") == [("第四，", "第三，")]


# --- foreign content -----------------------------------------------------------------------------
FOREIGN_CASES = {
    "vendor metadata": "发布时间：2024-05-08 10:20\n来源：某某日报\n【字号：大 中 小】",
    "collection marker": "篇一：机关党支部工作总结",
    "paywall notice": "以下内容需付费阅读，开通会员可查看全文。",
    "template-site ad": "本文出自第一公文范文网，仅供参考。",
    "breadcrumb": "当前位置：首页 > 党建工作 > 正文",
    "ad-script residue": "(adsbygoogle = window.adsbygoogle || []).push({});",
    "anti-copy jammer": "全面推进ky8Z3落实各项部署。",
    "invisible jammer": "全面推进\u200b落实各项部署。",
    "gambling spam": "澳门新葡京娱乐城党支部召开专题组织生活会。",
}


def test_every_foreign_content_class_is_found():
    body = "今年以来，局党委认真落实全面从严治党主体责任。\n"
    for name, residue in FOREIGN_CASES.items():
        text = body + residue + "\n" + body
        found = [f for f in check(text) if f.kind == "foreign-content"]
        assert found, name
        assert all(f.start >= len(body) - 1 for f in found), name


def test_meeting_minutes_headers_are_not_page_residue():
    text = "时间：2024年5月8日\n地点：三楼会议室\n主持人：王某\n来源于群众的意见要认真办理。\n"
    assert kinds(text, "foreign-content") == []
