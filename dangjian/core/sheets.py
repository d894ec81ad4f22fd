"""Reading an officer's .xlsx into rows under a header: the one reader every Excel import uses.

Officers hand in their own sheets, not ours: a title row or two above the header, columns in any
order, headers written several ways (出生年月 for 出生日期, 身份证号码 for 身份证号), extra columns
we do not know. ``read_table`` finds the sheet and the header row, maps each known column to its
position, and returns the non-empty rows below it with their Excel row numbers and number
formats; anything that makes the file unreadable raises ``FileProblem`` with a Chinese sentence.
Cells are then read with the parsers in ``core.cells``.

The workbook is read straight from its XML (``_fast_sheets``), falling back to openpyxl for
anything unusual: openpyxl's read-only reader takes seconds on a 10,000-row export.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

from django.conf import settings
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from dangjian.core.cells import clean_text, normalize_header

HEADER_SCAN_ROWS = 10  # a title row or two may sit above the header in officers' own sheets
# How officers head the two columns that say who a row is about, on any list of members.
NAME_ALIASES = ("党员姓名",)
ID_NUMBER_ALIASES = ("身份证号码", "公民身份号码", "公民身份证号码", "身份证")


class FileProblem(Exception):
    """The file cannot be read as the expected sheet at all (message in Chinese)."""


@dataclass(frozen=True)
class Column:
    """One column of an import sheet: its key, the header we write, and the headers we also read."""

    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    width: int = 12
    hint: str = ""


@dataclass
class Sheet:
    """A worksheet's cell values and number formats, row by row (row 1 first)."""

    title: str
    rows: list[tuple[Any, ...]]
    formats: list[tuple[str, ...]]


@dataclass(frozen=True)
class Header:
    """Where the header is: its 0-based row index, {column key: 0-based column}, headers not known."""

    index: int
    columns: dict[str, int]
    ignored: list[str]


@dataclass
class Row:
    """One non-empty row under the header, numbered as Excel shows it."""

    number: int
    values: tuple[Any, ...]
    formats: tuple[str, ...]


@dataclass
class Table:
    """The rows of the chosen sheet under its header, with each known column's position."""

    sheet: str
    header_row: int  # as Excel numbers it
    columns: dict[str, int]
    ignored: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)

    def has(self, key: str) -> bool:
        return key in self.columns

    def value(self, row: Row, key: str) -> Any:
        """The raw value of ``key``'s cell in ``row`` (None when the column or the cell is missing)."""
        index = self.columns.get(key)
        if index is None or index >= len(row.values):
            return None
        return row.values[index]

    def number_format(self, row: Row, key: str) -> str:
        index = self.columns.get(key)
        if index is None or index >= len(row.formats):
            return "General"
        return row.formats[index]

    def letter(self, key: str) -> str:
        """The column's letter as Excel shows it ("" when the sheet lacks the column)."""
        index = self.columns.get(key)
        return get_column_letter(index + 1) if index is not None else ""


def header_lookup(columns: Sequence[Column]) -> dict[str, str]:
    """Normalized header text → column key, for the headers and all their aliases."""
    lookup: dict[str, str] = {}
    for col in columns:
        for name in (col.header, *col.aliases):
            lookup.setdefault(normalize_header(name), col.key)
    return lookup


def find_header(
    rows: list[tuple[Any, ...]], columns: Sequence[Column], *, anchor: str = "name"
) -> Header | None:
    """The header row among the first rows: the one naming ``anchor`` and the most known columns."""
    lookup = header_lookup(columns)
    best: Header | None = None
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found: dict[str, int] = {}
        ignored: list[str] = []
        for col, value in enumerate(row):
            name = normalize_header(value)
            if not name:
                continue
            key = lookup.get(name)
            if key and key not in found:
                found[key] = col
            else:
                ignored.append(clean_text(value))
        if anchor in found and len(found) >= 2 and (best is None or len(found) > len(best.columns)):
            best = Header(index, found, ignored)
    return best


