"""Roster export: the template's columns, the user's scope, masked ID numbers, and a clean round trip."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from dangjian.members.models import Member
from dangjian.members.roster_export import export_roster
from dangjian.members.roster_import import import_roster
from dangjian.members.tests.roster_helpers import HEADER, make_id, read_xlsx, row, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_ids(bureau):  # type: ignore[no-untyped-def]
    """Give the bureau's members real ID numbers (matching their birth dates)."""
    for i, member in enumerate(bureau.members):
        member.id_number = make_id(f"{member.birth_date:%Y%m%d}", f"{i:03d}")
        member.save()
    return bureau


def names(data: bytes) -> set[str]:
    return {r[0] for r in read_xlsx(data)[1:]}


def test_export_has_the_template_columns_and_values(with_ids, personas, login):
    response = login(personas.agency_officer).get(reverse("members:export"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = read_xlsx(response.content)
    assert list(rows[0]) == HEADER
    zhao = next(r for r in rows if r[0] == "赵一明")
    assert zhao[HEADER.index("身份证号")] == with_ids.member_1.id_number
    assert zhao[HEADER.index("所在支部")] == "第一党支部" and zhao[HEADER.index("所在党小组")] == "第一党小组"
    assert zhao[HEADER.index("党员状态")] == "正式党员" and zhao[HEADER.index("性别")] == "男"


def test_branch_secretary_exports_only_their_branch(with_ids, personas, login):
    data = login(personas.secretary_of_branch_1).get(reverse("members:export")).content
    assert names(data) == {"赵一明", "钱二华", "孙三立"}


def test_export_follows_the_list_filters(with_ids, personas, login):
    client = login(personas.agency_officer)
    data = client.get(reverse("members:export"), {"org": with_ids.branch_2.pk}).content
    assert names(data) == {"李四清", "周五平"}
    data = client.get(reverse("members:export"), {"status": "probationary"}).content
    assert names(data) == {"孙三立"}
    data = client.get(reverse("members:export"), {"q": "zym"}).content
    assert names(data) == {"赵一明"}


def test_export_of_another_branch_by_filter_is_404_for_a_secretary(with_ids, personas, login):
    response = login(personas.secretary_of_branch_1).get(
        reverse("members:export"), {"org": with_ids.branch_2.pk}
    )
    assert response.status_code == 404


def test_discipline_gets_masked_id_numbers(with_ids, personas, login):
    rows = read_xlsx(login(personas.discipline).get(reverse("members:export")).content)
    ids = [r[HEADER.index("身份证号")] for r in rows[1:]]
    assert len(ids) == 5 and all("*" in i for i in ids)
    assert with_ids.member_1.id_number[:3] + "***********" + with_ids.member_1.id_number[-4:] in ids


def test_discipline_export_masks_phone_birth_date_and_native_place(with_ids, personas, login):
    Member.objects.filter(pk=with_ids.member_1.pk).update(phone="13912345678", native_place="江临市东河县")
    rows = read_xlsx(login(personas.discipline).get(reverse("members:export")).content)
    zhao = next(r for r in rows if r[0] == "赵一明")
    assert zhao[HEADER.index("联系电话")] == "139****5678"
    assert zhao[HEADER.index("籍贯")] == "（已隐去）"
    assert zhao[HEADER.index("出生日期")] == f"{with_ids.member_1.birth_date.year}年"


def test_a_member_exports_only_their_own_record_unmasked(with_ids, personas, login):
    rows = read_xlsx(login(personas.member).get(reverse("members:export")).content)
    assert [r[0] for r in rows[1:]] == ["赵一明"]
    assert rows[1][HEADER.index("身份证号")] == with_ids.member_1.id_number


def test_a_user_without_a_role_is_refused(personas, login):
    assert login(personas.outsider).get(reverse("members:export")).status_code == 403


def test_an_export_re_imports_unchanged(with_ids, personas):
    import_roster(
        xlsx([row(交纳基数="6543.21", 流动党员="是", 学历="硕士研究生", 备注="备注文字", 党费类别="离退休")]),
        filename="a.xlsx",
    )
    data = export_roster(Member.objects.all(), user=personas.agency_officer)
    before = {m.pk: m.audit_values() for m in Member.objects.all()}
    report = import_roster(data, filename="export.xlsx", user=personas.agency_officer)
    assert report.ok, [str(p) for p in report.errors + report.file_errors]
    assert report.created == 0 and report.updated == 0 and report.unchanged == 6
    assert {m.pk: m.audit_values() for m in Member.objects.all()} == before


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x","点此")', "=1+1", "+1+2", "-3", "@SUM(A1)"])
def test_text_that_looks_like_a_formula_stays_text_and_round_trips(with_ids, personas, text):
    from openpyxl import load_workbook

    member = with_ids.member_1
    member.note = text
    member.save()
    data = export_roster(Member.objects.filter(pk=member.pk), user=personas.agency_officer)
    sheet = load_workbook(io.BytesIO(data)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value == text]
    assert cells and all(c.data_type == "s" for c in cells)  # stored as text: Excel runs nothing
    before = member.audit_values()
    report = import_roster(data, filename="export.xlsx", user=personas.agency_officer)
    assert report.ok and report.unchanged == 1
    member.refresh_from_db()
    assert member.audit_values() == before and member.note == text


def test_a_masked_export_cannot_be_re_imported_by_mistake(with_ids, personas):
    data = export_roster(Member.objects.all(), user=personas.discipline)
    report = import_roster(data, filename="masked.xlsx")
    assert not report.ok and Member.objects.count() == 5
    id_errors = [e for e in report.errors if e.header == "身份证号"]
    assert len(id_errors) == 5 and "身份证号应为18位" in str(id_errors[0])


def test_export_and_import_use_a_constant_number_of_queries(bureau, personas, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(personas.agency_officer)

    def counts(rows: int, seq: str) -> tuple[int, int]:
        data = xlsx(
            [
                row(
                    姓名=f"成员{i}",
                    身份证号=make_id(f"198001{i + 1:02d}", seq),
                    出生日期=f"1980-01-{i + 1:02d}",
                )
                for i in range(rows)
            ]
        )
        with CaptureQueriesContext(connection) as dry:
            assert import_roster(data, filename="a.xlsx", user=personas.agency_officer, dry_run=True).ok
        import_roster(data, filename="a.xlsx", user=personas.agency_officer)
        with CaptureQueriesContext(connection) as export:
            assert client.get(reverse("members:export"), {"status": "all"}).status_code == 200
        return len(dry.captured_queries), len(export.captured_queries)

    # New ID numbers each time: a known one costs one more query per 500 rows (the scope check).
    assert counts(3, "123") == counts(25, "456")
