"""Pattern layer: placeholders, foreign content, punctuation, dates."""

from dangjian.proofread import check


def kinds(text, kind):
    return [(f.text, f.suggestion) for f in check(text) if f.kind == kind]


def test_placeholders_are_found():
    text = "20XX年X月X日，xx局召开会议，参会x.xx万人次，某某同志发言，共计××元，□名，【请填写单位名称】。"
    found = [t for t, _ in kinds(text, "placeholder")]
    for piece in ("20XX", "X", "xx", "x.xx", "某某", "××", "□", "【请填写单位名称】"):
        assert piece in found, piece


def test_placeholder_look_alikes_are_not_flagged():
    text = "张某某违纪案警示我们要守住底线。新购X光机1台，Windows XP系统已停用，【典型案例】见附件。"
    assert kinds(text, "placeholder") == []


def test_markdown_bold_is_not_a_placeholder():
    assert kinds("**一、主要工作**\n全年完成任务。", "placeholder") == []


def test_foreign_content_lines_are_found():
    for text in (
        "本文档由第一范文网整理，下载后可编辑修改。",
        "联系人：王同志，手机13912345678，欢迎来电。",
        "更多精品范文请关注微信公众号获取。",
        "详见www.example-fanwen.com。",
    ):
        assert kinds(text, "foreign-content"), text


def test_ordinary_report_text_is_not_foreign():
    text = "机关工会组织会员开展健步走活动，关注职工身心健康，点击率不是我们的目标。"
    assert kinds(text, "foreign-content") == []


def test_half_width_punctuation_in_chinese_is_flagged_with_fix():
    found = kinds("我们坚持学习,认真落实;会议时间8:30。", "punctuation")
    assert (",", "，") in found and (";", "；") in found
    assert all(t != ":" for t, _ in found)


def test_other_punctuation_rules():
    text = "开展“三会一课”、“主题党日”等活动，学习、 交流、等内容，观看<<榜样>>专题片--效果好。。"
    found = [t for t, _ in kinds(text, "punctuation")]
    assert "、" in found  # between quotes, before 等, or before a space
    assert "<<" in found and ">>" in found and "--" in found


def test_paragraph_without_closing_mark():
    text = "全局党员干部要进一步转变作风，增强服务意识，提高工作效率，以崭新的精神面貌投入到各项工作中去"
    assert kinds(text, "punctuation") == [("去", None)]


def test_correct_punctuation_is_clean():
    text = "开展“三会一课”“主题党日”等活动，观看《榜样8》专题片——效果良好。时间为8:30，比例1:1000。"
    assert kinds(text, "punctuation") == []


def test_dates():
    assert kinds("2024年05月08日召开会议。", "date") == [("2024年05月08日", "2024年5月8日")]
    assert kinds("2023年2月30日召开会议。", "date") == [("30", None)]
    assert kinds("2024年5月8日召开会议。", "date") == []