def read_table(
    data: bytes,
    columns: Sequence[Column],
    *,
    anchor: str = "name",
    named: Sequence[str] = (),
    max_rows: int | None = None,
) -> Table:
    """The first sheet of ``data`` with a header naming ``columns``, and its non-empty rows.

    Raises ``FileProblem`` when the file is not a readable .xlsx, is too big, has no such header
    within its first rows, lacks a required column or has no rows under the header. ``named``
    are the headers the "no header found" message gives as examples (default: the required ones);
    ``max_rows`` lowers IMPORT_MAX_ROWS for an import whose rows are slower to write.
    """
    limit = settings.IMPORT_MAX_BYTES
    if len(data) > limit:
        raise FileProblem(
            f"文件大小 {len(data) / 1048576:.1f} MB，超过了 {limit / 1048576:.0f} MB 的上限。请分成几个文件导入。"
        )
    sheets = read_sheets(data)
    chosen: tuple[Sheet, Header] | None = None
    first: Sheet | None = None
    for sheet in sheets:
        header = find_header(sheet.rows, columns, anchor=anchor)
        if header is not None:
            chosen = (sheet, header)
            break
        if first is None or (not first.rows and sheet.rows):
            first = sheet
    if chosen is None:
        if first is None:
            raise FileProblem("文件中没有工作表。")
        if not any(clean_text(v) for r in first.rows for v in r):
            raise FileProblem(f"工作表“{first.title}”是空的。")
        examples = "".join(f"“{h}”" for h in (named or [c.header for c in columns if c.required][:3]))
        raise FileProblem(
            f"在工作表“{first.title}”的前{HEADER_SCAN_ROWS}行中找不到表头（应有{examples}等列名）。"
        )
    sheet, header = chosen
    table = Table(sheet.title, header.index + 1, header.columns, header.ignored)
    missing = [c for c in columns if c.required and c.key not in header.columns]
    if missing:
        aliases = "".join(f"“{c.aliases[0]}”" for c in missing if c.aliases)
        raise FileProblem(
            f"第{table.header_row}行的表头缺少必需的列：{'、'.join(c.header for c in missing)}。请对照模板补上这些列"
            + (f"（也认常见写法，如{aliases}）。" if aliases else "。")
        )
    max_rows = min(max_rows or settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_ROWS)
    if len(sheet.rows) - header.index - 1 > max_rows:
        filled = sum(1 for r in sheet.rows[header.index + 1 :] if any(clean_text(v) for v in r))
        if filled > max_rows:
            raise FileProblem(
                f"工作表“{sheet.title}”有 {filled} 行数据，超过了一次导入 {max_rows} 行的上限。请分成几个文件导入。"
            )
    for index in range(header.index + 1, len(sheet.rows)):
        values = sheet.rows[index]
        if any(clean_text(v) for v in values):
            formats = sheet.formats[index] if index < len(sheet.formats) else ()
            table.rows.append(Row(index + 1, values, formats))
    if not table.rows:
        raise FileProblem(f"工作表“{sheet.title}”在表头（第{table.header_row}行）下面没有数据。")
    return table


def read_sheets(data: bytes) -> list[Sheet]:
    """Every worksheet's values and number formats; ``FileProblem`` when ``data`` is not a readable .xlsx."""
    if not data:
        raise FileProblem("文件是空的（0 字节）。")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FileProblem("这是旧版 Excel（.xls）文件，请在 Excel 中“另存为”.xlsx 格式后再导入。")
    if data[:2] != b"PK":
        raise FileProblem("文件不是 Excel .xlsx 格式，请上传 .xlsx 文件（可用本页的模板）。")
    _check_unpacked_size(data)
    try:
        return list(_fast_sheets(data))
    except Exception:  # an unusual file: let openpyxl read it (or say why it cannot)
        return _openpyxl_sheets(data)


def _check_unpacked_size(data: bytes) -> None:
    """A few hundred KB of .xlsx can unpack to gigabytes of XML: refuse before reading it."""
    limit = settings.IMPORT_MAX_UNPACKED_BYTES
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # the readers below say the file is damaged
    if unpacked > limit:
        raise FileProblem(
            f"文件解压后有 {unpacked / 1048576:.0f} MB，超过了 {limit / 1048576:.0f} MB 的上限。"
            "请删去无关的工作表或分成几个文件导入。"
        )


# ---- the fast reader ---------------------------------------------------------------------------

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def _col_index(ref: str) -> int:
    """ "AB12" → 27 (0-based column of a cell reference)."""
    index = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            index = index * 26 + ord(ch) - 64
        else:
            break
    return index - 1


def _part(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    folder = base.rsplit("/", 1)[0] + "/" if "/" in base else ""
    parts: list[str] = []
    for piece in (folder + target).split("/"):
        if piece == "..":
            parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts)


