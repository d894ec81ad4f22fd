"""Editing a draft's wording: line breaks, proofreading fixes per block, figures kept linked."""

from __future__ import annotations

from dangjian.proofread import check
from dangjian.reports.document import Block, Document, Run
from dangjian.reports.editing import apply_edits, fix_blocks


def sample() -> Document:
    document = Document("第一党支部2026年党建工作总结")
    document.paragraph(
        "全年召开支部党员大会", Run("12次", "figure", "activities.count.general_meeting"), "。"
    )
    document.heading(1, "主要工作", "一、")
    document.paragraph("甲段第一行\n甲段第二行")  # an old version's block with a line break
    document.paragraph("认真学习贯彻党的十九大五中全会精神。")
    document.paragraph("丙段。")
    return document


def test_a_line_break_typed_in_a_paragraph_starts_a_new_one_and_figures_follow_their_line() -> None:
    document = sample()
    texts = [block.text for block in document.blocks]
    texts[0] = "全年召开支部党员大会12次。\n会上传达学习了上级精神。"
    edited = apply_edits(document, document.title, texts)
    assert [b.text for b in edited.blocks[:2]] == ["全年召开支部党员大会12次。", "会上传达学习了上级精神。"]
    assert edited.blocks[0].runs[1] == Run("12次", "figure", "activities.count.general_meeting")
    assert all(r.kind == "text" for r in edited.blocks[1].runs)
    assert not any("\n" in b.text for b in edited.blocks)


def test_a_heading_keeps_one_line_and_its_number() -> None:
    document = sample()
    texts = [block.text for block in document.blocks]
    texts[1] = "主要\n工作 "
    edited = apply_edits(document, document.title, texts)
    assert edited.blocks[1].full_text == "一、主要工作" and edited.blocks[1].type == "heading"


def test_proofreading_fixes_stay_in_their_block_after_a_line_break() -> None:
    """Issue 14 point 8: a fix after a block holding a line break must not shift later blocks."""
    document = sample()
    text = document.plain_text()
    findings = [f for f in check(text) if f.suggestion]
    assert [f.text for f in findings] == ["十九大五中全会"]
    title, texts = fix_blocks(document, [(f.start, f.end, f.text, f.suggestion) for f in findings])
    assert title == document.title
    assert texts == [
        "全年召开支部党员大会12次。",
        "主要工作",
        "甲段第一行\n甲段第二行",
        "认真学习贯彻党的十九届五中全会精神。",
        "丙段。",
    ]


def test_a_fix_whose_text_changed_meanwhile_is_skipped() -> None:
    document = sample()
    start = document.plain_text().index("十九大")
    _, texts = fix_blocks(document, [(start, start + 3, "二十大", "二十届")])
    assert texts[3] == "认真学习贯彻党的十九大五中全会精神。"


def test_proofread_view_saves_fixes_into_the_right_blocks(ledger, bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    from django.urls import reverse

    from dangjian.core.period import Period
    from dangjian.reports.actions import do_create_draft, do_save_edit
    from dangjian.reports.models import Genre

    draft = do_create_draft(
        genre=Genre.objects.get(code="work_summary"),
        organization=bureau.organ_committee,
        period=Period.parse("2025H1"),
        acting_user=personas.agency_officer,
    )
    base = sample()
    base.blocks = [Block("paragraph", [Run("甲段第一行\n甲段第二行")]), *base.blocks[3:]]
    version = do_save_edit(
        draft, draft.latest_version(), base, note="旧稿", acting_user=personas.agency_officer
    )
    client = login(personas.agency_officer)
    url = reverse("reports:draft-proofread", args=[draft.pk]) + f"?v={version.number}"
    findings = check(base.plain_text(), style=True)
    index = next(i for i, f in enumerate(findings) if f.text == "十九大五中全会")
    assert client.post(url, {"accept": [str(index)]}).status_code == 302
    saved = Document.from_json(draft.latest_version().document)
    # the old block's line break now makes two paragraphs; nothing moved between blocks
    assert [b.text for b in saved.blocks] == [
        "甲段第一行",
        "甲段第二行",
        "认真学习贯彻党的十九届五中全会精神。",
        "丙段。",
    ]
