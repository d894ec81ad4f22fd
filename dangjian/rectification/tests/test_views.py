"""The rectification pages as each persona sees them."""

from __future__ import annotations

import datetime
import io

from django.urls import reverse
from openpyxl import load_workbook

from dangjian.activities.models import Activity, ActivityType
from dangjian.core.agenda import due_items
from dangjian.core.dates import today
from dangjian.members.models import Member
from dangjian.rectification import actions
from dangjian.rectification.models import Finding
from dangjian.testing.sheets import xlsx_upload

D = datetime.date


HEADER = ["整改主体", "问题来源", "发现日期", "问题描述", "责任人", "整改时限", "整改措施"]


def test_list_shows_overdue_first_and_only_the_secretary_s_branch(bureau, personas, login, make_finding):
    on = today()
    later = make_finding(
        description="按期整改中的问题",
        found_on=on - datetime.timedelta(days=5),
        deadline=on + datetime.timedelta(days=30),
    )
    late = make_finding(
        description="已超期的问题",
        found_on=on - datetime.timedelta(days=90),
        deadline=on - datetime.timedelta(days=1),
    )
    make_finding(
        org=bureau.branch_2,
        responsible=bureau.member_of_branch_2,
        description="第二支部的问题",
        found_on=on - datetime.timedelta(days=5),
        deadline=on + datetime.timedelta(days=5),
    )
    page = login(personas.secretary_of_branch_1).get(reverse("rectification:list")).content.decode()
    assert "第二支部的问题" not in page
    assert page.index(f"finding-{late.pk}") < page.index(f"finding-{later.pk}")
    assert "已超期" in page


def test_member_and_outsider_cannot_open_the_ledger(personas, login):
    assert login(personas.member).get(reverse("rectification:list")).status_code == 403


def test_filter_by_source_and_status(bureau, personas, login, make_finding):
    make_finding(source="audit", description="审计发现的问题")
    make_finding(source="self", description="自查发现的问题")
    page = (
        login(personas.admin)
        .get(reverse("rectification:list"), {"source": "audit", "status": "all"})
        .content.decode()
    )
    assert "审计发现的问题" in page and "自查发现的问题" not in page


def test_finding_registered_from_an_org_life_meeting_shows_on_its_page(bureau, personas, login):
    from dangjian.activities import actions as activity_actions

    meeting = activity_actions.do_plan(
        acting_user=None,
        organization=bureau.branch_1,
        activity_type=ActivityType.objects.get(code="org_life_meeting"),
        topic="年度组织生活会",
        planned_at=datetime.datetime(2026, 1, 20, 9, tzinfo=datetime.UTC),
    )
    roster = Member.objects.filter(organization=bureau.branch_1, admission_date__lte=D(2026, 1, 20))
    activity_actions.do_record(
        meeting,
        acting_user=None,
        attendance={m.pk: ("present", "") for m in roster},
        held_at=meeting.planned_at,
        topic=meeting.topic,
    )
    client = login(personas.secretary_of_branch_1)
    detail = client.get(reverse("activities:detail", args=[meeting.pk])).content.decode()
    assert "查摆问题及整改" in detail and "登记问题" in detail
    form = client.get(reverse("rectification:create"), {"meeting": meeting.pk, "source": "org_life"})
    assert form.status_code == 200
    response = client.post(
        reverse("rectification:create") + f"?meeting={meeting.pk}",
        {
            "organization": bureau.branch_1.pk,
            "source": "org_life",
            "found_on": "2026-01-20",
            "description": "批评与自我批评辣味不足",
            "meeting": meeting.pk,
            "responsible": bureau.members[1].pk,
            "deadline": "2026-04-30",
            "measures": "开展一次专题学习\n互相谈心谈话",
        },
    )
    finding = Finding.objects.get()
    assert response.status_code == 302 and finding.meeting == meeting and finding.measures.count() == 2
    detail = client.get(reverse("activities:detail", args=[meeting.pk])).content.decode()
    assert "批评与自我批评辣味不足" in detail


def test_meeting_panel_is_absent_on_other_meetings(bureau, personas, login):
    activity = Activity.objects.create(
        organization=bureau.branch_1,
        activity_type=ActivityType.objects.get(code="theme_day"),
        topic="主题党日",
    )
    page = login(personas.admin).get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert "查摆问题及整改" not in page


def test_close_by_post_and_refused_to_the_branch_s_own_secretary(bureau, personas, login, make_finding):
    finding = make_finding()
    url = reverse("rectification:close", args=[finding.pk])
    data = {"closed_on": "2026-05-01", "evidence": "制度已印发"}
    assert login(personas.secretary_of_branch_1).post(url, data).status_code == 403
    assert login(personas.agency_officer).post(url, data).status_code == 302
    finding.refresh_from_db()
    assert finding.status == "closed"
    page = login(personas.agency_officer).get(finding.get_absolute_url()).content.decode()
    assert "重新整改" in page and "制度已印发" in page


