"""Writing roster workbooks: the import template and the export share the columns, so an export re-imports."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from dangjian.core.id_numbers import id_check_digit, mask_id_number
from dangjian.core.personal import personal
from dangjian.core.scope import can_see_personal_data
from dangjian.core.sheets import Column, add_dropdown, as_text, workbook_bytes
from dangjian.members import extensions
from dangjian.members.choices import DuesCategory, Education, Gender, MemberStatus
from dangjian.members.models import Member
from dangjian.members.roster_columns import DATE_KEYS, EXAMPLE_MARK, TEXT_KEYS, columns

EXPORT_CHUNK = 2000

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
_REQUIRED_FILL = PatternFill("solid", fgColor="E6B8B7")


def _number_formats() -> dict[str, str]:
    formats = {key: "@" for key in TEXT_KEYS} | {key: "yyyy-mm-dd" for key in DATE_KEYS}
    formats.update({f.key: f.number_format for f in extensions.registered()})
    return formats


def _sheet_header(ws: Any, cols: tuple[Column, ...]) -> None:
    ws.append([c.header for c in cols])
    for index, col in enumerate(cols, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font = _HEADER_FONT
        cell.fill = _REQUIRED_FILL if col.required else _HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        ws.column_dimensions[get_column_letter(index)].width = col.width + 2
    ws.freeze_panes = "A2"


def _member_value(member: Member, key: str, *, show_id: bool) -> Any:
    if key == "organization":
        return member.organization.name
    if key == "cell":
        return member.cell.name if member.cell_id else ""
    if key == "id_number":
        return (member.id_number or "") if show_id else mask_id_number(member.id_number or "")
    if not show_id and key in ("phone", "birth_date", "native_place"):
        # the masked ID beside the full birth date and 籍贯 would still identify the person
        return getattr(personal(member, show=False), key)
    if key in ("gender", "education", "status", "dues_category"):
        return getattr(member, f"get_{key}_display")() if getattr(member, key) else ""
    if key == "is_mobile":
        return "是" if member.is_mobile else "否"
    return getattr(member, key)


def example_id_number() -> str:
    first17 = "11010519850312123"
    return first17 + id_check_digit(first17)


def _dropdowns(ws: Any, cols: tuple[Column, ...], org_names: list[str], cell_names: list[str]) -> None:
    """Dropdowns on the coded columns, so a typo is caught while typing rather than on import.

    Columns whose importer also reads variants (本科, 退休 …) or short names only warn on
    a value outside the list; 性别 and 流动党员 refuse it.
    """
    lists: dict[str, tuple[list[str], bool]] = {
        "gender": ([label for _v, label in Gender.choices], False),
        "education": ([label for _v, label in Education.choices], True),
        # An import sets a member probationary or full; other statuses come from their own steps.
        "status": ([MemberStatus.PROBATIONARY.label, MemberStatus.FULL.label], False),
        "dues_category": ([label for _v, label in DuesCategory.choices], True),
        "is_mobile": (["是", "否"], False),
        "organization": (org_names, True),
        "cell": (cell_names, True),
    }
    for index, col in enumerate(cols, start=1):
        if col.key in lists:
            values, allow_other = lists[col.key]
            add_dropdown(ws, index, values, header=col.header, allow_other=allow_other)


def template_workbook(
    *,
    branch_name: str = "第一党支部",
    cell_name: str = "",
    org_names: list[str] | None = None,
    cell_names: list[str] | None = None,
) -> bytes:
    """The import template: the header, one example row (skipped on import), dropdowns on the
    coded columns (``org_names``/``cell_names``: the organizations the user may import into) and
    the instructions."""
    cols = columns()
    formats = _number_formats()
    book = Workbook()
    ws = book.active
    ws.title = "花名册"
    _sheet_header(ws, cols)
    example = {
        "name": EXAMPLE_MARK + "张三",
        "gender": "男",
        "ethnicity": "汉族",
        "birth_date": datetime.date(1985, 3, 12),
        "native_place": "某省某市",
        "education": "大学本科",
        "id_number": example_id_number(),
        "phone": "13800000000",
        "department": "办公室",
        "job_title": "科员",
        "organization": branch_name,
        "cell": cell_name,
        "status": "正式党员",
        "admission_date": datetime.date(2010, 7, 1),
        "confirmation_date": datetime.date(2011, 7, 1),
        "dues_category": "在职",
        "is_mobile": "否",
        "note": "示例行：以“（示例）”开头的行导入时会跳过",
    }
    example.update({f.key: f.example for f in extensions.registered()})
    ws.append([example.get(c.key) for c in cols])
    for index, col in enumerate(cols, start=1):
        cell = ws.cell(row=2, column=index)
        cell.font = Font(color="808080", italic=True)
        if col.key in formats:
            cell.number_format = formats[col.key]
    _dropdowns(ws, cols, org_names or [branch_name], cell_names or ([cell_name] if cell_name else []))
    for key in TEXT_KEYS:
        letter = get_column_letter([c.key for c in cols].index(key) + 1)
        for row in range(3, 1003):
            ws[f"{letter}{row}"].number_format = "@"  # so Excel does not turn ID numbers into 1.1E+17

    notes = book.create_sheet("填写说明")
    notes.append(["党员花名册导入模板 · 填写说明"])
    notes["A1"].font = Font(bold=True, size=14)
    notes.append([])
    for line in (
        "1. 每行一名党员，从第2行开始填写；第2行是示例，可以删除，保留也会被跳过（姓名以“（示例）”开头）。",
        "2. 深色表头为必填列。表头上方可以有标题行；列的顺序可以调整，也认常见的列名写法。",
        "3. 身份证号已在花名册中的，视为修改该党员的信息；同一个文件重复导入不会重复添加。",
        "4. 导入前会逐行检查，有任何一处问题，整个文件都不会导入，并按“第几行、哪一列”列出问题。"
        "可以先勾选“试导入”只做检查。",
        "5. 导出的花名册与本模板列相同，可改后再导入（身份证号被遮挡的导出文件不能再导入）。",
    ):
        notes.append([line])
    notes.append([])
    notes.append(["列名", "是否必填", "也认作", "填写要求"])
    for cell in notes[notes.max_row]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    for col in cols:
        notes.append([col.header, "必填" if col.required else "", "、".join(col.aliases), col.hint])
    for letter, width in zip("ABCD", (14, 10, 36, 90), strict=True):
        notes.column_dimensions[letter].width = width
    return _save(book)


def export_roster(members: QuerySet[Member], *, user: Any = None) -> bytes:
    """The roster as .xlsx with the template's columns; ID numbers masked unless the user may see them.

    Fields other apps keep (the dues base) show what that app holds now, read a chunk of
    members at a time, so the export stays a constant number of queries per 2,000 members.
    """
    cols = columns()
    formats = _number_formats()
    fields = {f.key: f for f in extensions.registered()}
    book = Workbook(write_only=True)
    ws = book.create_sheet("花名册")
    header = []
    for col in cols:
        cell = WriteOnlyCell(ws, value=col.header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        header.append(cell)
    ws.append(header)
    for index, col in enumerate(cols, start=1):
        ws.column_dimensions[get_column_letter(index)].width = col.width + 2
    ws.freeze_panes = "A2"
    # The list page's order (members.views.member_list), so the file reads like the page.
    qs = members.select_related("organization", "cell").order_by(
        "organization__order", "organization__name", "name", "id"
    )
    chunk: list[Member] = []

    def flush() -> None:
        states = {key: field.current(chunk) for key, field in fields.items()}
        for member in chunk:
            show = user is None or can_see_personal_data(user, member)
            cells = []
            for col in cols:
                if col.key in fields:
                    value = fields[col.key].shown(states[col.key].get(member.pk))
                else:
                    value = _member_value(member, col.key, show_id=show)
                cell = as_text(WriteOnlyCell(ws, value=value))
                if col.key in formats:
                    cell.number_format = formats[col.key]
                cells.append(cell)
            ws.append(cells)
        chunk.clear()

    for member in qs.iterator(chunk_size=EXPORT_CHUNK):
        chunk.append(member)
        if len(chunk) >= EXPORT_CHUNK:
            flush()
    if chunk:
        flush()
    return _save(book)


def _save(book: Workbook) -> bytes:
    return workbook_bytes(book)
