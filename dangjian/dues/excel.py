"""Excel in and out: the January base list, a month's payment list, and the two sheets a branch hands up.

Imports read the sheet with the roster's reader and cell parsers (``core.sheets``,
``core.cells``: title rows, header variants, dates and ID numbers written any way), send every
row through the same action the web form uses, all inside one transaction: any error rolls
everything back and is reported by row and column (in Chinese) in the shared ``ImportReport``;
a dry run reports the same and always rolls back.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from dangjian.core.cells import (
    choice_labels,
    choice_map,
    clean_text,
    parse_choice,
    parse_day,
    parse_id_number,
    parse_month,
    parse_name,
)
from dangjian.core.import_report import ImportReport
from dangjian.core.ledger_import import EXAMPLE_MARK, LedgerSheet, RowHandler, cell
from dangjian.core.sheets import (
    ID_NUMBER_ALIASES,
    NAME_ALIASES,
    Column,
    Row,
    Table,
    add_dropdown,
    workbook_bytes,
)
from dangjian.dues.actions import do_record_payment, do_set_base
from dangjian.dues.allocation import month_label, month_start
from dangjian.dues.choices import BaseSource, DuesCategory, PaymentMethod
from dangjian.dues.models import DuesBase
from dangjian.members.choices import DUES_CATEGORY_WORDS
from dangjian.members.models import Member

_NAME = Column("name", "姓名", NAME_ALIASES)
_ID_NUMBER = Column("id_number", "身份证号", ID_NUMBER_ALIASES)
_NOTE = Column("note", "备注")
BASE_SHEET: tuple[Column, ...] = (
    _NAME,
    _ID_NUMBER,
    Column("category", "党费类别", ("交纳类别",)),
    Column("amount", "交纳基数", ("党费基数", "党费交纳基数", "缴纳基数"), required=True),
    Column("effective_month", "起始月份", ("执行月份", "起始年月")),
    _NOTE,
)
PAYMENT_SHEET: tuple[Column, ...] = (
    _NAME,
    _ID_NUMBER,
    Column("first_month", "交纳月份", ("缴纳月份", "所属月份")),
    Column("amount", "金额", ("交纳金额", "缴纳金额", "党费金额"), required=True),
    Column("paid_on", "交纳日期", ("缴纳日期",)),
    Column("method", "交纳方式", ("缴纳方式",)),
    Column("receipt_number", "收据号", ("收据编号", "票据号"), required=True),
    _NOTE,
)
SHEETS = {"bases": BASE_SHEET, "payments": PAYMENT_SHEET}
BASE_COLUMNS = [c.header for c in BASE_SHEET]
PAYMENT_COLUMNS = [c.header for c in PAYMENT_SHEET]
# Which column an action's error belongs to, for "第3行 D列（交纳基数）"; others name the row.
FIELD_COLUMN = {
    "member": "name",
    "id_number": "id_number",
    "category": "category",
    "amount": "amount",
    "effective_month": "effective_month",
    "first_month": "first_month",
    "paid_on": "paid_on",
    "method": "method",
    "receipt_number": "receipt_number",
}
CATEGORIES = choice_map(DuesCategory, DUES_CATEGORY_WORDS)
METHODS = choice_map(PaymentMethod)


def _sheet_of(kind: str) -> LedgerSheet:
    # A row that met a base already there changes it; a payment row always adds one. Each row goes
    # through the form's action in one write transaction, hence a lower row limit than the roster's.
    columns = SHEETS[kind]
    return LedgerSheet(
        columns,
        unit="条",
        anchor="name",
        named=[c.header for c in columns[:4]],
        existing="updated",
        field_columns=FIELD_COLUMN,
        max_rows=settings.DUES_IMPORT_MAX_ROWS,
    )


def read_sheet(data: bytes, kind: str, *, filename: str, dry_run: bool) -> tuple[ImportReport, Table | None]:
    """Read a base (``kind="bases"``) or payment list: its report so far, and its rows (None: unreadable)."""
    return _sheet_of(kind).read(data, filename=filename, dry_run=dry_run)


def write_rows(
    report: ImportReport, table: Table, handle: RowHandler, *, kind: str, dry_run: bool
) -> ImportReport:
    """Hand every row to ``handle`` in one transaction, all or nothing (``core.ledger_import``)."""
    return _sheet_of(kind).write(report, table, handle, dry_run=dry_run)


def _find_member(table: Table, row: Row, members: Any) -> Member:
    name = parse_name(table.value(row, "name"))
    id_number = cell("id_number", lambda: parse_id_number(table.value(row, "id_number")))
    if id_number:
        found = members.filter(id_number=id_number).first()
        if found is None:
            raise ValidationError({"id_number": f"身份证号{id_number}不在您管理的花名册中。"})
        if name and found.name != name:
            raise ValidationError({"member": f"姓名“{name}”与身份证号对应的党员“{found.name}”不一致。"})
        return found
    if not name:
        raise ValidationError({"member": "姓名不能为空。"})
    matches = list(members.filter(name=name)[:2])
    if not matches:
        raise ValidationError({"member": f"“{name}”不在您管理的花名册中。"})
    if len(matches) > 1:
        raise ValidationError({"member": f"花名册中有同名党员“{name}”，请填写身份证号区分。"})
    return matches[0]


def _date(raw: Any, default: datetime.date, number_format: str = "General") -> datetime.date:
    """A payment date in any form the roster import reads (2026-11-05, 2026.11.5, 2026年11月5日, a date cell)."""
    day = cell("paid_on", lambda: parse_day(raw, "交纳日期", number_format))
    return default if day is None else day


def _month(table: Table, row: Row, key: str, default: datetime.date) -> datetime.date:
    month = cell(key, lambda: parse_month(table.value(row, key), table.number_format(row, key)))
    return default if month is None else month


def _amount(raw: Any) -> Any:
    # Text goes to the action's own money parser (Decimal, never float) with full-width digits made plain.
    return clean_text(raw).replace(" ", "") if isinstance(raw, str) else raw


def _run(upload: Any, kind: str, handle: RowHandler, *, dry_run: bool) -> ImportReport:
    """Read the sheet and write its rows, all or nothing (the CLI and tests; the web page uses a job)."""
    data = upload if isinstance(upload, bytes) else upload.read()
    report, table = read_sheet(data, kind, filename=getattr(upload, "name", "") or "", dry_run=dry_run)
    return report if table is None else write_rows(report, table, handle, kind=kind, dry_run=dry_run)


def base_rows(*, members: Any, default_month: datetime.date, acting_user: Any) -> RowHandler:
    """How a row of the January base list is written: one DuesBase for a member in ``members``."""

    def handle(table: Table, row: Row) -> bool:
        member = _find_member(table, row, members)
        category = cell(
            "category",
            lambda: parse_choice(
                table.value(row, "category"), CATEGORIES, "党费类别", choice_labels(DuesCategory)
            ),
        )
        month = _month(table, row, "effective_month", default_month)
        created = not DuesBase.objects.filter(member=member, effective_month=month).exists()
        do_set_base(
            member,
            _amount(table.value(row, "amount")),
            effective_month=month,
            category=category or None,
            source=BaseSource.IMPORT,
            note=clean_text(table.value(row, "note"))[:200],
            acting_user=acting_user,
            via="import",
        )
        return created

    return handle


def payment_rows(*, members: Any, month: datetime.date, acting_user: Any, on: datetime.date) -> RowHandler:
    """How a row of a month's payment list is written: one payment, spread over months."""

    def handle(table: Table, row: Row) -> bool:
        member = _find_member(table, row, members)
        method = cell(
            "method",
            lambda: parse_choice(
                table.value(row, "method"), METHODS, "交纳方式", choice_labels(PaymentMethod)
            ),
        )
        do_record_payment(
            member,
            _amount(table.value(row, "amount")),
            paid_on=_date(table.value(row, "paid_on"), on, table.number_format(row, "paid_on")),
            method=method or PaymentMethod.CASH,
            receipt_number=clean_text(table.value(row, "receipt_number")),
            first_month=_month(table, row, "first_month", month),
            note=clean_text(table.value(row, "note"))[:200],
            acting_user=acting_user,
            via="import",
        )
        return True

    return handle


