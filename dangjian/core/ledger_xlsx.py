"""Writing a ledger's import template and export: headers, dropdowns for coded columns, safe cells.

A template names its coded columns' allowed values in a hidden "选项" sheet and puts a list
validation on the column, so an officer picks 巡察 or 审计 from a dropdown instead of typing a
word the import will refuse. An export keeps text that a spreadsheet would run as a formula
(descriptions are typed by users) as text, unchanged, so it re-imports as it was
(``core.sheets.as_text`` / ``workbook_bytes``, the one rule of every export).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from dangjian.core.sheets import Column, as_text, workbook_bytes

TEMPLATE_ROWS = 1000
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
_REQUIRED_FILL = PatternFill("solid", fgColor="E6B8B7")


@dataclass
class TemplateSpec:
    """What a template holds: its sheet name, columns, dropdowns by column key, an example, notes."""

    title: str
    columns: Sequence[Column]
    choices: dict[str, list[str]] = field(default_factory=dict)
    example: dict[str, Any] = field(default_factory=dict)
    notes: Sequence[str] = ()
    date_keys: Sequence[str] = ()


def template_workbook(spec: TemplateSpec) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = spec.title[:31]
    keys = [c.key for c in spec.columns]
    ws.append([c.header for c in spec.columns])
    for index, col in enumerate(spec.columns, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font = _HEADER_FONT
        cell.fill = _REQUIRED_FILL if col.required else _HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        ws.column_dimensions[get_column_letter(index)].width = col.width + 2
    ws.freeze_panes = "A2"
    if spec.example:
        ws.append([spec.example.get(k) for k in keys])
        for index, key in enumerate(keys, start=1):
            cell = ws.cell(row=2, column=index)
            cell.font = Font(color="808080", italic=True)
            if key in spec.date_keys:
                cell.number_format = "yyyy-mm-dd"
    if spec.choices:
        options = book.create_sheet("选项")
        for n, (key, values) in enumerate(spec.choices.items(), start=1):
            letter = get_column_letter(n)
            header = next(c.header for c in spec.columns if c.key == key)
            options.cell(row=1, column=n, value=header)
            for r, value in enumerate(values, start=2):
                options.cell(row=r, column=n, value=value)
            if not values:
                continue  # a list of nothing would refuse every value typed in the column
            last = max(len(values), 1) + 1
            rule = DataValidation(
                type="list",
                formula1=f"=选项!${letter}$2:${letter}${last}",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="无效的值",
                error=f"“{header}”请从下拉列表中选择。",
            )
            target = get_column_letter(keys.index(key) + 1)
            rule.add(f"{target}2:{target}{TEMPLATE_ROWS + 1}")
            ws.add_data_validation(rule)
        options.sheet_state = "hidden"
    for key in spec.date_keys:
        letter = get_column_letter(keys.index(key) + 1)
        for row in range(3, TEMPLATE_ROWS + 2):
            ws[f"{letter}{row}"].number_format = "yyyy-mm-dd"
    if spec.notes:
        notes = book.create_sheet("填写说明")
        for line in spec.notes:
            notes.append([line])
        notes.column_dimensions["A"].width = 110
    return save(book)


def export_workbook(
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[int],
    *,
    heading: str = "",
) -> bytes:
    """A plain list as .xlsx: a header row, then the rows, user-typed text neutralised.

    With ``heading`` (2026年责任清单) a title row stands above the header; the import reads past it.
    Written in openpyxl's write-only mode: a province's list runs to tens of thousands of rows,
    and the normal mode's row bookkeeping grows with the square of that.
    """
    book = Workbook(write_only=True)
    ws = book.create_sheet(title[:31])
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A3" if heading else "A2"
    if heading:
        cell = WriteOnlyCell(ws, value=heading)
        cell.font = Font(size=14, bold=True)
        ws.append([cell])
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(ws, value=header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        header_cells.append(cell)
    ws.append(header_cells)
    for row in rows:
        ws.append([_export_value(ws, v) for v in row])
    return save(book)


def _export_value(ws: Any, value: Any) -> Any:
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "yyyy-mm-dd"  # a date, not a date and midnight
        return cell
    if isinstance(value, Decimal | int | float) or value is None:
        return value
    return as_text(WriteOnlyCell(ws, value=str(value)))


def save(book: Workbook) -> bytes:
    return workbook_bytes(book)
