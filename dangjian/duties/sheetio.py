"""Excel for the duties ledgers (and integrity's): a template with drop-downs, an export, and an
all-or-nothing import whose errors name the row and column.

Each ledger describes its sheet once (``SheetSpec``: the columns, how a row becomes an unsaved
record); the template, the export and the import all follow that description, so an export
re-imports. Rows are saved through the ledger's ``do_*`` action inside one transaction: any bad
row and nothing is written. Exported text starting with = + - @ is prefixed with an apostrophe so
Excel never runs it as a formula.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from dangjian.core.cells import (
    CellProblem,
    choice_labels,
    choice_map,
    clean_text,
    parse_choice,
    parse_day,
    sentence,
)
from dangjian.core.import_report import ImportReport, Problem
from dangjian.core.sheets import Column, FileProblem, Row, Table, read_table

FORMULA_START = ("=", "+", "-", "@")
_HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
_REQUIRED_FILL = PatternFill("solid", fgColor="E6B8B7")


def neutralise(value: Any) -> Any:
    """Text that Excel would read as a formula, made plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


@dataclass(frozen=True)
class Field:
    """One column: its key (the model field it fills, so errors land on it), header and parser."""

    key: str
    header: str
    # text | date | int | decimal | choice | year | org (one the user writes to) | member (of the
    # row's org) | leader (a 党组 member) | toporg (the 党组 or 机关党委)
    kind: str = "text"
    required: bool = False
    choices: Any = None  # a TextChoices for kind "choice"
    aliases: tuple[str, ...] = ()
    width: int = 14
    max_length: int = 0

    @property
    def column(self) -> Column:
        return Column(self.key, self.header, self.aliases, self.required, self.width)


@dataclass(frozen=True)
class SheetSpec:
    """A ledger's sheet: its name, columns, how a row becomes a record and how a record a row."""

    name: str  # 责任清单
    slug: str  # items
    fields: tuple[Field, ...]
    build: Callable[[dict[str, Any], Any], Any]  # (parsed values, user) -> unsaved record
    row: Callable[[Any], list[Any]]  # record -> export row (in field order)
    example: tuple[Any, ...]
    save: Callable[..., Any]  # save(record, acting_user=, via=)
    unit: str = "条"


class _Rollback(Exception):
    pass


def _org_lookup(name: str, orgs: Any) -> Any:
    # The cell reader makes full-width brackets half-width (NFKC); names keep their own.
    names = list(dict.fromkeys([name, name.replace("(", "（").replace(")", "）")]))
    found = list(orgs.filter(name__in=names)[:2]) or list(orgs.filter(short_name__in=names)[:2])
    if not found:
        raise CellProblem(f"“{name}”不是您可以登记的党组织")
    if len(found) > 1:
        raise CellProblem(f"有两个名为“{name}”的党组织，请写全称")
    return found[0]


def _member_lookup(name: str, members: Any, org: Any) -> Any:
    if org is not None:
        members = members.filter(organization__path__startswith=org.path)
    found = list(members.filter(name=name)[:2])
    if not found:
        raise CellProblem(f"“{name}”不在您管理的花名册中" + (f"（{org.name}）" if org is not None else ""))
    if len(found) > 1:
        raise CellProblem(f"花名册中有同名党员“{name}”，请在同一行写明所在党组织")
    return found[0]


def parse_cell(field: Field, table: Table, row: Row, context: dict[str, Any]) -> Any:
    raw = table.value(row, field.key)
    text = clean_text(raw)
    if not text and not isinstance(raw, int | float | datetime.date):
        if field.required:
            raise CellProblem("不能为空")
        return None
    if field.kind == "date":
        return parse_day(raw, field.header, table.number_format(row, field.key))
    if field.kind in ("int", "year"):
        try:
            value = int(Decimal(str(raw).strip()))
        except (InvalidOperation, ValueError):
            raise CellProblem(f"“{text}”不是整数") from None
        if value < 0:
            raise CellProblem("不能为负数")
        if field.kind == "year" and not 2000 <= value <= 2100:
            raise CellProblem(f"年度“{text}”不对，请写四位年份，如 2026")
        return value
    if field.kind == "decimal":
        try:
            value = Decimal(text.replace(",", "").replace("，", ""))
        except InvalidOperation:
            raise CellProblem(f"“{text}”不是数字") from None
        if not value.is_finite():
            raise CellProblem(f"“{text}”不是数字")
        return value
    if field.kind == "choice":
        return parse_choice(raw, choice_map(field.choices), field.header, choice_labels(field.choices))
    if field.kind == "org":
        return _org_lookup(text, context["orgs"])
    if field.kind == "member":
        return _member_lookup(text, context["members"], context.get("row_org"))
    if field.kind == "leader":
        return _member_lookup(text, context["leaders"], None)
    if field.kind == "toporg":
        return _org_lookup(text, context["toporgs"])
    if field.max_length and len(text) > field.max_length:
        raise CellProblem(f"不能超过{field.max_length}个字（现有{len(text)}个字）")
    return text