def import_bases(
    upload: Any, *, members: Any, default_month: datetime.date, acting_user: Any, dry_run: bool = False
) -> ImportReport:
    """The January list of new bases: one DuesBase per row, all or nothing."""
    handle = base_rows(members=members, default_month=default_month, acting_user=acting_user)
    return _run(upload, "bases", handle, dry_run=dry_run)


def import_payments(
    upload: Any,
    *,
    members: Any,
    month: datetime.date,
    acting_user: Any,
    dry_run: bool = False,
    on: datetime.date,
) -> ImportReport:
    """A month's payment list: one payment per row, spread over months, all or nothing."""
    handle = payment_rows(members=members, month=month, acting_user=acting_user, on=on)
    return _run(upload, "payments", handle, dry_run=dry_run)


# ---- exports -------------------------------------------------------------------------------

_THIN = Side(style="thin", color="999999")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _sheet(title: str, subtitle: str, headers: list[str], rows: list[list[Any]], widths: list[int]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.cell(1, 1, title).font = Font(size=16, bold=True)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(headers))
    sheet.cell(2, 1, subtitle).alignment = Alignment(horizontal="left")
    for col, text in enumerate(headers, start=1):
        cell = sheet.cell(3, col, text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.border = _BOX
        sheet.column_dimensions[get_column_letter(col)].width = widths[col - 1]
    for r, values in enumerate(rows, start=4):
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(r, col, value)
            cell.border = _BOX
            if isinstance(value, Decimal):
                cell.number_format = "0.00"
    sheet.freeze_panes = "A4"
    sheet.print_title_rows = "3:3"
    return workbook_bytes(book)


def standard_list(org: Any, year: int, lines: list[dict[str, Any]]) -> bytes:
    """标准公示表: the year's standard per member, for the secretary to publish."""
    rows = [
        [i, ln["name"], ln["category"], ln["base"], ln["rate"], ln["standard"], ln.get("note", "")]
        for i, ln in enumerate(lines, start=1)
    ]
    return _sheet(
        f"{org.name}{year}年度党费交纳标准公示表",
        f"依据：中组部《关于中国共产党党费收缴、使用和管理的规定》　单位：元　共{len(rows)}人",
        ["序号", "姓名", "类别", "交纳基数", "比例", "月交纳额", "备注"],
        rows,
        [6, 12, 10, 12, 8, 12, 24],
    )


def collection_report(org: Any, month: datetime.date, lines: list[dict[str, Any]]) -> bytes:
    """The monthly collection report in the layout a branch hands upward."""
    rows = [
        [
            i,
            ln["name"],
            ln["category"],
            ln["base"],
            ln["rate"],
            ln["standard"],
            ln["months_paid"],
            ln["total"],
        ]
        for i, ln in enumerate(lines, start=1)
    ]
    total = sum((ln["total"] for ln in lines), Decimal("0.00"))
    rows.append(["", "合计", "", "", "", "", sum(ln["months_paid"] for ln in lines), total])
    first = month_start(month).replace(month=1)
    return _sheet(
        f"{org.name}党费收缴情况表（{month_label(month)}）",
        f"统计期间：{month_label(first)}至{month_label(month)}　单位：元",
        ["序号", "姓名", "类别", "交纳基数", "比例", "月交纳额", "已交月数", "合计"],
        rows,
        [6, 12, 10, 12, 8, 12, 10, 12],
    )


def template_workbook(kind: str) -> bytes:
    """An empty import sheet with the right headers and one example row, marked （示例） so that a
    template sent back with it left in imports the officer's rows only."""
    if kind == "bases":
        headers, example = BASE_COLUMNS, [EXAMPLE_MARK + "张三", "", "在职", "4500.00", "2027-01", ""]
    else:
        headers, example = (
            PAYMENT_COLUMNS,
            [EXAMPLE_MARK + "张三", "", "2026-11", "45.00", "2026-11-05", "微信", "DF2026110001", ""],
        )
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    sheet.append(example)
    for col in range(1, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(col)].width = 14
    # Dropdowns on the coded columns; the importer also reads variants, so others only warn.
    if kind == "bases":
        coded = {"党费类别": [label for _v, label in DuesCategory.choices]}
    else:
        coded = {"交纳方式": [label for _v, label in PaymentMethod.choices]}
    for header, values in coded.items():
        add_dropdown(sheet, headers.index(header) + 1, values, header=header, allow_other=True)
    return workbook_bytes(book)