def test_close_with_missing_evidence_names_the_field(bureau, personas, login, make_finding):
    finding = make_finding()
    response = login(personas.admin).post(
        reverse("rectification:close", args=[finding.pk]), {"closed_on": "2026-05-01"}
    )
    assert response.status_code == 400
    assert "整改成效及佐证" in response.content.decode()


def test_import_all_or_nothing_names_each_bad_row(bureau, personas, login):
    client = login(personas.secretary_of_branch_1)
    rows = [
        HEADER,
        ["第一党支部", "自查自纠", "2026-03-01", "问题甲", "钱二华", "2026-06-30", "措施一\n措施二"],
        ["第二党支部", "自查自纠", "2026-03-01", "问题乙", "李四清", "2026-06-30", ""],
        ["第一党支部", "听说的", "2026-03-01", "问题丙", "钱二华", "2026-06-30", ""],
        ["第一党支部", "自查自纠", "2026-03-01", "问题丁", "钱二华", "2026-02-01", ""],
    ]
    response = client.post(reverse("rectification:import"), {"file": xlsx_upload(rows)})
    page = response.content.decode()
    assert response.status_code == 400
    assert Finding.objects.count() == 0
    assert "第3行 A列（整改主体）" in page
    assert "第4行 B列（问题来源）" in page
    assert "第5行 F列（整改时限）：整改时限不能早于发现日期。" in page


def test_import_creates_findings_with_measures_and_skips_duplicates(bureau, personas, login):
    client = login(personas.secretary_of_branch_1)
    rows = [
        HEADER,
        ["第一党支部", "自查自纠", "2026-03-01", "问题甲", "钱二华", "2026-06-30", "措施一\n措施二"],
    ]
    dry = client.post(reverse("rectification:import"), {"file": xlsx_upload(rows), "dry_run": "on"})
    assert dry.status_code == 200 and Finding.objects.count() == 0
    assert client.post(reverse("rectification:import"), {"file": xlsx_upload(rows)}).status_code == 200
    finding = Finding.objects.get()
    assert [m.text for m in finding.measures.all()] == ["措施一", "措施二"]
    again = client.post(reverse("rectification:import"), {"file": xlsx_upload(rows)})
    assert again.status_code == 200 and Finding.objects.count() == 1


def test_export_reimports_and_neutralises_formulas(bureau, personas, login, make_finding):
    make_finding(description='=HYPERLINK("http://x")')
    client = login(personas.admin)
    response = client.get(reverse("rectification:export"), {"status": "all"})
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    values = [c.value for c in sheet[2]]
    assert values[4] == '=HYPERLINK("http://x")' and sheet[2][4].data_type == "s"  # text, not a formula
    assert values[1] == "第一党支部"


def test_template_has_dropdowns_for_source_and_organization(personas, login):
    response = login(personas.secretary_of_branch_1).get(reverse("rectification:template"))
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["整改台账"]
    ranges = {str(dv.sqref) for dv in sheet.data_validations.dataValidation}
    assert "B2:B1001" in ranges and "A2:A1001" in ranges
    options = book["选项"]
    assert [c.value for c in options["B"] if c.value][1:] == [
        "巡察",
        "民主生活会",
        "组织生活会",
        "专项整治",
        "审计",
        "专项资金检查",
        "督查检查",
        "自查自纠",
    ]
    assert [c.value for c in options["A"] if c.value][1:] == ["第一党支部", "第一党小组", "第二党小组"]


def test_agenda_lists_overdue_and_reopened_findings_with_their_basis(bureau, personas, make_finding):
    on = today()
    late = make_finding(found_on=on - datetime.timedelta(days=60), deadline=on - datetime.timedelta(days=3))
    reopened = make_finding(
        found_on=on - datetime.timedelta(days=60), deadline=on + datetime.timedelta(days=60)
    )
    actions.do_close_finding(
        reopened, closed_on=on - datetime.timedelta(days=10), evidence="已整改", acting_user=personas.admin
    )
    actions.do_reopen_finding(reopened, reason="复查未解决", on=on, acting_user=personas.admin)
    make_finding(
        found_on=on - datetime.timedelta(days=1), deadline=on + datetime.timedelta(days=90)
    )  # not due
    make_finding(
        org=bureau.branch_2,
        responsible=bureau.member_of_branch_2,
        found_on=on - datetime.timedelta(days=60),
        deadline=on - datetime.timedelta(days=3),
    )
    items = [i for i in due_items(personas.secretary_of_branch_1, on) if i.kind == "rectification"]
    assert [i.url for i in items] == [late.get_absolute_url(), reopened.get_absolute_url()]
    assert items[0].overdue and items[0].basis.startswith("本单位规定（")
    assert "退回重新整改" in items[1].basis and items[1].level == "danger"


