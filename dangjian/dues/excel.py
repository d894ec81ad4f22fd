"""Excel in and out: the January base list, a month's payment list, and the two sheets a branch hands up.

Imports read the sheet with openpyxl, send every row through the same action the web form uses,
all inside one transaction: any error rolls everything back and is reported by row and column
(in Chinese); a dry run reports the same and always rolls back.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from dangjian.dues.actions import do_record_payment, do_set_base
from dangjian.dues.allocation import month_label, month_start, parse_month
from dangjian.dues.choices import BaseSource, DuesCategory, PaymentMethod
from dangjian.members.models import Member
from dangjian.members.roster import CellProblem, MonthOnly, parse_date
from dangjian.members.validators import normalize_id_number

BASE_COLUMNS = ["姓名", "身份证号", "党费类别", "交纳基数", "起始月份", "备注"]
PAYMENT_COLUMNS = ["姓名", "身份证号", "交纳月份", "金额", "交纳日期", "交纳方式", "收据号", "备注"]
# Which column a field's error belongs to, for "第3行D列（交纳基数）".
BASE_FIELD_COLUMN = {
    "member": "姓名",
    "category": "党费类别",
    "amount": "交纳基数",
    "effective_month": "起始月份",
}
PAYMENT_FIELD_COLUMN = {
    "member": "姓名",
    "first_month": "交纳月份",
    "amount": "金额",
    "paid_on": "交纳日期",
    "method": "交纳方式",
    "receipt_number": "收据号",
}


class _Rollback(Exception):
    pass


@dataclass
class ImportReport:
    """What an import did (or would do): rows read, rows written, and errors by row and column."""

    rows: int = 0
    written: int = 0
    dry_run: bool = False
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read(upload: Any, columns: list[str]) -> tuple[dict[str, int], list[tuple[int, dict[str, Any]]], str]:
    """Header → column index, then (row number, {header: value}) for each non-empty row."""
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not xlsx
        return {}, [], "无法读取文件，请上传 .xlsx 格式的 Excel 表格。"
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header_row, header = 0, {}
    for number, values in enumerate(rows, start=1):
        found = {_cell_text(v): i for i, v in enumerate(values) if _cell_text(v)}
        if "姓名" in found:
            header_row, header = number, found
            break
        if number >= 5:
            break
    if not header:
        return {}, [], f"表格前5行中找不到表头（应包含：{'、'.join(columns)}）。"
    data = []
    for number, values in enumerate(rows, start=header_row + 1):
        record = {name: (values[i] if i < len(values) else None) for name, i in header.items()}
        if all(_cell_text(v) == "" for v in record.values()):
            continue
        data.append((number, record))
    return header, data, ""


def _where(header: dict[str, int], row: int, column: str) -> str:
    if column in header:
        return f"第{row}行{get_column_letter(header[column] + 1)}列（{column}）"
    return f"第{row}行（{column}）"


def _errors(exc: ValidationError, header: dict[str, int], row: int, columns: dict[str, str]) -> list[str]:
    if hasattr(exc, "error_dict"):
        out = []
        for name, errors in exc.message_dict.items():
            where = _where(header, row, columns.get(name, "姓名")) if name in columns else f"第{row}行"
            out.extend(f"{where}：{message}" for message in errors)
        return out
    return [f"第{row}行：{message}" for message in exc.messages]


def _find_member(record: dict[str, Any], members: Any) -> Member:
    name = _cell_text(record.get("姓名"))
    id_number = normalize_id_number(_cell_text(record.get("身份证号")))
    if id_number:
        found = members.filter(id_number=id_number).first()
        if found is None:
            raise ValidationError({"member": f"身份证号{id_number}不在您管理的花名册中。"})
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


def _category(raw: Any) -> str | None:
    text = _cell_text(raw)
    if not text:
        return None
    for value, label in DuesCategory.choices:
        if text in (value, label):
            return value
    labels = "、".join(label for _v, label in DuesCategory.choices)
    raise ValidationError({"category": f"党费类别“{text}”不对，应为：{labels}。"})


def _method(raw: Any) -> str:
    text = _cell_text(raw) or PaymentMethod.CASH.label
    for value, label in PaymentMethod.choices:
        if text in (value, label):
            return value
    labels = "、".join(label for _v, label in PaymentMethod.choices)
    raise ValidationError({"method": f"交纳方式“{text}”不对，应为：{labels}。"})


def _date(raw: Any, default: datetime.date) -> datetime.date:
    """A payment date in any form the roster import reads (2026-11-05, 2026.11.5, 2026年11月5日, a date cell)."""
    try:
        day = parse_date(raw)
    except CellProblem as exc:
        raise ValidationError({"paid_on": f"交纳日期：{exc}"}) from exc
    if day is None:
        return default
    if isinstance(day, MonthOnly):
        raise ValidationError({"paid_on": f"交纳日期“{raw}”缺少日，请写成 2026-11-05。"})
    return day


def _run(
    data: Iterable[tuple[int, dict[str, Any]]],
    header: dict[str, int],
    columns: dict[str, str],
    handle: Any,
    dry_run: bool,
) -> ImportReport:
    report = ImportReport(dry_run=dry_run)
    try:
        with transaction.atomic():
            for number, record in data:
                report.rows += 1
                try:
                    with transaction.atomic():
                        handle(record)
                    report.written += 1
                except ValidationError as exc:
                    report.errors.extend(_errors(exc, header, number, columns))
            if report.errors or dry_run:
                raise _Rollback
    except _Rollback:
        if report.errors:
            report.written = 0
    return report


def import_bases(
    upload: Any, *, members: Any, default_month: datetime.date, acting_user: Any, dry_run: bool = False
) -> ImportReport:
    """The January list of new bases: one DuesBase per row, all or nothing."""
    header, data, problem = _read(upload, BASE_COLUMNS)
    if problem:
        return ImportReport(errors=[problem], dry_run=dry_run)
    if "交纳基数" not in header:
        return ImportReport(errors=["表头缺少“交纳基数”列。"], dry_run=dry_run)

    def handle(record: dict[str, Any]) -> None:
        member = _find_member(record, members)
        category = _category(record.get("党费类别"))
        raw_month = record.get("起始月份")
        try:
            month = parse_month(raw_month) if _cell_text(raw_month) else default_month
        except ValueError as exc:
            raise ValidationError({"effective_month": str(exc)}) from exc
        do_set_base(
            member,
            record.get("交纳基数"),
            effective_month=month,
            category=category,
            source=BaseSource.IMPORT,
            note=_cell_text(record.get("备注"))[:200],
            acting_user=acting_user,
            via="import",
        )

    return _run(data, header, BASE_FIELD_COLUMN, handle, dry_run)


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
    header, data, problem = _read(upload, PAYMENT_COLUMNS)
    if problem:
        return ImportReport(errors=[problem], dry_run=dry_run)
    missing = [c for c in ("金额", "收据号") if c not in header]
    if missing:
        return ImportReport(errors=[f"表头缺少“{'”“'.join(missing)}”列。"], dry_run=dry_run)

    def handle(record: dict[str, Any]) -> None:
        member = _find_member(record, members)
        raw_month = record.get("交纳月份")
        try:
            first = parse_month(raw_month) if _cell_text(raw_month) else month
        except ValueError as exc:
            raise ValidationError({"first_month": str(exc)}) from exc
        do_record_payment(
            member,
            record.get("金额"),
            paid_on=_date(record.get("交纳日期"), on),
            method=_method(record.get("交纳方式")),
            receipt_number=_cell_text(record.get("收据号")),
            first_month=first,
            note=_cell_text(record.get("备注"))[:200],
            acting_user=acting_user,
            via="import",
        )

    return _run(data, header, PAYMENT_FIELD_COLUMN, handle, dry_run)


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
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


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
    """An empty import sheet with the right headers (and one example row)."""
    if kind == "bases":
        headers, example = BASE_COLUMNS, ["张三", "", "在职", "4500.00", "2027-01", ""]
    else:
        headers, example = (
            PAYMENT_COLUMNS,
            ["张三", "", "2026-11", "45.00", "2026-11-05", "微信", "DF2026110001", ""],
        )
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    sheet.append(example)
    for col in range(1, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(col)].width = 14
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
