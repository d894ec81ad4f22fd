"""The responsibility system: hearings and letters warnings, list items, scope, import and export."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.core.models import AuditLog
from dangjian.duties import actions, due
from dangjian.duties.excel import ITEMS
from dangjian.duties.models import Letter, Liaison, ResponsibilityItem
from dangjian.duties.sheetio import export_workbook, import_sheet, template_workbook
from dangjian.duties.tests.conftest import xlsx
from dangjian.duties.views_excel import import_context
from dangjian.members.models import Post

D = datetime.date
pytestmark = pytest.mark.django_db


def test_a_quarter_without_a_hearing_is_overdue_and_cites_the_unit_rule(bureau, personas, held) -> None:  # type: ignore[no-untyped-def]
    held(bureau.leading_group, "report_hearing", D(2026, 2, 10))
    held(bureau.leading_group, "report_hearing", D(2026, 8, 10))
    # A hearing held by a branch is not the 党组's.
    held(bureau.branch_1, "report_hearing", D(2026, 5, 10))
    found = due.hearing_due(personas.agency_officer, D(2026, 11, 20), D(2026, 11, 27))
    assert [(i.due_on, i.overdue) for i in found] == [(D(2026, 6, 30), True)]
    assert found[0].basis.startswith("本单位规定（党组每季度至少听取1次")
    # The running quarter shows once its end is within the horizon.
    soon = due.hearing_due(personas.agency_officer, D(2026, 12, 20), D(2026, 12, 31))
    assert [(i.due_on, i.overdue) for i in soon] == [(D(2026, 6, 30), True), (D(2026, 12, 31), False)]
    held(bureau.leading_group, "report_hearing", D(2026, 4, 1))
    assert due.hearing_due(personas.agency_officer, D(2026, 11, 20), D(2026, 11, 27)) == []


def test_a_branch_secretary_sees_no_hearing_warning_of_the_leading_group(bureau, personas) -> None:  # type: ignore[no-untyped-def]
    assert due.hearing_due(personas.secretary_of_branch_1, D(2026, 11, 20), D(2026, 11, 27)) == []
    assert due.hearing_due(personas.member, D(2026, 11, 20), D(2026, 11, 27)) == []


def _posts(bureau):  # type: ignore[no-untyped-def]
    start = D(2025, 1, 1)
    Post.objects.create(
        organization=bureau.leading_group,
        kind="secretary",
        member=bureau.member_of_branch_2,
        started_on=start,
    )
    Post.objects.create(
        organization=bureau.branch_1, kind="secretary", member=bureau.member_1, started_on=start
    )
    Post.objects.create(
        organization=bureau.branch_2, kind="secretary", member=bureau.members[4], started_on=start
    )
    # An ordinary committee member need not sign; a former secretary neither.
    Post.objects.create(
        organization=bureau.branch_1,
        kind="organization_commissioner",
        member=bureau.members[1],
        started_on=start,
    )
    Post.objects.create(
        organization=bureau.branch_2,
        kind="secretary",
        member=bureau.members[1],
        started_on=D(2020, 1, 1),
        ended_on=D(2024, 12, 31),
    )


def test_unsigned_letters_warn_after_the_configured_day(bureau, personas, settings) -> None:  # type: ignore[no-untyped-def]
    _posts(bureau)
    settings.LETTER_DEADLINE = "04-30"
    before = due.letter_due(personas.agency_officer, D(2026, 3, 1), D(2026, 3, 8))
    assert before == []  # the deadline is beyond the horizon
    late = due.letter_due(personas.agency_officer, D(2026, 5, 2), D(2026, 5, 9))
    assert sorted(i.title[:3] for i in late) == sorted(["李四清", "周五平", "赵一明"])
    assert all(
        i.overdue and i.basis == "本单位规定（党组成员、党支部书记每年4月30日前签订党风廉政建设责任书）"
        for i in late
    )
    Letter.objects.create(
        kind="responsibility",
        title="责任书",
        year=2026,
        signer=bureau.member_1,
        counterpart_org=bureau.leading_group,
        signed_on=D(2026, 3, 1),
    )
    # A pledge is not the responsibility letter; last year's letter does not count either.
    Letter.objects.create(
        kind="pledge",
        title="承诺书",
        year=2026,
        signer=bureau.members[4],
        counterpart_org=bureau.branch_2,
        signed_on=D(2026, 3, 1),
    )
    Letter.objects.create(
        kind="responsibility",
        title="责任书",
        year=2025,
        signer=bureau.member_of_branch_2,
        counterpart_org=bureau.leading_group,
        signed_on=D(2025, 3, 1),
    )
    late = due.letter_due(personas.agency_officer, D(2026, 5, 2), D(2026, 5, 9))
    assert sorted(i.title[:3] for i in late) == sorted(["李四清", "周五平"])
    # A branch secretary is told about their own branch only.
    assert due.letter_due(personas.secretary_of_branch_1, D(2026, 5, 2), D(2026, 5, 9)) == []


def _item(org, person, **kw):  # type: ignore[no-untyped-def]
    return ResponsibilityItem.objects.create(
        organization=org, year=2026, task=kw.pop("task", "任务"), responsible=person, **kw
    )


def test_item_list_puts_overdue_first_and_keeps_other_branches_out(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    _item(bureau.branch_1, bureau.member_1, task="远期任务", deadline=D(2026, 12, 30))
    _item(bureau.branch_1, bureau.member_1, task="逾期任务", deadline=D(2026, 1, 30))
    _item(
        bureau.branch_1,
        bureau.member_1,
        task="已办任务",
        deadline=D(2026, 1, 10),
        status="done",
        done_on=D(2026, 1, 9),
        evidence="会议记录",
    )
    other = _item(bureau.branch_2, bureau.member_of_branch_2, task="外支部任务", deadline=D(2026, 1, 1))
    client = login(personas.secretary_of_branch_1)
    body = client.get(reverse("duties:items") + "?year=2026").content.decode()
    assert body.index("逾期任务") < body.index("远期任务") < body.index("已办任务")
    assert "外支部任务" not in body
    assert client.get(other.get_absolute_url()).status_code == 404
    assert login(personas.member).get(reverse("duties:items")).status_code == 403


def test_saving_checks_the_organization_and_is_audited(bureau, personas) -> None:  # type: ignore[no-untyped-def]
    item = ResponsibilityItem(
        organization=bureau.branch_2, year=2026, task="越权", responsible=bureau.member_of_branch_2
    )
    with pytest.raises(PermissionDenied):
        actions.do_save(item, acting_user=personas.secretary_of_branch_1)
    with pytest.raises(PermissionDenied):
        actions.do_save(item, acting_user=personas.discipline)
    mine = ResponsibilityItem(
        organization=bureau.branch_1, year=2026, task="本支部任务", responsible=bureau.member_1
    )
    actions.do_save(mine, acting_user=personas.secretary_of_branch_1)
    assert AuditLog.objects.filter(object_id=str(mine.pk), object_repr__contains="本支部任务").count() == 1
    # Moving it to another branch is refused too.
    mine.organization = bureau.branch_2
    with pytest.raises(PermissionDenied):
        actions.do_save(mine, acting_user=personas.secretary_of_branch_1)


def test_done_needs_evidence_and_only_a_supervisor_reopens(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    item = _item(bureau.branch_1, bureau.member_1, deadline=D(2026, 6, 30))
    client = login(personas.secretary_of_branch_1)
    client.post(reverse("duties:item-complete", args=[item.pk]), {"done_on": "2026-06-20", "evidence": ""})
    item.refresh_from_db()
    assert item.status == "planned"  # refused: no evidence
    client.post(
        reverse("duties:item-complete", args=[item.pk]), {"done_on": "2026-06-20", "evidence": "已召开"}
    )
    item.refresh_from_db()
    assert item.status == "done" and item.done_on == D(2026, 6, 20)
    assert (
        client.post(reverse("duties:item-reopen", args=[item.pk]), {"reason": "材料不全"}).status_code == 403
    )
    login(personas.agency_officer).post(reverse("duties:item-reopen", args=[item.pk]), {"reason": "材料不全"})
    item.refresh_from_db()
    assert (item.status, item.reopened_count, item.done_on) == ("in_progress", 1, None)
    assert AuditLog.objects.filter(object_id=str(item.pk), verb="退回重办").exists()


def test_item_form_shows_a_chinese_error_and_writes_nothing(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.secretary_of_branch_1)
    response = client.post(
        reverse("duties:item-create"),
        {
            "organization": bureau.branch_1.pk,
            "year": 2026,
            "duty_kind": "main",
            "task": "任务",
            "responsible": bureau.member_1.pk,
            "deadline": "2030-01-01",
            "status": "planned",
        },
    )
    assert response.status_code == 200
    assert "完成时限应在2026年内" in response.content.decode()
    assert not ResponsibilityItem.objects.exists()


def test_import_is_all_or_nothing_and_names_row_and_column(bureau, personas) -> None:  # type: ignore[no-untyped-def]
    header = [f.header for f in ITEMS.fields]
    good = ["第一党支部", 2026, "主体责任", "按时召开支委会", "赵一明", "2026-12-31", "推进中", "", ""]
    bad = ["第一党支部", 2026, "大责任", "任务二", "不存在的人", "2026-13-01", "", "", ""]
    user = personas.secretary_of_branch_1
    report = import_sheet(ITEMS, xlsx([header, good, bad]), user=user, context=import_context(user))
    assert not report.ok and not ResponsibilityItem.objects.exists()
    where = sorted(str(p) for p in report.errors)
    assert any(p.startswith("第3行 C列（责任类别）：无法识别的责任类别“大责任”") for p in where)
    assert any(p.startswith("第3行 E列（责任人）") and "不在您管理的花名册中" in p for p in where)
    assert any(p.startswith("第3行 F列（完成时限）") for p in where)
    # Another branch's organization is refused by name.
    other = ["第二党支部", 2026, "", "任务三", "李四清", "", "", "", ""]
    report = import_sheet(ITEMS, xlsx([header, good, other]), user=user, context=import_context(user))
    assert any(
        str(p).startswith("第3行 A列（责任主体）：“第二党支部”不是您可以登记的党组织") for p in report.errors
    )
    # An organization named with full-width brackets is found as written.
    from dangjian.orgs.models import Organization

    Organization.objects.filter(pk=bureau.branch_1.pk).update(name="第一党支部（办公室）")
    good[0] = "第一党支部（办公室）"
    report = import_sheet(ITEMS, xlsx([header, good]), user=user, context=import_context(user))
    assert report.ok and report.created == 1
    item = ResponsibilityItem.objects.get()
    assert (item.task, item.responsible, item.status, item.deadline) == (
        "按时召开支委会",
        bureau.member_1,
        "in_progress",
        D(2026, 12, 31),
    )


def test_export_reimports_and_neutralises_formulas(bureau, personas) -> None:  # type: ignore[no-untyped-def]
    _item(bureau.branch_1, bureau.member_1, task="=HYPERLINK(1)", deadline=D(2026, 5, 1))
    body = export_workbook(ITEMS, ResponsibilityItem.objects.all(), title="2026年责任清单")
    sheet = load_workbook(io.BytesIO(body)).active
    # Kept as text (not run as a formula) and unchanged, so it re-imports as it was.
    assert (sheet["D3"].value, sheet["D3"].data_type) == ("=HYPERLINK(1)", "s")
    assert [c.value for c in sheet[2]] == [f.header for f in ITEMS.fields]


def test_template_has_drop_downs_for_coded_columns() -> None:
    book = load_workbook(io.BytesIO(template_workbook(ITEMS, org_names=["第一党支部"])))
    ranges = {str(v.sqref).split(":")[0] for v in book.active.data_validations.dataValidation}
    assert ranges == {"A2", "C2", "G2"}  # 责任主体, 责任类别, 状态


def test_liaison_visits_are_the_leaders_activities_at_the_branch(bureau, personas, login, held) -> None:  # type: ignore[no-untyped-def]
    leader = bureau.member_of_branch_2
    Liaison.objects.create(leader=leader, branch=bureau.branch_1, started_on=D(2025, 1, 1))
    held(bureau.branch_1, "liaison_visit", D(2026, 3, 1), host=leader)
    held(bureau.branch_1, "liaison_visit", D(2026, 9, 1), host=leader)
    held(bureau.branch_1, "liaison_visit", D(2026, 9, 2), host=bureau.member_1)  # someone else's
    held(bureau.branch_2, "liaison_visit", D(2026, 9, 3), host=leader)  # another branch
    body = login(personas.agency_officer).get(reverse("duties:liaisons") + "?year=2026").content.decode()
    assert '<td class="num">2</td>' in body


def test_member_sees_own_letters_and_items_on_the_home_page(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    Letter.objects.create(
        kind="pledge",
        title="廉洁从政承诺书",
        year=2026,
        signer=bureau.member_1,
        counterpart_org=bureau.branch_1,
        signed_on=D(2026, 3, 1),
    )
    Letter.objects.create(
        kind="pledge",
        title="别人的承诺书",
        year=2026,
        signer=bureau.members[1],
        counterpart_org=bureau.branch_1,
        signed_on=D(2026, 3, 1),
    )
    _item(bureau.branch_1, bureau.member_1, task="我负责的任务", deadline=D(2026, 12, 1))
    body = login(personas.member).get("/").content.decode()
    assert "廉洁从政承诺书" in body and "我负责的任务" in body
    assert "别人的承诺书" not in body


def test_an_export_imports_back(bureau, personas) -> None:  # type: ignore[no-untyped-def]
    _item(bureau.branch_1, bureau.member_1, task="按时交纳党费", deadline=D(2026, 5, 1))
    body = export_workbook(ITEMS, ResponsibilityItem.objects.all(), title="2026年责任清单")
    user = personas.secretary_of_branch_1
    report = import_sheet(ITEMS, xlsx_bytes(body), user=user, context=import_context(user))
    assert report.ok, [str(p) for p in report.errors]
    assert ResponsibilityItem.objects.filter(task="按时交纳党费", deadline=D(2026, 5, 1)).count() == 2


def xlsx_bytes(body: bytes):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("导出.xlsx", body)


def test_letter_scan_is_checked_and_downloaded_only_in_scope(
    bureau, personas, login, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client = login(personas.secretary_of_branch_1)
    data = {
        "kind": "responsibility",
        "title": "党风廉政建设责任书",
        "year": 2026,
        "signer": bureau.member_1.pk,
        "counterpart_org": bureau.leading_group.pk,
        "signed_on": "2026-02-10",
    }
    fake = SimpleUploadedFile("责任书.pdf", b"MZ not a pdf")
    response = client.post(
        reverse("duties:letter-create") + f"?org={bureau.branch_1.pk}", {**data, "document": fake}
    )
    assert "内容与扩展名不符" in response.content.decode() and not Letter.objects.exists()
    scan = SimpleUploadedFile("责任书.pdf", b"%PDF-1.4 scan")
    response = client.post(
        reverse("duties:letter-create") + f"?org={bureau.branch_1.pk}", {**data, "document": scan}
    )
    letter = Letter.objects.get()
    url = reverse("duties:letter-document", args=[letter.pk])
    assert b"".join(client.get(url).streaming_content) == b"%PDF-1.4 scan"
    other = _user_of_branch_2(personas)
    assert login(other).get(url).status_code == 404


def _user_of_branch_2(personas):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    from dangjian.core.models import Role
    from dangjian.orgs.models import Organization

    user = get_user_model().objects.create_user(username="zb2", password="pw-zb2")
    Role.objects.create(
        user=user, kind="org_officer", organization=Organization.objects.get(name="第二党支部")
    )
    return user


def test_activity_page_names_the_liaison_and_the_item_it_proves(bureau, personas, login, held) -> None:  # type: ignore[no-untyped-def]
    leader = bureau.member_of_branch_2
    liaison = Liaison.objects.create(leader=leader, branch=bureau.branch_1, started_on=D(2025, 1, 1))
    visit = held(bureau.branch_1, "liaison_visit", D(2026, 3, 1), host=leader)
    _item(
        bureau.branch_1,
        bureau.member_1,
        task="领导到支部指导",
        evidence_activity=visit,
        deadline=D(2026, 6, 1),
    )
    body = login(personas.agency_officer).get(visit.get_absolute_url()).content.decode()
    assert f"#liaison-{liaison.pk}" in body and "作为责任清单事项的佐证" in body and "领导到支部指导" in body
    plain = held(bureau.branch_1, "theme_day", D(2026, 3, 2))
    assert (
        "panel-duties-activity"
        not in login(personas.agency_officer).get(plain.get_absolute_url()).content.decode()
    )


def test_an_export_too_big_asks_for_an_organization(bureau, personas, login, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from dangjian.duties import views_excel

    monkeypatch.setattr(views_excel, "EXPORT_MAX_ROWS", 1)
    _item(bureau.branch_1, bureau.member_1, task="一", deadline=D(2026, 5, 1))
    _item(bureau.branch_2, bureau.member_of_branch_2, task="二", deadline=D(2026, 5, 1))
    client = login(personas.agency_officer)
    response = client.get(reverse("duties:items-export") + "?year=2026")
    assert "共 2 条，超过一次导出的上限 1 条" in response.content.decode()
    response = client.get(reverse("duties:items-export") + f"?year=2026&org={bureau.branch_1.pk}")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [r[3] for r in sheet.iter_rows(min_row=3, values_only=True)] == ["一"]


def test_changing_the_organization_reloads_its_people(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.agency_officer)
    url = reverse("duties:item-create") + f"?organization={bureau.branch_2.pk}&task=草稿"
    body = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'value="草稿"' in body and "<html" not in body  # only the fields
    # The people are a search within the chosen organization (a province has too many to list).
    assert f"within={bureau.branch_2.pk}" in body
    found = client.get(
        "/members/lookup/", {"field": "responsible", "responsible_q": "党支部", "within": bureau.branch_2.pk}
    ).content.decode()
    assert "李四清" in found and "赵一明" not in found
    # A secretary's form starts on their own branch, chosen.
    body = login(personas.secretary_of_branch_1).get(reverse("duties:item-create")).content.decode()
    assert f'name="organization" value="{bureau.branch_1.pk}" checked' in body


def test_the_letter_forms_signer_search_finds_only_those_who_must_sign(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    import re

    _posts(bureau)
    client = login(personas.agency_officer)
    page = client.get(reverse("duties:letter-create")).content.decode()
    assert 'name="signer_q"' in page and '<select name="signer"' not in page

    def found(text: str) -> list[str]:
        body = client.get(
            reverse("duties:signer-lookup"), {"field": "signer", "signer_q": text}
        ).content.decode()
        return sorted(re.findall(r'class="lookup-name">([^<]+)<', body))

    # The branch secretaries and the 党组's (李四清, of branch 2); not the commissioner 钱二华,
    # nor a former secretary.
    assert found("党支部") == sorted(["赵一明", "周五平", "李四清"])
    assert found("钱") == []
    assert found("李四") == ["李四清"]
