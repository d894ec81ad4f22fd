"""Dashboard, cell evidence, Excel export and rule list: access per role and what a user sees."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import load_workbook

from dangjian.compliance.panels import warnings_panel
from dangjian.core.dates import today

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(bureau, make_activity):  # type: ignore[no-untyped-def]
    year = today().year  # the app's day (Beijing), not the machine's
    return {
        "b1": make_activity(bureau.branch_1, "committee_meeting", D(year, 1, 10)),
        "b2": make_activity(bureau.branch_2, "committee_meeting", D(year, 1, 12)),
        "year": year,
    }


def test_dashboard_shows_the_heat_map_with_legend_in_chinese(personas, login, ledger):
    page = login(personas.agency_officer).get("/compliance/")
    assert page.status_code == 200
    html = page.content.decode()
    for text in (
        "合规检查",
        "第一党支部",
        "第二党支部",
        "党小组会",
        "支委会",
        "已完成",
        "未完成（已逾期）",
        "导出Excel",
    ):
        assert text in html
    assert 'class="sq sq-done' in html


def test_branch_secretary_dashboard_is_limited_to_their_branch(bureau, personas, login, ledger):
    client = login(personas.secretary_of_branch_1)
    page = client.get("/compliance/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "第一党支部" in html and "第二党支部" not in html and "测试局党组" not in html
    assert client.get(f"/compliance/?org={bureau.branch_2.pk}").status_code == 404
    assert client.get(f"/compliance/?org={bureau.leading_group.pk}").status_code == 404
    year = ledger["year"]
    url = f"/compliance/cell/?org={bureau.branch_2.pk}&rule=committee_meeting&slot={year}-01"
    assert client.get(url).status_code == 404
    assert client.get(f"/compliance/export.xlsx?org={bureau.branch_2.pk}&period={year}").status_code == 404


def test_members_and_users_without_a_role_cannot_open_the_dashboard(personas, login):
    assert login(personas.member).get("/compliance/").status_code == 403
    assert login(personas.outsider).get("/compliance/").status_code == 403


def test_discipline_reads_everything(personas, login, ledger):
    page = login(personas.discipline).get("/compliance/")
    assert page.status_code == 200 and "第二党支部" in page.content.decode()


def test_clicking_a_cell_lists_the_evidence_activities(bureau, personas, login, ledger):
    year = ledger["year"]
    client = login(personas.secretary_of_branch_1)
    page = client.get(f"/compliance/cell/?org={bureau.branch_1.pk}&rule=committee_meeting&slot={year}-01")
    html = page.content.decode()
    assert page.status_code == 200
    assert "已完成" in html and ledger["b1"].topic in html
    assert "《中国共产党支部工作条例（试行）》第十二条" in html


def test_bad_period_shows_a_chinese_error_and_falls_back_to_this_year(personas, login, ledger):
    page = login(personas.agency_officer).get("/compliance/?period=2022Q9")
    assert page.status_code == 200
    assert "无法识别的期间“2022Q9”" in page.content.decode()


def test_excel_export_has_chinese_headers_and_coloured_cells(bureau, personas, login, ledger):
    year = ledger["year"]
    response = login(personas.agency_officer).get(
        f"/compliance/export.xlsx?org={bureau.organ_committee.pk}&period={year}"
    )
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb["合规矩阵"]
    assert ws.cell(3, 1).value == "党组织"
    headers = [c.value for c in ws[3] if c.value]
    assert "支委会（每月）" in headers
    names = [ws.cell(r, 1).value.strip("\u3000") for r in range(5, ws.max_row + 1)]
    assert "第一党支部" in names
    row = 5 + names.index("第一党支部")
    col = next(c.column for c in ws[3] if c.value == "支委会（每月）")
    assert ws.cell(row, col).value == "✓"
    assert ws.cell(row, col).fill.fgColor.rgb.endswith("C6EFCE")
    assert {"规则与依据", "预警"} <= set(wb.sheetnames)


def test_rule_list_shows_sources(personas, login):
    html = login(personas.agency_officer).get("/compliance/rules/").content.decode()
    assert "《中国共产党章程》第九条" in html and "地方实践" in html


def test_home_panel_lists_the_users_warnings_in_scope(bureau, personas, rf, ledger):
    request = rf.get("/")
    request.user = personas.secretary_of_branch_1
    panel = warnings_panel(request)
    assert panel is not None and panel.template == "compliance/panel_warnings.html"
    assert all(w.org_name in ("第一党支部", "第一党小组", "第二党小组") for w in panel.context["warnings"])
    request.user = personas.member
    assert warnings_panel(request) is None


def test_home_page_shows_the_warning_panel(personas, login, ledger):
    html = login(personas.secretary_of_branch_1).get("/").content.decode()
    assert "合规预警" in html and "依据：" in html
