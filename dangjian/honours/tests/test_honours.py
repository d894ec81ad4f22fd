"""Honours and selections: permissions, results that record honours, figures recounted by hand,
the pages, Excel in and out, and a member's own honours."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from dangjian import metrics
from dangjian.core.period import Period
from dangjian.honours import actions
from dangjian.honours.models import Honour
from dangjian.testing.sheets import xlsx_upload

D = datetime.date


def _honour(personas, **fields):  # type: ignore[no-untyped-def]
    data = {
        "title": "优秀共产党员",
        "level": "municipal",
        "grantor": "中共江临市委",
        "awarded_on": D(2025, 6, 28),
    }
    data.update(fields)
    return actions.do_create_honour(acting_user=personas.admin, **data)


def test_member_honour_belongs_to_the_member_s_organization(bureau, personas):
    honour = _honour(personas, member=bureau.member_1)
    assert honour.organization == bureau.branch_1


def test_secretary_cannot_record_another_branch_s_honour(bureau, personas):
    with pytest.raises(PermissionDenied):
        actions.do_create_honour(
            acting_user=personas.secretary_of_branch_1,
            title="先进基层党组织",
            level="municipal",
            grantor="市委",
            awarded_on=D(2025, 6, 28),
            organization=bureau.branch_2,
        )


def test_member_outside_the_named_organization_is_refused(bureau, personas):
    with pytest.raises(ValidationError) as exc:
        _honour(personas, member=bureau.member_of_branch_2, organization=bureau.branch_1)
    assert "不是第一党支部的党员" in str(exc.value)


def test_selection_rounds_nominees_and_results(bureau, personas):
    zb1 = personas.secretary_of_branch_1
    selection = actions.do_create_selection(
        acting_user=zb1,
        organization=bureau.branch_1,
        year=2025,
        kind="star_member",
        name="2025年度星级党员评选",
        quota=1,
    )
    actions.do_add_round(selection, name="党小组推荐", held_on=D(2025, 12, 1), acting_user=zb1)
    actions.do_add_round(selection, name="支委会审议", held_on=D(2025, 12, 10), acting_user=zb1)
    with pytest.raises(ValidationError):
        actions.do_add_round(selection, name="公示", held_on=D(2025, 11, 1), acting_user=zb1)
    a = actions.do_nominate(selection, member=bureau.members[0], acting_user=zb1)
    b = actions.do_nominate(selection, member=bureau.members[1], acting_user=zb1)
    with pytest.raises(ValidationError):
        actions.do_nominate(selection, member=bureau.member_of_branch_2, acting_user=zb1)
    with pytest.raises(ValidationError):
        actions.do_nominate(selection, member=bureau.members[0], acting_user=zb1)
    actions.do_record_result(a, result="selected", reached_round=2, votes=12, acting_user=zb1)
    a.refresh_from_db()
    assert a.honour is not None
    assert (a.honour.level, a.honour.awarded_on, a.honour.member) == (
        "internal",
        D(2025, 12, 10),
        bureau.members[0],
    )
    assert a.honour.title == "2025年度星级党员"
    with pytest.raises(ValidationError) as exc:
        actions.do_record_result(b, result="selected", acting_user=zb1)
    assert "名额为1个" in str(exc.value)
    actions.do_record_result(a, result="not_selected", acting_user=zb1)
    assert Honour.objects.count() == 0
    with pytest.raises(PermissionDenied):
        actions.do_record_result(b, result="shortlisted", acting_user=personas.discipline)


def test_figures_by_year_level_and_kind(bureau, personas):
    a = _honour(personas, member=bureau.member_1, level="municipal", awarded_on=D(2025, 6, 28))
    b = _honour(
        personas,
        organization=bureau.branch_2,
        title="先进基层党组织",
        level="provincial",
        awarded_on=D(2025, 7, 1),
    )
    c = _honour(personas, member=bureau.member_of_branch_2, level="internal", awarded_on=D(2025, 12, 30))
    _honour(personas, member=bureau.members[1], level="national", awarded_on=D(2024, 12, 31))  # another year
    found = metrics.compute(
        [
            "honours.count",
            "honours.members",
            "honours.orgs",
            "honours.level.provincial",
            "honours.level.national",
        ],
        bureau.leading_group,
        Period.year(2025),
    )
    assert found["honours.count"].evidence_ids == sorted([a.pk, b.pk, c.pk])
    assert found["honours.members"].evidence_ids == sorted([a.pk, c.pk])
    assert found["honours.orgs"].evidence_ids == [b.pk]
    assert found["honours.level.provincial"].evidence_ids == [b.pk]
    assert found["honours.level.national"].value == 0
    mine = metrics.compute(
        ["honours.count"], bureau.branch_1, Period.year(2025), personas.secretary_of_branch_1
    )
    assert mine["honours.count"].evidence_ids == [a.pk]


def test_list_is_scoped_and_filtered(bureau, personas, login):
    _honour(personas, member=bureau.member_1, title="优秀党务工作者", level="municipal")
    _honour(personas, organization=bureau.branch_2, title="第二支部的先进称号", level="provincial")
    page = login(personas.secretary_of_branch_1).get(reverse("honours:list")).content.decode()
    assert "优秀党务工作者" in page and "第二支部的先进称号" not in page
    page = login(personas.admin).get(reverse("honours:list"), {"level": "provincial"}).content.decode()
    assert "第二支部的先进称号" in page and "优秀党务工作者" not in page
    assert login(personas.member).get(reverse("honours:list")).status_code == 403


def test_create_a_member_honour_through_the_form(bureau, personas, login):
    response = login(personas.secretary_of_branch_1).post(
        reverse("honours:create"),
        {
            "title": "优秀共产党员",
            "level": "municipal",
            "grantor": "市委",
            "awarded_on": "2026-06-28",
            "member": bureau.member_1.pk,
        },
    )
    assert response.status_code == 302
    assert Honour.objects.get().organization == bureau.branch_1


def test_selection_page_records_a_result(bureau, personas, login):
    zb1 = personas.secretary_of_branch_1
    selection = actions.do_create_selection(
        acting_user=zb1, organization=bureau.branch_1, year=2026, kind="star_member", name="星级党员评选"
    )
    actions.do_add_round(selection, name="公示", held_on=D(2026, 11, 20), acting_user=zb1)
    client = login(zb1)
    assert (
        client.post(
            reverse("honours:nominee-add", args=[selection.pk]), {"member": bureau.member_1.pk}
        ).status_code
        == 302
    )
    nominee = selection.nominees.get()
    assert (
        client.post(
            reverse("honours:nominee-result", args=[nominee.pk]), {"result": "selected", "reached_round": "1"}
        ).status_code
        == 302
    )
    page = client.get(selection.get_absolute_url()).content.decode()
    assert "当选" in page and bureau.member_1.name in page
    bad = client.post(
        reverse("honours:nominee-result", args=[nominee.pk]), {"result": "selected", "reached_round": "5"}
    )
    assert bad.status_code == 400 and "进入轮次应在1到1之间" in bad.content.decode()


def test_import_all_or_nothing_and_export(bureau, personas, login):
    client = login(personas.secretary_of_branch_1)
    header = ["荣誉名称", "级别", "授予单位", "授予日期", "获表彰党员", "获表彰组织", "表彰文号"]
    bad = [
        header,
        ["优秀共产党员", "市级", "市委", "2026-06-28", "赵一明", "", ""],
        ["先进", "宇宙级", "市委", "2026-06-28", "", "第一党支部", ""],
    ]
    response = client.post(reverse("honours:import"), {"file": xlsx_upload(bad)})
    assert response.status_code == 400 and Honour.objects.count() == 0
    assert "第3行 B列（级别）" in response.content.decode()
    good = [
        header,
        ["优秀共产党员", "市级", "市委", "2026-06-28", "赵一明", "", "江委〔2026〕5号"],
        ["先进党支部", "本机关", "机关党委", "2026-07-01", "", "第一党支部", ""],
    ]
    first = client.post(reverse("honours:import"), {"file": xlsx_upload(good)})
    assert first.status_code == 200
    assert Honour.objects.count() == 2
    assert client.post(reverse("honours:import"), {"file": xlsx_upload(good)}).status_code == 200
    assert Honour.objects.count() == 2
    _honour(personas, organization=bureau.branch_1, title="+HYPERLINK(1)")
    book = load_workbook(io.BytesIO(client.get(reverse("honours:export")).content))
    titles = sorted(str(row[1].value) for row in book.active.iter_rows(min_row=2))
    assert titles == ["+HYPERLINK(1)", "优秀共产党员", "先进党支部"]


def test_template_has_a_level_dropdown(personas, login):
    book = load_workbook(
        io.BytesIO(login(personas.secretary_of_branch_1).get(reverse("honours:template")).content)
    )
    ranges = {str(dv.sqref) for dv in book["表彰荣誉"].data_validations.dataValidation}
    assert "B2:B1001" in ranges


def test_member_sees_their_own_honours_at_home(bureau, personas, login):
    _honour(personas, member=bureau.member_1, title="优秀共产党员")
    _honour(personas, member=bureau.members[1], title="别人的荣誉")
    page = login(personas.member).get(reverse("home")).content.decode()
    assert "我获得的表彰" in page and "优秀共产党员" in page and "别人的荣誉" not in page
