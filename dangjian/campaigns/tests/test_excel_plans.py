"""Campaign work plans and research projects in Excel: template, all-or-nothing import, export."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from dangjian.activities.models import ActivityType
from dangjian.campaigns.excel_plans import PLAN_HEADERS, PROJECT_HEADERS
from dangjian.campaigns.models import PlanItem, ResearchOutput, ResearchProject
from dangjian.campaigns.tests.helpers import D, campaign, plan_item
from dangjian.core.models import AuditLog
from dangjian.testing.sheets import xlsx_upload


def _sheet(headers: list[str], rows: list[list[object]]) -> io.BytesIO:
    return xlsx_upload([headers, *rows], "表.xlsx")


def _upload(body: bytes) -> io.BytesIO:
    return xlsx_upload(name="导出.xlsx", body=body)


def _rows(response) -> list[list[object]]:  # type: ignore[no-untyped-def]
    ws = load_workbook(io.BytesIO(response.content)).active
    return [[c.value for c in row] for row in ws.iter_rows(min_row=2)]


def _project_row(**kw: object) -> list[object]:
    values: dict[str, object] = {
        "组织": "第一党支部",
        "课题": "优化营商环境专题调研",
        "牵头领导": "赵一明",
        "课题组成员": "钱  二华\n孙三立",  # padded names and one per line are read too
        "立项日期": "2026-03-01",
        "结题日期": "2026-09-30",
        "状态": "已结题",
        "所属专题活动": "",
        "调研成果": "调研报告：关于优化营商环境的调研报告\n政策建议：简化企业开办流程",
    }
    values.update(kw)
    return [values[h] for h in PROJECT_HEADERS]


# ---- work plans ----------------------------------------------------------------------------------


def test_plan_items_import_audited_and_export_round_trips(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    c = campaign(bureau.branch_1, name="支部主题教育")
    study = ActivityType.objects.get(code="study_session").name
    client = login(personas.secretary_of_branch_1)
    upload = _sheet(
        PLAN_HEADERS,
        [
            ["支部主题教育", "专题学习研讨", study, 3, "2026-06-30"],
            ["支部主题教育", "撰写心得体会", "", "", ""],
        ],
    )
    response = client.post("/campaigns/plan/import/", {"file": upload})
    assert response.status_code == 200, response.content.decode()[-1500:]
    items = {i.title: i for i in PlanItem.objects.filter(campaign=c)}
    assert (items["专题学习研讨"].target_count, items["专题学习研讨"].due_by) == (3, D(2026, 6, 30))
    assert items["撰写心得体会"].target_count == 1 and items["撰写心得体会"].activity_type is None
    assert AuditLog.objects.filter(content_type__model="planitem", action="create", via="import").count() == 2

    exported = client.get("/campaigns/plan/export/")
    before = sorted((i.title, i.activity_type_id, i.target_count, i.due_by) for i in PlanItem.objects.all())
    again = client.post("/campaigns/plan/import/", {"file": _upload(exported.content)})
    assert again.status_code == 200 and "更新 2 项" in again.content.decode()
    after = sorted((i.title, i.activity_type_id, i.target_count, i.due_by) for i in PlanItem.objects.all())
    assert after == before


def test_a_bad_plan_row_rolls_back_everything_and_names_row_and_column(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    campaign(bureau.branch_1, name="支部主题教育")
    campaign(bureau.branch_2, name="二支部主题教育")
    upload = _sheet(
        PLAN_HEADERS,
        [
            ["支部主题教育", "专题学习研讨", "", 3, "2026-06-30"],
            ["支部主题教育", "交流发言", "", "三次", ""],
            ["二支部主题教育", "别的支部的计划", "", 1, ""],  # out of the secretary's scope
        ],
    )
    response = login(personas.secretary_of_branch_1).post("/campaigns/plan/import/", {"file": upload})
    page = response.content.decode()
    assert response.status_code == 400
    assert not PlanItem.objects.exists()
    assert "第3行 D列（计划次数）：“三次”不是数字。" in page
    assert "第4行 A列（专题活动）：“二支部主题教育”不是您可以修改计划的专题活动。" in page


def test_a_secretarys_plan_export_holds_only_their_scope(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    plan_item(campaign(bureau.organ_committee, name="机关活动", start=D(2026, 1, 1)), "theme_day", 2)
    plan_item(campaign(bureau.branch_1, name="一支部活动"), "theme_day", 2)
    plan_item(campaign(bureau.branch_2, name="二支部活动"), "theme_day", 2)
    rows = _rows(login(personas.secretary_of_branch_1).get("/campaigns/plan/export/"))
    # The 机关党委's campaign the branch takes part in (and sees) is there; another branch's is not.
    assert [r[0] for r in rows] == ["机关活动", "一支部活动"]


def test_the_plan_template_offers_only_writable_campaigns(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    campaign(bureau.organ_committee, name="机关主题教育")  # seen by the branch, not writable by it
    campaign(bureau.branch_1, name="支部主题教育")
    response = login(personas.secretary_of_branch_1).get("/campaigns/plan/import/template/")
    book = load_workbook(io.BytesIO(response.content))
    ranges = {str(dv.sqref): dv.formula1 for dv in book["专题活动计划"].data_validations.dataValidation}
    assert ranges["A2:A1001"] == "=选项!$A$2:$A$2"
    assert book["选项"]["A2"].value == "支部主题教育"


# ---- research projects ---------------------------------------------------------------------------


def test_projects_import_with_team_and_outputs_and_export_round_trips(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.secretary_of_branch_1)
    response = client.post("/campaigns/research/import/", {"file": _sheet(PROJECT_HEADERS, [_project_row()])})
    assert response.status_code == 200, response.content.decode()[-1500:]
    project = ResearchProject.objects.get()
    assert (project.leader.name, project.status, project.finished_on) == (
        "赵一明",
        "finished",
        D(2026, 9, 30),
    )
    assert sorted(m.name for m in project.team.all()) == ["孙三立", "钱二华"]
    assert sorted((o.kind, o.title) for o in project.outputs.all()) == [
        ("proposal", "简化企业开办流程"),
        ("report", "关于优化营商环境的调研报告"),
    ]
    assert AuditLog.objects.filter(content_type__model="researchproject", via="import").exists()
    assert AuditLog.objects.filter(content_type__model="researchoutput", via="import").count() == 2

    exported = client.get("/campaigns/research/export/")
    row = _rows(exported)[0]
    assert row[:3] == ["第一党支部", "优化营商环境专题调研", "赵一明"]
    assert sorted(row[3].split("、")) == ["孙三立", "钱二华"]
    again = client.post("/campaigns/research/import/", {"file": _upload(exported.content)})
    assert again.status_code == 200, again.content.decode()[-1500:]
    assert ResearchProject.objects.count() == 1 and ResearchOutput.objects.count() == 2
    assert sorted(m.name for m in ResearchProject.objects.get().team.all()) == ["孙三立", "钱二华"]


def test_a_bad_project_row_rolls_back_everything(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    upload = _sheet(
        PROJECT_HEADERS,
        [
            _project_row(),
            _project_row(课题="第二个课题", 结题日期=""),  # finished without a date
            _project_row(课题="第三个课题", 组织="第二党支部"),  # out of scope
        ],
    )
    response = login(personas.secretary_of_branch_1).post("/campaigns/research/import/", {"file": upload})
    page = response.content.decode()
    assert response.status_code == 400
    assert not ResearchProject.objects.exists() and not ResearchOutput.objects.exists()
    assert "第3行 F列（结题日期）：已结题的课题须填写结题日期。" in page
    assert "第4行 A列（组织）：“第二党支部”不是您可以登记的党组织。" in page


def test_full_width_brackets_survive_the_round_trip(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    bureau.branch_1.name = "第一党支部（办公室）"
    bureau.branch_1.save()
    client = login(personas.secretary_of_branch_1)
    row = _project_row(组织="第一党支部(办公室)", 课题="关于（财政）资金的调研")  # half-width as typed
    assert (
        client.post("/campaigns/research/import/", {"file": _sheet(PROJECT_HEADERS, [row])}).status_code
        == 200
    )
    assert ResearchProject.objects.get().title == "关于（财政）资金的调研"
    exported = client.get("/campaigns/research/export/")
    again = client.post("/campaigns/research/import/", {"file": _upload(exported.content)})
    assert again.status_code == 200 and ResearchProject.objects.count() == 1


def test_a_dry_run_writes_no_project(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    response = login(personas.secretary_of_branch_1).post(
        "/campaigns/research/import/", {"file": _sheet(PROJECT_HEADERS, [_project_row()]), "dry_run": "on"}
    )
    assert response.status_code == 200 and "试导入通过" in response.content.decode()
    assert not ResearchProject.objects.exists()


def test_a_secretarys_project_export_holds_only_their_scope(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    ResearchProject.objects.create(
        organization=bureau.branch_1, title="一支部课题", leader=bureau.member_1, started_on=D(2026, 3, 1)
    )
    ResearchProject.objects.create(
        organization=bureau.branch_2,
        title="=二支部课题",
        leader=bureau.member_of_branch_2,
        started_on=D(2026, 3, 1),
    )
    mine = _rows(login(personas.secretary_of_branch_1).get("/campaigns/research/export/"))
    assert [r[1] for r in mine] == ["一支部课题"]
    everyone = load_workbook(
        io.BytesIO(login(personas.agency_officer).get("/campaigns/research/export/").content)
    )
    formula_like = [c for c in everyone.active["B"] if c.value == "=二支部课题"]
    assert formula_like and formula_like[0].data_type == "s"  # kept as text, not run as a formula


def test_the_project_template_imports_with_its_example_row_left_in(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.secretary_of_branch_1)
    book = load_workbook(io.BytesIO(client.get("/campaigns/research/import/template/").content))
    ws = book["调研课题"]
    assert ws["B2"].value.startswith("（示例）")
    ws.append(_project_row())
    out = io.BytesIO()
    book.save(out)
    response = client.post(
        "/campaigns/research/import/", {"file": xlsx_upload(name="模板.xlsx", body=out.getvalue())}
    )
    assert response.status_code == 200, response.content.decode()[-1500:]
    assert [p.title for p in ResearchProject.objects.all()] == ["优化营商环境专题调研"]
