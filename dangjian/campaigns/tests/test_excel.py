"""The 为民办实事 template, import (all or nothing, errors by row and column) and export."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from dangjian.campaigns.excel import HEADERS
from dangjian.campaigns.models import ServicePledge
from dangjian.campaigns.tests.helpers import D, campaign, pledge
from dangjian.core.models import AuditLog
from dangjian.testing.sheets import xlsx_upload


def _sheet(rows: list[list[object]]) -> io.BytesIO:
    # A title row above the header is read past.
    return xlsx_upload([["2026年为民办实事台账"], HEADERS, *rows], "实事.xlsx")


def _row(**kw: object) -> list[object]:
    values = {
        "承办组织": "第一党支部",
        "事项": "帮助社区老人办理医保",
        "来源": "上门走访",
        "类别": "民生保障",
        "收集人": "钱二华",
        "收集日期": "2026-03-10",
        "责任人": "赵一明",
        "办理时限": "2026-06-30",
        "状态": "已办结",
        "办结日期": "2026.5.20",
        "受益数量": 126,
        "受益单位": "人",
        "涉及资金（万元）": "1.5",
        "办理结果": "已全部办理",
        "所属专题活动": "",
    }
    values.update(kw)
    return [values[h] for h in HEADERS]


def test_a_good_sheet_is_imported_and_audited(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    c = campaign(bureau.organ_committee, name="主题教育")
    upload = _sheet(
        [
            _row(),
            _row(
                事项="开通企业服务专线",
                来源="热线电话",
                类别="惠企服务",
                状态="办理中",
                办结日期="",
                办理结果="",
                所属专题活动="主题教育",
                受益数量="",
                受益单位="",
            ),
        ]
    )
    response = login(personas.secretary_of_branch_1).post("/campaigns/pledges/import/", {"file": upload})
    assert response.status_code == 200, response.content.decode()[-2000:]
    rows = {p.title: p for p in ServicePledge.objects.all()}
    assert set(rows) == {"帮助社区老人办理医保", "开通企业服务专线"}
    done = rows["帮助社区老人办理医保"]
    assert (done.status, done.solved_on, done.beneficiaries, str(done.amount), done.collected_by.name) == (
        "solved",
        D(2026, 5, 20),
        126,
        "1.50",
        "钱二华",
    )
    assert rows["开通企业服务专线"].campaign == c and rows["开通企业服务专线"].source == "hotline"
    assert (
        AuditLog.objects.filter(content_type__model="servicepledge", action="create", via="import").count()
        == 2
    )


def test_importing_the_same_sheet_again_changes_nothing_twice(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.secretary_of_branch_1)
    client.post("/campaigns/pledges/import/", {"file": _sheet([_row()])})
    client.post("/campaigns/pledges/import/", {"file": _sheet([_row(受益数量=130)])})
    assert ServicePledge.objects.get().beneficiaries == 130


def test_one_bad_row_writes_nothing_and_each_bad_row_is_named(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    upload = _sheet(
        [
            _row(),
            _row(事项="第二件", 来源="飞鸽传书"),
            _row(事项="第三件", 责任人="李四清"),  # a member of branch 2
            _row(事项="第四件", 承办组织="第二党支部"),  # not the secretary's branch
            _row(事项="第五件", 办理结果=""),  # closed without a result
        ]
    )
    response = login(personas.secretary_of_branch_1).post("/campaigns/pledges/import/", {"file": upload})
    assert response.status_code == 400
    assert not ServicePledge.objects.exists()
    page = response.content.decode()
    assert "第4行" in page and "C列（来源）" in page and "飞鸽传书" in page
    assert "第5行" in page and "G列（责任人）" in page and "李四清" in page
    assert "第6行" in page and "A列（承办组织）" in page
    assert "第7行" in page and "N列（办理结果）" in page


def test_a_dry_run_writes_nothing(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    response = login(personas.secretary_of_branch_1).post(
        "/campaigns/pledges/import/", {"file": _sheet([_row()]), "dry_run": "on"}
    )
    assert response.status_code == 200
    assert not ServicePledge.objects.exists()


def test_the_template_has_dropdowns_for_the_coded_columns(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    response = login(personas.secretary_of_branch_1).get("/campaigns/pledges/import/template/")
    book = load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    ws = book["为民办实事"]
    ranges = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert ranges["C2:C1001"] == "=选项!$A$2:$A$8"  # 来源: the seven sources
    assert ranges["I2:I1001"] == "=选项!$C$2:$C$4"  # 状态
    assert ranges["A2:A1001"] == "=选项!$E$2:$E$2"  # 承办组织: the secretary's one branch
    lists = book["选项"]
    assert lists["E2"].value == "第一党支部"
    assert lists.sheet_state == "hidden"


def test_the_export_is_scoped_and_neutralises_formulas(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    pledge(bureau.branch_1, bureau.member_1, collected=D(2026, 4, 1), title="=HYPERLINK(1)")
    pledge(bureau.branch_2, bureau.member_of_branch_2, collected=D(2026, 4, 1), title="第二支部的事项")
    response = login(personas.secretary_of_branch_1).get("/campaigns/pledges/export/")
    book = load_workbook(io.BytesIO(response.content))
    ws = book.active
    # Kept as the text it is (the one rule of every export, core.sheets.workbook_bytes): it does not
    # run in Excel and re-imports unchanged, where an apostrophe would have become part of the title.
    cells = [ws.cell(row=r, column=2) for r in range(2, ws.max_row + 1)]
    assert [(c.value, c.data_type) for c in cells] == [("=HYPERLINK(1)", "s")]


def test_the_templates_example_row_is_passed_over(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.secretary_of_branch_1)
    response = client.get("/campaigns/pledges/import/template/")
    book = load_workbook(io.BytesIO(response.content))
    ws = book["为民办实事"]
    ws.append(_row())
    out = io.BytesIO()
    book.save(out)
    upload = xlsx_upload(name="模板.xlsx", body=out.getvalue())
    assert client.post("/campaigns/pledges/import/", {"file": upload}).status_code == 200
    assert [p.title for p in ServicePledge.objects.all()] == ["帮助社区老人办理医保"]
