"""Excel: base and payment imports (all or nothing, errors by row and column), and the sheets handed up."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from dangjian.dues import excel
from dangjian.dues.models import DuesBase, DuesPayment
from dangjian.members.models import Member

D = Decimal
NOV = datetime.date(2026, 11, 1)


def sheet(rows: list[list[object]]) -> io.BytesIO:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def errors(report) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(p) for p in report.file_errors + report.errors]


def test_base_import_writes_every_row(bureau) -> None:  # type: ignore[no-untyped-def]
    upload = sheet(
        [
            excel.BASE_COLUMNS,
            ["赵一明", "", "在职", 4500, "", ""],
            ["李四清", "", "离退休", "5000.01", "2027-03", ""],
        ]
    )
    report = excel.import_bases(
        upload, members=Member.objects.all(), default_month=datetime.date(2027, 1, 1), acting_user=None
    )
    assert report.ok and report.written == 2 and report.created == 2 and report.imported
    assert report.summary == "导入完成：新增 2 条，更新 0 条，0 条无变化。"
    rows = {b.member.name: b for b in DuesBase.objects.select_related("member")}
    assert rows["赵一明"].standard == D("45.00") and rows["赵一明"].effective_month == datetime.date(
        2027, 1, 1
    )
    assert rows["李四清"].category == "retired" and rows["李四清"].standard == D("50.00")


def test_base_import_with_errors_writes_nothing_and_names_row_and_column(bureau) -> None:  # type: ignore[no-untyped-def]
    upload = sheet(
        [
            excel.BASE_COLUMNS,
            ["赵一明", "", "在职", 4500, "", ""],
            ["钱二华", "", "在职", "-3000", "", ""],
            ["孙三立", "", "在职", "abc", "", ""],
            ["无此人", "", "在职", "3000", "", ""],
            ["周五平", "", "公务员", "3000", "", ""],
        ]
    )
    report = excel.import_bases(
        upload, members=Member.objects.all(), default_month=datetime.date(2027, 1, 1), acting_user=None
    )
    assert not report.ok and report.written == 0 and not report.imported
    assert errors(report) == [
        "第3行 D列（交纳基数）：交纳基数不能为负数（填写的是 -3000）。",
        "第4行 D列（交纳基数）：交纳基数“abc”不是数字，请填写金额（元），如 4500.00。",
        "第5行 A列（姓名）：“无此人”不在您管理的花名册中。",
        "第6行 C列（党费类别）：无法识别的党费类别“公务员”，应填写：在职、离退休、农民、学生、下岗失业、低保。",
    ]
    assert "整个文件未导入" in report.summary
    assert not DuesBase.objects.exists()


def test_dry_run_reports_but_writes_nothing(bureau) -> None:  # type: ignore[no-untyped-def]
    upload = sheet([excel.BASE_COLUMNS, ["赵一明", "", "在职", 4500, "", ""]])
    report = excel.import_bases(
        upload,
        members=Member.objects.all(),
        default_month=datetime.date(2027, 1, 1),
        acting_user=None,
        dry_run=True,
    )
    assert report.ok and report.dry_run and report.written == 1
    assert not DuesBase.objects.exists()


def test_payment_import_all_or_nothing_with_duplicate_receipt(bases, bureau) -> None:  # type: ignore[no-untyped-def]
    good = [
        ["赵一明", "", "2026-11", 45, "2026-11-05", "微信", "DF-1", ""],
        ["钱二华", "", "2026-11", 90, "2026-11-05", "现金", "DF-2", ""],
    ]
    dup = [["李四清", "", "2026-11", 15, "2026-11-06", "转账", "DF-1", ""]]
    early = [["孙三立", "", "2026-01", 14, "2026-11-06", "转账", "DF-3", ""]]
    report = excel.import_payments(
        sheet([excel.PAYMENT_COLUMNS, *good, *dup, *early]),
        members=Member.objects.all(),
        month=NOV,
        acting_user=None,
        on=NOV,
    )
    assert not report.ok
    assert any(e.startswith("第4行 G列（收据号）") and "已经登记过" in e for e in errors(report))
    assert any(e.startswith("第5行 C列（交纳月份）") and "2026年3月起交纳" in e for e in errors(report))
    assert not DuesPayment.objects.exists()
    report = excel.import_payments(
        sheet([excel.PAYMENT_COLUMNS, *good]),
        members=Member.objects.all(),
        month=NOV,
        acting_user=None,
        on=NOV,
    )
    assert report.ok and DuesPayment.objects.count() == 2


def test_not_an_excel_file_is_refused_in_chinese(bureau) -> None:  # type: ignore[no-untyped-def]
    report = excel.import_bases(
        io.BytesIO(b"hello"), members=Member.objects.all(), default_month=NOV, acting_user=None
    )
    assert report.unreadable and not report.imported
    assert errors(report) == ["文件不是 Excel .xlsx 格式，请上传 .xlsx 文件（可用本页的模板）。"]


def test_import_page_for_the_branch_secretary_only_reaches_their_members(
    bases, bureau, personas, login
) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.secretary_of_branch_1)
    upload = sheet([excel.PAYMENT_COLUMNS, ["李四清", "", "2026-11", 15, "2026-11-06", "转账", "DF-9", ""]])
    response = client.post(
        reverse("dues:import", args=["payments"]),
        {"file": SimpleUploadedFile("p.xlsx", upload.getvalue()), "month": "2026-11"},
        follow=True,  # to the import job's page, with its report
    )
    assert response.status_code == 200
    assert "不在您管理的花名册中" in response.content.decode()
    assert not DuesPayment.objects.exists()


def test_collection_report_and_standard_list_have_the_layout_handed_upward(
    bases, bureau, personas, login
) -> None:  # type: ignore[no-untyped-def]
    from dangjian.dues.tests.conftest import pay

    pay(bureau.member_1, "90.00", "R-1", first_month="2026-10")
    client = login(personas.secretary_of_branch_1)
    response = client.get(reverse("dues:export-collection") + "?month=2026-11")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    ws = book.active
    assert [c.value for c in ws[3]] == [
        "序号",
        "姓名",
        "类别",
        "交纳基数",
        "比例",
        "月交纳额",
        "已交月数",
        "合计",
    ]
    rows = {r[1]: r for r in ws.iter_rows(min_row=4, values_only=True)}
    assert rows["赵一明"][2:] == ("在职", 4500, "1%", 45, 2, 90)
    assert "合计" in rows
    standard = load_workbook(
        io.BytesIO(client.get(reverse("dues:export-standard") + "?month=2026-11").content)
    ).active
    assert "2026年度党费交纳标准公示表" in standard["A1"].value
    names = {r[1]: r for r in standard.iter_rows(min_row=4, values_only=True)}
    assert names["孙三立"][5] == 14 and names["孙三立"][6] == "3月起交纳"


def test_payment_dates_are_read_like_the_roster_reads_them(bases, bureau) -> None:  # type: ignore[no-untyped-def]
    rows = [
        ["赵一明", "", "2026-11", 45, "2026-11-05", "微信", "D-1", ""],
        ["钱二华", "", "2026年11月", 90, "2026.11.6", "现金", "D-2", ""],
        ["李四清", "", "2026.11", 30, "2026年11月7日", "转账", "D-3", ""],
        ["周五平", "", datetime.date(2026, 11, 1), 240, datetime.datetime(2026, 11, 8), "", "D-4", ""],
    ]
    report = excel.import_payments(
        sheet([excel.PAYMENT_COLUMNS, *rows]),
        members=Member.objects.all(),
        month=NOV,
        acting_user=None,
        on=NOV,
    )
    assert report.ok, errors(report)
    paid = dict(DuesPayment.objects.values_list("receipt_number", "paid_on"))
    assert paid == {f"D-{i}": datetime.date(2026, 11, 4 + i) for i in range(1, 5)}
    assert DuesPayment.objects.get(receipt_number="D-4").method == "cash"  # an empty method is cash


def test_a_payment_date_without_its_day_is_refused_on_its_row_and_column(bases, bureau) -> None:  # type: ignore[no-untyped-def]
    row = ["赵一明", "", "2026-11", 45, "2026.11", "微信", "D-1", ""]
    report = excel.import_payments(
        sheet([excel.PAYMENT_COLUMNS, row]), members=Member.objects.all(), month=NOV, acting_user=None, on=NOV
    )
    assert errors(report) == ["第2行 E列（交纳日期）：交纳日期须写到日，如 2026-11-05。"]
    assert not DuesPayment.objects.exists()


def test_roster_and_dues_read_an_officers_own_sheet_the_same_way(bureau) -> None:  # type: ignore[no-untyped-def]
    """One reader and one set of parsers: title rows, header variants, padded names, full-width ID
    numbers and dotted dates mean the same thing to the roster import and to the dues base import."""
    from dangjian.members.roster_import import import_roster
    from dangjian.members.tests.roster_helpers import make_id

    id_number = make_id("19850312", "456")
    header = ["序号", "党员姓名", "性别", "出生年月", "公民身份号码", "所属支部", "人员类别", "入党日期", "转正日期",
              "党费基数（元/月）", "起始月份"]  # fmt: skip
    rows = [
        ["江临市财政局机关党员花名册"],
        ["填报日期：2026年11月"],
        header,
        [1, "张  三", "男", "1985.03", "".join(chr(ord(c) + 0xFEE0) for c in id_number), " 第一党支部 ",
         "正式党员", "2010.7.1", "2011年7月1日", "５０００", "2026.11"],
    ]  # fmt: skip
    data = sheet(rows).getvalue()
    roster = import_roster(data, filename="花名册.xlsx")
    assert roster.ok, [str(p) for p in roster.errors + roster.file_errors]
    dues = excel.import_bases(
        io.BytesIO(data),
        members=Member.objects.all(),
        default_month=datetime.date(2027, 1, 1),
        acting_user=None,
    )
    assert dues.ok, errors(dues)
    assert type(dues) is type(roster)  # one report for every import
    assert (
        (dues.sheet, dues.header_row, dues.rows)
        == (roster.sheet, roster.header_row, roster.rows)
        == ("Sheet", 3, 1)
    )
    zhang = Member.objects.get(id_number=id_number)
    assert zhang.name == "张三" and zhang.birth_date == datetime.date(1985, 3, 12)
    bases = dict(zhang.dues_bases.values_list("effective_month", "amount"))
    # The roster's base from the admission month; the dues list's from its 起始月份.
    assert bases == {datetime.date(2010, 7, 1): D("5000.00"), datetime.date(2026, 11, 1): D("5000.00")}


def test_import_templates_carry_dropdowns_on_coded_columns() -> None:
    import io

    import openpyxl

    from dangjian.dues.excel import template_workbook

    for kind, header, expected in (("bases", "党费类别", "在职"), ("payments", "交纳方式", "微信")):
        ws = openpyxl.load_workbook(io.BytesIO(template_workbook(kind))).active
        column = openpyxl.utils.get_column_letter([c.value for c in ws[1]].index(header) + 1)
        found = [v for v in ws.data_validations.dataValidation if str(v.sqref).startswith(f"{column}2:")]
        assert len(found) == 1 and expected in found[0].formula1


def test_a_template_sent_back_with_its_example_row_imports_only_the_officers_rows(bases, bureau) -> None:  # type: ignore[no-untyped-def]
    book = load_workbook(io.BytesIO(excel.template_workbook("payments")))
    book.active.append(["赵一明", "", "2026-11", 45, "2026-11-05", "微信", "DF-9", ""])
    data = io.BytesIO()
    book.save(data)
    report = excel.import_payments(
        SimpleUploadedFile("交纳表.xlsx", data.getvalue()),
        members=Member.objects.all(),
        month=NOV,
        acting_user=None,
        on=NOV,
    )
    assert report.ok, errors(report)
    assert list(DuesPayment.objects.values_list("member__name", "receipt_number")) == [("赵一明", "DF-9")]
