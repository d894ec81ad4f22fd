"""The draft's document editor: blocks on the paper, figure chips, prompts, findings in place,
and no lost update when two people edit one draft."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from dangjian.reports.document import Document, Run
from dangjian.reports.models import Genre


@pytest.fixture
def draft(ledger, bureau, personas):  # type: ignore[no-untyped-def]
    from dangjian.core.period import Period
    from dangjian.reports.actions import do_create_draft, do_save_edit

    draft = do_create_draft(
        genre=Genre.objects.get(code="work_summary"),
        organization=bureau.organ_committee,
        period=Period.parse("2025H1"),
        acting_user=personas.agency_officer,
    )
    # a slip for the proofreader in the opening paragraph
    version = draft.latest_version()
    document = Document.from_json(version.document)
    document.blocks[0].runs.insert(0, Run("认真学习贯彻党的十九大五中全会精神。"))
    do_save_edit(draft, version, document, note="加一句", acting_user=personas.agency_officer)
    return draft


def form_data(document: Document, latest: int, **changes: str) -> dict[str, str]:
    data = {"title": document.title, "latest": str(latest), "note": ""}
    for i, block in enumerate(document.blocks):
        data[f"block-{i}"] = block.text
    data.update(changes)
    return data


def test_editor_shows_the_paper_with_chips_prompts_and_findings(draft, personas, login) -> None:  # type: ignore[no-untyped-def]
    version = draft.latest_version()
    document = Document.from_json(version.document)
    page = login(personas.agency_officer).get(reverse("reports:edit", args=[draft.pk])).content.decode()
    # one editable block per heading/paragraph, in reading order, each with its hidden field
    names = re.findall(r'contenteditable="true"[^>]*data-name="(block-\d+)"', page)
    assert names == [f"block-{i}" for i in range(len(document.blocks))]
    assert '<textarea hidden name="block-0"' in page
    # every figure is a chip that cannot be typed into and links to its records
    figures = [(r.figure, r.text) for b in document.blocks for r in b.runs if r.kind == "figure"]
    chips = re.findall(
        r'<a class="fig-chip" contenteditable="false" href="([^"]+)"[^>]*data-figure="([^"]+)"[^>]*>([^<]+)</a>',
        page,
    )
    assert [(key, text) for _url, key, text in chips] == figures
    key = figures[0][0]
    assert chips[0][0] == reverse("reports:figure", args=[draft.pk, key]) + f"?v={version.number}"
    # prompts are marked; the proofreader's finding is underlined with its suggestion
    paper = page[page.index('<article class="paper editor"') : page.index("</article>")]
    assert paper.count('<mark class="prompt"') == len(document.prompts())
    assert re.search(
        r'<span class="pf pf-formulation"[^>]*data-suggestion="十九届五中全会"[^>]*>十九大五中全会</span>',
        page,
    )
    # CSP: scripts only from static files, no inline handler
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert not re.search(r"\son[a-z]+=", page)
    assert 'src="/static/reports/editor.js"' in page


def test_saving_keeps_figures_and_splits_a_typed_line_break(draft, personas, login) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.agency_officer)
    version = draft.latest_version()
    document = Document.from_json(version.document)
    index = next(i for i, b in enumerate(document.blocks) if any(r.kind == "figure" for r in b.runs))
    text = document.blocks[index].text
    data = form_data(document, version.number, **{f"block-{index}": f"经研究：\n{text}"})
    response = client.post(reverse("reports:edit", args=[draft.pk]), data)
    assert response.status_code == 302
    saved = Document.from_json(draft.latest_version().document)
    assert saved.blocks[index].text == "经研究："
    assert saved.blocks[index + 1].text == text
    assert saved.blocks[index + 1].runs == document.blocks[index].runs  # the figures still link


def test_a_save_over_someone_elses_newer_version_is_held_back(draft, personas, login) -> None:  # type: ignore[no-untyped-def]
    from dangjian.reports.actions import do_save_edit

    client = login(personas.agency_officer)
    opened = draft.latest_version()  # the page is opened on this version
    document = Document.from_json(opened.document)
    # meanwhile the administrator saves a newer version
    theirs = do_save_edit(draft, opened, document, note="管理员修改", acting_user=personas.admin)
    mine = form_data(document, opened.number, **{"block-0": "我的开头。"})
    response = client.post(reverse("reports:edit", args=[draft.pk]) + f"?v={opened.number}", mine)
    page = response.content.decode()
    assert response.status_code == 200 and draft.versions.count() == theirs.number  # nothing saved
    assert f"保存了第{theirs.number}版（管理员修改）" in page
    assert f"?a={opened.number}&amp;b={theirs.number}" in page  # compare before deciding
    assert "我的开头。" in page  # the user's text is kept
    assert f'name="latest" value="{theirs.number}"' in page
    # having seen it, saving again goes through
    mine["latest"] = str(theirs.number)
    again = client.post(reverse("reports:edit", args=[draft.pk]) + f"?v={opened.number}", mine)
    assert again.status_code == 302
    assert Document.from_json(draft.latest_version().document).blocks[0].text == "我的开头。"


def test_a_post_without_the_marker_cannot_overwrite_a_newer_version(draft, personas, login) -> None:  # type: ignore[no-untyped-def]
    from dangjian.reports.actions import do_save_edit

    older = draft.latest_version()
    document = Document.from_json(older.document)
    newer = do_save_edit(draft, older, document, note="他人修改", acting_user=personas.admin)
    data = form_data(document, 0, **{"block-0": "旧标签页里的文字。"})
    del data["latest"]
    client = login(personas.agency_officer)
    response = client.post(reverse("reports:edit", args=[draft.pk]) + f"?v={older.number}", data)
    assert response.status_code == 200 and draft.latest_version().number == newer.number


def test_findings_in_the_title_are_underlined_too() -> None:
    from dangjian.proofread import check
    from dangjian.reports.editing import editor_blocks

    document = Document("关于学习十九大五中全会精神的总结")
    document.paragraph("正文。")
    title, body = editor_blocks(document, check(document.plain_text()))
    assert title.index == -1 and 'data-suggestion="十九届五中全会"' in title.html
    assert body.index == 0 and body.findings == 0


def test_the_form_names_its_version_so_a_newer_one_cannot_become_the_base(draft, personas, login) -> None:  # type: ignore[no-untyped-def]
    from dangjian.reports.actions import do_save_edit

    client = login(personas.agency_officer)
    opened = draft.latest_version()
    page = client.get(reverse("reports:edit", args=[draft.pk])).content.decode()  # no ?v= in the address
    assert f'name="v" value="{opened.number}"' in page
    newer = do_save_edit(
        draft, opened, Document.from_json(opened.document), note="他人", acting_user=personas.admin
    )
    data = form_data(Document.from_json(opened.document), opened.number, v=str(opened.number))
    page = client.post(reverse("reports:edit", args=[draft.pk]), data).content.decode()
    assert f"?a={opened.number}&amp;b={newer.number}" in page and f"修改文字 · 第{opened.number}版" in page