def test_member_sees_their_own_findings_on_the_home_page(bureau, personas, login, make_finding):
    make_finding(responsible=bureau.member_1, description="个人学习笔记不全")
    make_finding(responsible=bureau.members[1], description="别人的问题")
    page = login(personas.member).get(reverse("home")).content.decode()
    assert "我负责整改的问题" in page and "个人学习笔记不全" in page and "别人的问题" not in page


def test_inspection_groups_its_findings(bureau, personas, login, make_finding):
    client = login(personas.secretary_of_branch_1)
    response = client.post(
        reverse("rectification:inspection-create"),
        {
            "organization": bureau.branch_1.pk,
            "kind": "audit",
            "title": "2026年经济责任审计",
            "conducted_by": "县审计局",
            "started_on": "2026-02-01",
        },
    )
    assert response.status_code == 302
    from dangjian.rectification.models import Inspection

    inspection = Inspection.objects.get()
    make_finding(source="audit", inspection=inspection, description="公务接待审批不全")
    page = client.get(inspection.get_absolute_url()).content.decode()
    assert "公务接待审批不全" in page and "反馈问题（1 个）" in page


def test_home_todo_warns_officers_of_overdue_findings_with_their_basis(bureau, personas, login, make_finding):
    on = today()
    make_finding(
        description="超期的问题",
        found_on=on - datetime.timedelta(days=60),
        deadline=on - datetime.timedelta(days=2),
    )
    page = login(personas.secretary_of_branch_1).get(reverse("home")).content.decode()
    todo = page.split('id="panel-todo"')[1].split("</section>")[0]
    assert "超期的问题" in todo and "依据：本单位规定（" in todo and "已逾期" in todo
    assert "超期的问题" not in login(personas.member).get(reverse("home")).content.decode()


def test_branch_finding_names_the_committee_s_inspection_without_linking_it(
    bureau, personas, login, make_finding
):
    from dangjian.rectification.models import Inspection

    inspection = actions.do_create_inspection(
        acting_user=personas.admin,
        organization=bureau.organ_committee,
        kind="inspection",
        title="县委巡察",
        conducted_by="县委巡察组",
        started_on=D(2026, 1, 5),
    )
    finding = make_finding(source="inspection", inspection=inspection)
    page = login(personas.secretary_of_branch_1).get(finding.get_absolute_url()).content.decode()
    assert "县委巡察" in page and inspection.get_absolute_url() not in page
    page = login(personas.agency_officer).get(finding.get_absolute_url()).content.decode()
    assert inspection.get_absolute_url() in page
    assert Inspection.objects.count() == 1


def test_history_and_verifier_are_named_by_the_roster_not_the_account(bureau, personas, login, make_finding):
    from dangjian.core.models import Role

    Role.objects.filter(user=personas.agency_officer).update(member=bureau.members[4])
    finding = make_finding(responsible=bureau.members[1])
    client = login(personas.agency_officer)
    client.post(
        reverse("rectification:close", args=[finding.pk]), {"closed_on": "2026-05-01", "evidence": "已整改"}
    )
    page = client.get(finding.get_absolute_url()).content.decode()
    assert "周五平 · 验收销号" in page and "jgdw" not in page


def test_list_shows_the_year_by_source(bureau, personas, login, make_finding):
    on = today()
    make_finding(source="audit", found_on=on.replace(month=1, day=2), deadline=on.replace(month=1, day=3))
    make_finding(source="audit", found_on=on.replace(month=1, day=2), deadline=on.replace(month=12, day=31))
    make_finding(
        source="org_life", found_on=on.replace(month=1, day=2), deadline=on.replace(month=12, day=31)
    )
    page = login(personas.admin).get(reverse("rectification:list")).content.decode()
    table = page[page.index('id="by-source"') :]
    table = table[: table.index("</table>")]
    assert (
        '<td>审计</td><td class="nowrap">2 个</td><td class="nowrap">0 个</td><td class="nowrap">2 个</td><td class="nowrap">1 个</td>'
        in table
    )
    assert "组织生活会" in table and "巡察" not in table


def test_filter_by_organization_and_404_outside_reach(bureau, personas, login, make_finding):
    make_finding(description="第一支部的问题")
    make_finding(org=bureau.branch_2, responsible=bureau.member_of_branch_2, description="第二支部的问题")
    page = (
        login(personas.admin).get(reverse("rectification:list"), {"org": bureau.branch_2.pk}).content.decode()
    )
    assert "第二支部的问题" in page and "第一支部的问题" not in page
    client = login(personas.secretary_of_branch_1)
    assert client.get(reverse("rectification:list"), {"org": bureau.branch_2.pk}).status_code == 404
