"""Excel export of the compliance matrix: coloured cells, Chinese headers, the rules and warnings."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from dangjian.compliance.choices import CellStatus
from dangjian.compliance.evaluator import Matrix
from dangjian.compliance.warnings import Warning
from dangjian.core.sheets import workbook_bytes

FILLS = {
    CellStatus.DONE: PatternFill("solid", fgColor="C6EFCE"),
    CellStatus.MISSING: PatternFill("solid", fgColor="F4B6B0"),
    CellStatus.DUE: PatternFill("solid", fgColor="FFE7A8"),
    CellStatus.NA: PatternFill("solid", fgColor="EEEEEE"),
}
MARKS = {CellStatus.DONE: "✓", CellStatus.MISSING: "✗", CellStatus.DUE: "待", CellStatus.NA: "—"}
HEADER_FILL = PatternFill("solid", fgColor="B22222")
HEADER_FONT = Font(bold=True, color="FFFFFF")
THIN = Side(style="thin", color="BBBBBB")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def matrix_workbook(matrix: Matrix, warnings: Sequence[Warning] = ()) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "合规矩阵"
    ws["A1"] = f"{matrix.root.name} {matrix.period.label}组织生活合规检查（截至{matrix.on:%Y年%m月%d日}）"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=6)
    ws.cell(2, 1, "✓已完成  ✗未完成  待＝本期待完成  —不适用或未到期")
    header_rule, header_slot = 3, 4
    for col, text in ((1, "党组织"), (2, "类别")):
        for row in (header_rule, header_slot):
            c = ws.cell(row, col, text if row == header_rule else "")
            c.fill, c.font, c.alignment, c.border = HEADER_FILL, HEADER_FONT, CENTER, BORDER
        ws.merge_cells(start_row=header_rule, start_column=col, end_row=header_slot, end_column=col)
    col = 3
    layout = []
    for spec in matrix.rules:
        slots = matrix.slots_for(spec)
        c = ws.cell(header_rule, col, f"{spec.name}（{spec.current.get_frequency_display()}）")
        c.fill, c.font, c.alignment, c.border = HEADER_FILL, HEADER_FONT, CENTER, BORDER
        if len(slots) > 1:
            ws.merge_cells(
                start_row=header_rule, start_column=col, end_row=header_rule, end_column=col + len(slots) - 1
            )
        for i, slot in enumerate(slots):
            s = ws.cell(header_slot, col + i, slot.short_label)
            s.font, s.alignment, s.border = Font(bold=True), CENTER, BORDER
            ws.column_dimensions[get_column_letter(col + i)].width = 6 if len(slots) > 1 else 9
        layout.append((spec, slots, col))
        col += len(slots)
    row = header_slot + 1
    for org in matrix.orgs:
        ws.cell(row, 1, "　" * org.depth + org.name).border = BORDER
        ws.cell(row, 2, org.kind_label).border = BORDER
        for spec, slots, start in layout:
            for i, slot in enumerate(slots):
                cell = matrix.cell(org, spec, slot)
                c = ws.cell(row, start + i, MARKS[CellStatus(cell.status)])
                c.fill, c.alignment, c.border = FILLS[CellStatus(cell.status)], CENTER, BORDER
        row += 1
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 9
    ws.freeze_panes = ws.cell(header_slot + 1, 3)

    rules = wb.create_sheet("规则与依据")
    rules.append(["规则", "要求", "频次", "最少次数", "适用组织", "依据", "依据状态", "生效日期", "失效日期"])
    for spec in matrix.rules:
        for r in spec.rows:
            rules.append(
                [
                    r.name,
                    r.requirement,
                    r.get_frequency_display(),
                    r.minimum,
                    r.org_kind_labels,
                    r.source,
                    r.get_source_status_display(),
                    r.valid_from,
                    r.valid_to,
                ]
            )
    _style_table(rules, [14, 46, 8, 8, 14, 40, 20, 12, 12])

    sheet = wb.create_sheet("预警")
    sheet.append(["程度", "党组织", "内容", "依据"])
    for w in warnings:
        sheet.append([w.level_label, w.org_name, w.text, w.source])
        if w.level == "danger":
            sheet.cell(sheet.max_row, 1).fill = FILLS[CellStatus.MISSING]
        else:
            sheet.cell(sheet.max_row, 1).fill = FILLS[CellStatus.DUE]
    _style_table(sheet, [10, 24, 60, 40])

    return workbook_bytes(wb)


def _style_table(ws, widths: list[int]) -> None:  # type: ignore[no-untyped-def]
    for cell in ws[1]:
        cell.fill, cell.font, cell.alignment, cell.border = HEADER_FILL, HEADER_FONT, CENTER, BORDER
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