def _rels(archive: zipfile.ZipFile, part: str) -> dict[str, str]:
    folder, _, name = part.rpartition("/")
    rels_part = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
    if rels_part not in archive.namelist():
        return {}
    root = ElementTree.fromstring(archive.read(rels_part))
    return {r.get("Id", ""): _part(part, r.get("Target", "")) for r in root.iter(_PKG_REL)}


def _si_text(si: Any) -> str:
    """A shared string's text: its <t>, or its rich-text runs' <t>s; phonetic guides (<rPh>) left out."""
    direct = si.find(f"{_NS}t")
    parts = [direct.text or ""] if direct is not None else []
    parts += [t.text or "" for run in si.findall(f"{_NS}r") for t in run.findall(f"{_NS}t")]
    return "".join(parts)


def _fast_sheets(data: bytes) -> Iterable[Sheet]:
    """Read the worksheets' values straight from the XML.

    openpyxl's read-only reader builds objects per cell and parses inline strings (which it
    writes itself, so every export) through its rich-text model: about 5 s for 10,000 rows.
    This reads the same values in a fraction of that. Anything unexpected raises, and the caller
    falls back to openpyxl.
    """
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

    archive = zipfile.ZipFile(io.BytesIO(data))
    root_rels = _rels(archive, "")
    book_part = next(
        (t for t in root_rels.values() if t.endswith(".xml") and "workbook" in t), "xl/workbook.xml"
    )
    book = ElementTree.fromstring(archive.read(book_part))
    props = book.find(f"{_NS}workbookPr")
    epoch = (
        CALENDAR_MAC_1904
        if props is not None and props.get("date1904") in ("1", "true")
        else CALENDAR_WINDOWS_1900
    )
    book_rels = _rels(archive, book_part)
    names = set(archive.namelist())

    shared: list[str] = []
    strings_part = next((t for t in book_rels.values() if t.endswith("sharedStrings.xml")), None)
    if strings_part and strings_part in names:
        for _event, element in ElementTree.iterparse(io.BytesIO(archive.read(strings_part))):
            if element.tag == f"{_NS}si":
                shared.append(_si_text(element))
                element.clear()

    formats: list[str] = []
    styles_part = next((t for t in book_rels.values() if t.endswith("styles.xml")), None)
    if styles_part and styles_part in names:
        styles = ElementTree.fromstring(archive.read(styles_part))
        custom = {
            int(f.get("numFmtId", "0")): f.get("formatCode", "General") for f in styles.iter(f"{_NS}numFmt")
        }
        xfs = styles.find(f"{_NS}cellXfs")
        for xf in xfs if xfs is not None else []:
            fmt_id = int(xf.get("numFmtId", "0"))
            formats.append(custom.get(fmt_id) or BUILTIN_FORMATS.get(fmt_id, "General"))
    is_date = [is_date_format(f) for f in formats]

    sheets = book.find(f"{_NS}sheets")
    for sheet in sheets if sheets is not None else []:
        part = book_rels.get(sheet.get(f"{_REL_NS}id", ""))
        if not part or part not in names or "worksheets/" not in part:
            continue  # a chart sheet or a missing part
        rows: list[tuple[Any, ...]] = []
        fmts: list[tuple[str, ...]] = []
        for row_element in _sheet_rows(archive, part):
            row_number = int(row_element.get("r") or len(rows) + 1)
            while len(rows) < row_number - 1:
                rows.append(())
                fmts.append(())
            row_values: list[Any] = []
            row_fmts: list[str] = []
            for element in row_element.iter(f"{_NS}c"):
                ref = element.get("r")
                col = _col_index(ref) if ref else len(row_values)
                kind = element.get("t", "n")
                style = int(element.get("s", "0"))
                fmt = formats[style] if style < len(formats) else "General"
                raw = element.findtext(f"{_NS}v")
                value: Any = None
                if kind == "s" and raw is not None:
                    value = shared[int(raw)]
                elif kind == "inlineStr":
                    inline = element.find(f"{_NS}is")
                    value = (
                        "".join(t.text or "" for t in inline.iter(f"{_NS}t")) if inline is not None else None
                    )
                elif kind in ("str", "e"):
                    value = raw
                elif kind == "b":
                    value = raw == "1"
                elif kind == "d" and raw:
                    value = datetime.datetime.fromisoformat(raw)
                elif raw is not None and raw != "":
                    number = float(raw)
                    if style < len(is_date) and is_date[style]:
                        value = from_excel(number, epoch)
                    else:
                        value = (
                            int(number)
                            if number.is_integer() and "." not in raw and "E" not in raw
                            else number
                        )
                while len(row_values) < col:
                    row_values.append(None)
                    row_fmts.append("General")
                row_values.append(value)
                row_fmts.append(fmt)
            rows.append(tuple(row_values))
            fmts.append(tuple(row_fmts))
        yield Sheet(sheet.get("name", ""), rows, fmts)