def _problems(exc: ValidationError, spec: SheetSpec, table: Table, row: Row) -> list[Problem]:
    if not hasattr(exc, "error_dict"):
        return [Problem(sentence(m), row.number) for m in exc.messages]
    headers = {f.key: f.header for f in spec.fields}
    out = []
    for name, messages in exc.message_dict.items():
        letter = table.letter(name) if name in headers else ""
        out.extend(
            Problem(sentence(m), row.number, letter, headers[name] if letter else "") for m in messages
        )
    return out


def import_sheet(
    spec: SheetSpec, upload: Any, *, user: Any, context: dict[str, Any], dry_run: bool = False
) -> ImportReport:
    """Read ``upload`` and save every row through ``spec.save`` in one transaction, or nothing."""
    report = ImportReport(filename=getattr(upload, "name", "") or "", dry_run=dry_run, unit=spec.unit)
    columns = [f.column for f in spec.fields]
    try:
        table = read_table(
            upload.read(), columns, anchor=spec.fields[0].key, named=[c.header for c in columns[:3]]
        )
    except FileProblem as exc:
        report.fail(str(exc))
        return report
    report.sheet, report.header_row, report.rows = table.sheet, table.header_row, len(table.rows)
    if table.ignored:
        report.notes.append(f"以下列未读取：{'、'.join(table.ignored)}。")
    org_key = next((f.key for f in spec.fields if f.kind == "org"), None)
    base_context = context
    try:
        with transaction.atomic():
            for row in table.rows:
                context = {**base_context, "row_org": None}
                values: dict[str, Any] = {}
                errors: dict[str, list[str]] = {}
                # The row's organization first: the people on the row are looked up inside it.
                ordered = sorted(spec.fields, key=lambda f: f.key != org_key)
                for field in ordered:
                    try:
                        values[field.key] = parse_cell(field, table, row, context)
                    except CellProblem as exc:
                        errors.setdefault(field.key, []).append(str(exc))
                        continue
                    if field.key == org_key:
                        context["row_org"] = values[field.key]
                try:
                    if errors:
                        raise ValidationError(errors)
                    with transaction.atomic():
                        record = spec.build(values, user)
                        spec.save(record, acting_user=user, via="import")
                except ValidationError as exc:
                    for problem in _problems(exc, spec, table, row):
                        report.add_error(problem)
                    continue
                report.created += 1
            if report.error_count or dry_run:
                raise _Rollback
    except _Rollback:
        if report.error_count:
            report.reject()
    report.imported = report.ok and not dry_run
    return report


def _header(ws: Any, fields: Sequence[Field], row: int = 1) -> None:
    for index, field in enumerate(fields, start=1):
        cell = ws.cell(row=row, column=index, value=field.header)
        cell.font = Font(bold=True)
        cell.fill = _REQUIRED_FILL if field.required else _HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        ws.column_dimensions[get_column_letter(index)].width = field.width + 2
    ws.freeze_panes = f"A{row + 1}"


def template_workbook(spec: SheetSpec, *, org_names: Sequence[str] = ()) -> bytes:
    """An empty sheet with the headers, one example row and drop-downs for coded columns."""
    book = Workbook()
    ws = book.active
    ws.title = spec.name[:31]
    _header(ws, spec.fields)
    ws.append([neutralise(v) for v in spec.example])
    lists = book.create_sheet("选项")
    list_col = 0
    for index, field in enumerate(spec.fields, start=1):
        options: list[str] = []
        if field.kind == "choice":
            options = [str(label) for _v, label in field.choices.choices]
        elif field.kind == "org":
            options = list(org_names)[:2000]
        if not options:
            continue
        list_col += 1
        letter = get_column_letter(list_col)
        lists.cell(row=1, column=list_col, value=field.header)
        for r, option in enumerate(options, start=2):
            lists.cell(row=r, column=list_col, value=neutralise(option))
        validation = DataValidation(
            type="list",
            formula1=f"'选项'!${letter}$2:${letter}${len(options) + 1}",
            allow_blank=not field.required,
            showErrorMessage=True,
            errorTitle="请从下拉列表中选择",
            error=f"{field.header}应从下拉列表中选择。",
        )
        ws.add_data_validation(validation)
        target = get_column_letter(index)
        validation.add(f"{target}2:{target}2000")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_workbook(spec: SheetSpec, records: Any, *, title: str) -> bytes:
    """The records in the template's columns (so the export re-imports), with a title row above.

    Written in openpyxl's write-only mode: a province's list runs to tens of thousands of rows,
    and the normal mode's row bookkeeping grows with the square of that.
    """
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    ws = book.create_sheet(spec.name[:31])
    for index, field in enumerate(spec.fields, start=1):
        ws.column_dimensions[get_column_letter(index)].width = field.width + 2
    ws.freeze_panes = "A3"
    heading = WriteOnlyCell(ws, value=title)
    heading.font = Font(size=14, bold=True)
    ws.append([heading])
    header = []
    for field in spec.fields:
        cell = WriteOnlyCell(ws, value=field.header)
        cell.font = Font(bold=True)
        cell.fill = _REQUIRED_FILL if field.required else _HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        header.append(cell)
    ws.append(header)
    for record in records:
        row = []
        for value in spec.row(record):
            value = neutralise(value)
            if isinstance(value, datetime.date):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = "yyyy-mm-dd"
                value = cell
            row.append(value)
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
