"""An officer writes a report: generate from the ledger, follow a figure, edit, compare, proofread."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from dangjian.reports.models import Draft, Genre

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ledger_h1(bureau):  # type: ignore[no-untyped-def]
    from dangjian.reports.tests.conftest import make_activity

    m = bureau.members
    import datetime

    for month in range(1, 7):
        make_activity(bureau.branch_1, "committee_meeting", datetime.date(2025, month, 10), attendees=m[:2])
    make_activity(bureau.branch_1, "general_meeting", datetime.date(2025, 3, 28), attendees=m[:3])
    return bureau


def test_officer_generates_edits_and_proofreads_a_report(
    live_server, page, personas, ledger_h1, browser_login
):
    browser_login(page, personas.agency_officer)
    page.click("nav.mainnav >> text=报告")
    page.wait_for_url("**/reports/")
    page.select_option("#id_genre", label="党建工作总结")
    page.select_option("#id_organization", label="测试局机关党委")
    page.fill("#id_period", "2025H1")
    page.click("text=根据台账生成")
    # Wait for the redirect before reading the database: the draft is written by the request.
    page.wait_for_url(re.compile(r"/reports/\d+/$"))
    draft = Draft.objects.get()
    paper = page.inner_text("article.paper")
    # The title's wording varies by organization and period (two years' reports must differ).
    # the title may break between words over two lines (GB/T 9704 layout)
    assert paper.startswith("测试局机关党委") and "2025年上半年" in "".join(paper.splitlines()[:2])
    assert "支部委员会6次" in paper
    assert "【待补充" in paper

    # A figure leads to the six committee meetings behind it.
    page.click("article.paper a.fig >> text=6次")
    page.wait_for_url("**/figures/activities.count.committee_meeting/**")
    assert "共 6 条" in page.inner_text("main")
    page.go_back()

    # Edit the opening paragraph on the paper itself: a second version, and the comparison
    # shows the change. A figure is a chip that typing cannot change.
    page.click("text=修改文字")
    page.wait_for_load_state("load")  # editor.js is deferred
    opening = page.locator('[data-name="block-0"]')
    opening.click()
    page.keyboard.press("Control+Home")
    page.keyboard.type("经党组同意，")
    chip = page.locator("a.fig-chip >> text=6次").first
    assert chip.get_attribute("contenteditable") == "false"
    page.click("text=保存为新版本")
    page.wait_for_url("**v=2")
    page.click(".versions >> text=与当前比较")
    expect(page.locator("table.diff ins").first).to_contain_text("经党组同意，")

    # The proofreader runs on the draft.
    page.goto(f"{live_server.url}/reports/{draft.pk}/proofread/")
    assert "发现" in page.inner_text(".proofread-result")

    # The .docx downloads after the page listing the prompts still to fill in.
    page.goto(f"{live_server.url}/reports/{draft.pk}/")
    page.click("text=Word（.docx）")
    assert "处【待补充】内容" in page.inner_text("main")
    with page.expect_download() as download:
        page.click("text=仍然导出")
    assert download.value.suggested_filename.endswith(".docx")


def test_editor_accepts_a_proofreading_suggestion_in_place(
    live_server, page, personas, ledger_h1, browser_login
):
    from dangjian.core.period import Period
    from dangjian.reports.actions import do_create_draft, do_save_edit
    from dangjian.reports.document import Document, Run

    draft = do_create_draft(
        genre=Genre.objects.get(code="work_summary"),
        organization=ledger_h1.organ_committee,
        period=Period.parse("2025H1"),
        acting_user=personas.agency_officer,
    )
    version = draft.latest_version()
    document = Document.from_json(version.document)
    document.blocks[0].runs.insert(0, Run("认真学习贯彻党的十九大五中全会精神。"))
    do_save_edit(draft, version, document, note="加一句", acting_user=personas.agency_officer)
    browser_login(page, personas.agency_officer)
    page.goto(f"{live_server.url}/reports/{draft.pk}/edit/")
    marked = page.locator(".ed-block .pf").count()
    page.click(".ed-block .pf >> text=十九大五中全会")
    assert "十九届五中全会" in page.inner_text("#pf-pop")
    page.click("#pf-pop >> text=采纳")
    assert page.locator(".ed-block .pf").count() == marked - 1
    assert page.locator(".ed-block .pf >> text=十九大五中全会").count() == 0
    page.click("text=保存为新版本")
    page.wait_for_url("**v=3")
    saved = Document.from_json(draft.latest_version().document)
    assert saved.blocks[0].text.startswith("认真学习贯彻党的十九届五中全会精神。")
    assert [r.kind for r in saved.blocks[0].runs] == [
        r.kind for r in Document.from_json(version.document).blocks[0].runs
    ]


def test_proofread_page_highlights_a_finding_on_click(live_server, page, personas, browser_login):
    browser_login(page, personas.member)
    page.goto(f"{live_server.url}/reports/proofread/")
    page.fill("#id_text", "上半年共召开党员大会xx次，开展主题党日X次。")
    page.click("text=开始校对")
    # The results page streams in and proofread.js is deferred: a click before the load event can
    # land on a finding whose handler is not attached yet (it failed once under a loaded CI).
    page.wait_for_load_state("load")
    page.click(".finding >> nth=0 >> q.flagged")
    expect(page.locator("mark.pf.active")).to_have_count(1)