def _sheet_rows(archive: zipfile.ZipFile, part: str) -> Iterable[Any]:
    """The <row> elements of a worksheet, streamed (a 30 MB .xlsx can hold 300 MB of XML)."""
    with archive.open(part) as stream:
        for _event, element in ElementTree.iterparse(stream):
            if element.tag == f"{_NS}row":
                yield element
                element.clear()


def _openpyxl_sheets(data: bytes) -> list[Sheet]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise FileProblem(f"文件已损坏或不是 Excel .xlsx 格式，无法打开（{type(exc).__name__}）。") from None
    except Exception as exc:  # openpyxl raises many kinds on malformed parts
        raise FileProblem(f"文件无法按 .xlsx 读取（{type(exc).__name__}）。") from None
    out = []
    try:
        for sheet in book.worksheets:
            if not hasattr(sheet, "iter_rows"):
                continue  # a chart sheet
            # Some programs write a wrong <dimension>; reading without it sees every row.
            sheet.reset_dimensions()
            values: list[tuple[Any, ...]] = []
            formats: list[tuple[str, ...]] = []
            for row in sheet.iter_rows():
                values.append(tuple(getattr(c, "value", None) for c in row))
                formats.append(tuple(getattr(c, "number_format", "General") or "General" for c in row))
            out.append(Sheet(sheet.title, values, formats))
    finally:
        book.close()
    return out


def workbook_bytes(book: Any) -> bytes:
    """The .xlsx file of ``book``, with every text that would run as a formula kept as text.

    openpyxl turns any string starting with "=" into a live formula: a member's name or remark
    typed as ``=HYPERLINK(…)`` would run in the officer's Excel, and re-importing the export
    would read back an empty cell. Our exports write no formulas of their own, so every formula
    cell is data and is stored as the text it is; it reads back unchanged. Write-only sheets
    cannot be walked afterwards: their cells go through ``as_text`` as they are made.
    """
    for sheet in book.worksheets:
        if not hasattr(sheet, "iter_rows"):
            continue
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def as_text(cell: Any) -> Any:
    """``cell`` (a write-only cell) kept as text if its value would otherwise run as a formula."""
    if cell.data_type == "f":
        cell.data_type = "s"
    return cell


# ---- writing: dropdowns in import templates --------------------------------------------------

TEMPLATE_ROWS = 1000  # rows of a template that carry the formats and dropdowns


def add_dropdown(
    ws: Any,
    column: int,
    values: list[str],
    *,
    header: str,
    first_row: int = 2,
    last_row: int = TEMPLATE_ROWS + 1,
    allow_other: bool = False,
) -> None:
    """A dropdown of ``values`` on ``column`` (1-based) of the template sheet ``ws``.

    Short lists go into the validation itself; longer ones (Excel's limit is 255 characters,
    e.g. the branches of an agency) into a hidden sheet the validation points at. With
    ``allow_other`` a value outside the list is allowed after a warning (the importer also reads
    common variants such as 本科 for 大学本科); otherwise Excel refuses it.
    """
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    if not values:
        return
    inline = ",".join(values)
    if len(inline) <= 250 and not any("," in v or '"' in v for v in values):
        formula = f'"{inline}"'
    else:
        book = ws.parent
        lists = book["_lists"] if "_lists" in book.sheetnames else book.create_sheet("_lists")
        lists.sheet_state = "hidden"
        col = lists.max_column + 1 if lists.max_row > 1 or lists["A1"].value is not None else 1
        for row, value in enumerate(values, start=1):
            lists.cell(row=row, column=col, value=value)
        letter = get_column_letter(col)
        formula = f"{quote_sheetname('_lists')}!${letter}$1:${letter}${len(values)}"
    validation = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning" if allow_other else "stop",
        errorTitle=header,
        error=f"请从下拉列表中选择{header}。",
        promptTitle=header,
        prompt="请从下拉列表中选择",
        showInputMessage=True,
    )
    letter = get_column_letter(column)
    validation.add(f"{letter}{first_row}:{letter}{last_row}")
    ws.add_data_validation(validation)
