"""The Excel roster (花名册): the template, the import engine and the export.

One engine serves the web page, the background job and ``dangjian roster import``, so all three
print the same report. Import in two passes:

1. read and check every row — parse each cell (dates written five ways, full-width digits,
   header variants), resolve the organization and cell inside the user's scope, build a
   ``Member`` and call ``full_clean()`` so the per-record rules in ``Member.clean()`` apply —
   collecting every problem by row and column;
2. only when no row has a problem (and it is not a dry run) write everything in one
   transaction with ``bulk_create``/``bulk_update``, with audit rows for each record.

A row whose ID number is already on the roster updates that member; a row that changes nothing
writes nothing, so importing the same file twice is harmless.
"""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from dangjian.core import audit
from dangjian.core.dates import today
from dangjian.core.scope import can_see_personal_data, restrict
from dangjian.members.choices import DuesCategory, Education, Gender, MemberStatus
from dangjian.members.models import Member, StatusChange, pinyin_initials
from dangjian.members.validators import id_birth_date, id_check_digit, mask_id_number, normalize_id_number
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization

HEADER_SCAN_ROWS = 10  # a title row or two may sit above the header in officers' own rosters
EXAMPLE_MARK = "（示例）"  # rows whose name starts with this are the template's example: skipped
PROGRESS_EVERY = 500
MAX_REPORTED_ERRORS = 2000  # a file where every row is wrong need not list 50,000 lines
IMPORT_VERB = "花名册导入"
ANALYZE_AFTER_ROWS = 1000
_EXAMPLE_MARK_NFKC = unicodedata.normalize("NFKC", EXAMPLE_MARK)


@dataclass(frozen=True)
class Column:
    """One roster column: the Member field, the header we write, and the headers we also read."""

    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    width: int = 12
    hint: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", ("党员姓名",), True, 10, "必填。"),
    Column("gender", "性别", (), True, 6, "必填：男 或 女。"),
    Column("ethnicity", "民族", (), False, 8, "如 汉族；不填按汉族。"),
    Column(
        "birth_date",
        "出生日期",
        ("出生年月", "出生年月日", "出生时间"),
        True,
        12,
        "必填。可写 1985-03-12、1985.3.12、1985/3/12、1985年3月12日；只写到月（1985.03）时，"
        "日取身份证号中的日（年月与身份证号不符时取1日）。",
    ),
    Column("native_place", "籍贯", (), False, 10, ""),
    Column(
        "education",
        "学历",
        ("文化程度", "最高学历", "学历学位"),
        False,
        10,
        "博士研究生、硕士研究生、大学本科、大学专科、中专、高中、初中及以下（也认 本科、大专、研究生 等简写）。",
    ),
    Column(
        "id_number",
        "身份证号",
        ("身份证号码", "公民身份号码", "公民身份证号码", "身份证"),
        True,
        21,
        "必填，18位，含校验位。已在花名册中的身份证号视为修改该党员的信息。",
    ),
    Column("phone", "联系电话", ("手机号码", "手机号", "手机", "电话", "联系方式"), False, 14, ""),
    Column(
        "department", "所在股室", ("工作部门", "所在科室", "股室", "科室", "部门", "工作单位"), False, 12, ""
    ),
    Column("job_title", "职务", ("现任职务", "职务职级"), False, 10, ""),
    Column(
        "organization",
        "所在支部",
        ("所属支部", "所在党组织", "所属党组织", "所在党支部", "所属党支部", "党支部"),
        True,
        16,
        "必填，填写党组织的全称或简称，须在您管理的范围内。",
    ),
    Column(
        "cell", "所在党小组", ("党小组", "所属党小组"), False, 12, "可不填；填写时须是所在支部下的党小组。"
    ),
    Column(
        "status",
        "党员状态",
        ("人员类别", "党员类别", "党籍状态"),
        False,
        10,
        "预备党员 或 正式党员（也认 已转出、已去世、已出党）。整列缺失时：有转正时间的按正式党员，否则按预备党员。",
    ),
    Column("admission_date", "入党时间", ("入党日期",), True, 12, "必填，写到日。入党时须年满18周岁。"),
    Column(
        "confirmation_date",
        "转正时间",
        ("转正日期",),
        False,
        12,
        "正式党员必填，写到日，须在入党一年以后；预备党员不填。",
    ),
    Column(
        "dues_category",
        "党费类别",
        ("交纳类别",),
        False,
        10,
        "在职、离退休、农民、学生、下岗失业、低保；不填按在职。",
    ),
    Column("dues_base", "交纳基数", ("党费基数", "党费交纳基数", "缴纳基数"), False, 10, "元/月，数字。"),
    Column("is_mobile", "流动党员", ("是否流动党员",), False, 8, "是 或 否；不填按否。"),
    Column("note", "备注", (), False, 16, ""),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
# Fields set from a column; the update compares exactly these.
IMPORTED_FIELDS = [c.key for c in COLUMNS]


# ---------------------------------------------------------------------------------------------
# Report


@dataclass
class Problem:
    """One problem in the file: on a row and column, on a whole row, or on the file itself."""

    message: str
    row: int | None = None
    column: str = ""  # letter, as Excel shows it
    header: str = ""

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        where = f"第{self.row}行"
        if self.column:
            where += f" {self.column}列（{self.header}）"
        return f"{where}：{self.message}"


@dataclass
class ImportReport:
    """What an import found and did; the web page, the job and the CLI all show this."""

    filename: str
    dry_run: bool = False
    sheet: str = ""
    header_row: int | None = None
    rows: int = 0
    file_errors: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    error_count: int = 0
    notes: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    imported: bool = False

    @property
    def unreadable(self) -> bool:
        return bool(self.file_errors)

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.error_count

    def add_error(self, problem: Problem) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(problem)

    @property
    def summary(self) -> str:
        counts = f"新增 {self.created:,} 人，更新 {self.updated:,} 人，{self.unchanged:,} 人无变化"
        if self.file_errors:
            return "文件无法导入，没有写入任何数据。"
        if self.error_count:
            return f"发现 {self.error_count:,} 处问题，整个文件未导入，没有写入任何数据。请改正后重新导入。"
        if self.dry_run:
            return f"试导入通过：将{counts}。这是试导入，没有写入任何数据。"
        return f"导入完成：{counts}。"

    @property
    def source_line(self) -> str:
        if not self.sheet:
            return f"文件：{self.filename}"
        return (
            f"文件：{self.filename}，工作表“{self.sheet}”，表头在第{self.header_row}行，"
            f"数据 {self.rows:,} 行。"
        )

    @property
    def hidden_errors(self) -> int:
        return self.error_count - len(self.errors)

    def lines(self) -> list[str]:
        """The report as plain text lines (the CLI prints these)."""
        out = [("【试导入】" if self.dry_run else "") + self.source_line, self.summary]
        out += [str(p) for p in self.file_errors]
        out += [str(p) for p in self.errors]
        if self.hidden_errors:
            out.append(f"……另有 {self.hidden_errors:,} 处问题未列出。")
        out += [f"说明：{n}" for n in self.notes]
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "filename": self.filename,
            "dry_run": self.dry_run,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "rows": self.rows,
            "file_errors": [p.__dict__ for p in self.file_errors],
            "errors": [p.__dict__ for p in self.errors],
            "error_count": self.error_count,
            "notes": self.notes,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "imported": self.imported,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportReport:
        data = dict(data)
        data["file_errors"] = [Problem(**p) for p in data.get("file_errors", [])]
        data["errors"] = [Problem(**p) for p in data.get("errors", [])]
        return cls(**data)


class FileProblem(Exception):
    """The file cannot be read as a roster at all."""


class CellProblem(Exception):
    """A cell's value cannot be read; the message says why, in Chinese."""


# ---------------------------------------------------------------------------------------------
# Cell parsing


_FULLWIDTH_SPACE = "\u3000"


def _clean_text(value: Any) -> str:
    """Text of a cell with full-width digits/letters made half-width and stray spaces removed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%Y-%m-%d")
    text = unicodedata.normalize("NFKC", str(value)).replace(_FULLWIDTH_SPACE, " ")
    return re.sub(r"\s+", " ", text).strip()


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def parse_name(value: Any) -> str:
    text = _clean_text(value)
    # Rosters pad two-character names to line up ("张  三"); a space inside a Chinese name is never real.
    if text and all(_is_cjk(ch) or ch == " " for ch in text):
        text = text.replace(" ", "")
    return text


def parse_id_number(value: Any) -> str:
    if isinstance(value, float) or (
        isinstance(value, int) and not isinstance(value, bool) and value > 10**15
    ):
        # Excel keeps 15 significant digits: an ID typed into a number cell has lost its tail.
        raise CellProblem("身份证号被 Excel 存成了数字，末几位已经丢失。请把该列设为“文本”格式后重新填写。")
    return normalize_id_number(_clean_text(value))


_DATE_RE = re.compile(r"^(\d{4})\s*(?:[-./年]|\s)\s*(\d{1,2})\s*(?:(?:[-./月]|\s)\s*(\d{1,2})\s*日?|月)?$")


@dataclass(frozen=True)
class MonthOnly:
    """A date written only to the month (出生年月 1985.03)."""

    year: int
    month: int


def parse_date(value: Any, number_format: str = "General") -> datetime.date | MonthOnly | None:
    """Read a date cell: an Excel date, or text such as 1985-03-12, 1985.3.12, 1985年3月12日, 1985.03."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, float) and not value.is_integer():
        # 1985.03 typed into a number cell. 1985.10 shows as 1985.1 unless the cell keeps two
        # decimals, so a lone ".1" could be January or October: ask rather than guess.
        decimals = re.search(r"\.(0+)", number_format or "")
        if decimals:
            text = f"{value:.{len(decimals.group(1))}f}"
        else:
            text = repr(value)
            if re.fullmatch(r"\d{4}\.1", text):
                raise CellProblem(
                    f"“{text}”无法确定是1月还是10月，请写成{text}0 或 {text[:5]}01（建议设为文本格式）。"
                )
    else:
        text = _clean_text(value)
    text = re.sub(r"\s+\d{1,2}:\d{2}(:\d{2})?$", "", text)  # "1985-03-12 00:00:00"
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    elif re.fullmatch(r"\d{6}", text):
        text = f"{text[:4]}.{text[4:]}"
    match = _DATE_RE.match(text)
    if not match:
        raise CellProblem(f"无法识别的日期“{text}”，请写成 1985-03-12 或 1985年3月12日。")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1900 <= year <= 2100 or not 1 <= month <= 12:
        raise CellProblem(f"日期“{text}”不存在。")
    if match.group(3) is None:
        return MonthOnly(year, month)
    try:
        return datetime.date(year, month, int(match.group(3)))
    except ValueError:
        raise CellProblem(f"日期“{text}”不存在。") from None


def _choice_map(choices: Any, extra: dict[str, str]) -> dict[str, str]:
    mapping = {str(label): value for value, label in choices.choices}
    mapping.update({str(value): value for value, _label in choices.choices})
    mapping.update(extra)
    return mapping


GENDERS = _choice_map(Gender, {"男性": Gender.MALE, "女性": Gender.FEMALE})
EDUCATIONS = _choice_map(
    Education,
    {
        "博士": Education.DOCTORATE,
        "研究生(博士)": Education.DOCTORATE,
        "硕士": Education.MASTER,
        "研究生": Education.MASTER,
        "研究生(硕士)": Education.MASTER,
        "本科": Education.BACHELOR,
        "大学": Education.BACHELOR,
        "大专": Education.COLLEGE,
        "专科": Education.COLLEGE,
        "中等专科": Education.SECONDARY,
        "中专/中技": Education.SECONDARY,
        "技校": Education.SECONDARY,
        "初中": Education.JUNIOR,
        "小学": Education.JUNIOR,
    },
)
STATUSES = _choice_map(
    MemberStatus,
    {"预备": MemberStatus.PROBATIONARY, "正式": MemberStatus.FULL, "转出": MemberStatus.TRANSFERRED_OUT},
)
DUES_CATEGORIES = _choice_map(
    DuesCategory,
    {"离休": DuesCategory.RETIRED, "退休": DuesCategory.RETIRED, "离退休干部": DuesCategory.RETIRED},
)
YES = {"是", "Y", "y", "yes", "YES", "√", "✓", "1", "true", "TRUE"}
NO = {"否", "N", "n", "no", "NO", "×", "0", "false", "FALSE", ""}


def _parse_choice(value: Any, mapping: dict[str, str], what: str, allowed: str) -> str:
    text = _clean_text(value).replace(" ", "")
    if not text:
        return ""
    if text in mapping:
        return mapping[text]
    raise CellProblem(f"无法识别的{what}“{text}”，应填写：{allowed}。")


def parse_decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value)).quantize(Decimal("0.01"))
    text = _clean_text(value).replace(",", "").replace("元", "").replace(" ", "")
    if not text:
        return None
    try:
        return Decimal(text).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise CellProblem(f"“{text}”不是数字，请填写每月金额，如 5000。") from None


def parse_bool(value: Any) -> bool:
    text = _clean_text(value)
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellProblem(f"“{text}”无法识别，请填写 是 或 否。")


def _labels(choices: Any) -> str:
    return "、".join(str(label) for _v, label in choices.choices)


# ---------------------------------------------------------------------------------------------
# Header


def normalize_header(value: Any) -> str:
    text = _clean_text(value).replace(" ", "")
    text = re.sub(r"[(（][^)）]*[)）]", "", text)  # "交纳基数（元/月）", "姓名(必填)"
    return text.strip("*＊:：")


_HEADER_LOOKUP: dict[str, str] = {}
for _col in COLUMNS:
    for _h in (_col.header, *_col.aliases):
        _HEADER_LOOKUP[normalize_header(_h)] = _col.key


def find_header(rows: list[tuple[Any, ...]]) -> tuple[int, dict[str, int], list[str]] | None:
    """The header row among the first rows: (index, {key: column index}, ignored headers)."""
    best: tuple[int, dict[str, int], list[str]] | None = None
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found: dict[str, int] = {}
        ignored: list[str] = []
        for col, value in enumerate(row):
            name = normalize_header(value)
            if not name:
                continue
            key = _HEADER_LOOKUP.get(name)
            if key and key not in found:
                found[key] = col
            else:
                ignored.append(_clean_text(value))
        if "name" in found and len(found) >= 2 and (best is None or len(found) > len(best[1])):
            best = (index, found, ignored)
    return best


# ---------------------------------------------------------------------------------------------
# Reading the workbook


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


def _fast_sheets(data: bytes) -> Iterable[tuple[str, list[tuple[Any, ...]], list[tuple[str, ...]]]]:
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
        yield sheet.get("name", ""), rows, fmts


def _sheet_rows(archive: zipfile.ZipFile, part: str) -> Iterable[Any]:
    """The <row> elements of a worksheet, streamed (a 30 MB .xlsx can hold 300 MB of XML)."""
    with archive.open(part) as stream:
        for _event, element in ElementTree.iterparse(stream):
            if element.tag == f"{_NS}row":
                yield element
                element.clear()


def _read_rows(data: bytes) -> tuple[str, int, list[tuple[Any, ...]], list[tuple[str, ...]]]:
    """(sheet title, first row number, cell values, number formats) of the first sheet with a header."""
    if not data:
        raise FileProblem("文件是空的（0 字节）。")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FileProblem("这是旧版 Excel（.xls）文件，请在 Excel 中“另存为”.xlsx 格式后再导入。")
    if data[:2] != b"PK":
        raise FileProblem("文件不是 Excel .xlsx 格式，请上传 .xlsx 文件（可用本页的模板）。")
    try:
        sheets = list(_fast_sheets(data))
    except Exception:  # an unusual file: let openpyxl read it (or say why it cannot)
        sheets = _openpyxl_sheets(data)
    first: tuple[str, int, list[tuple[Any, ...]], list[tuple[str, ...]]] | None = None
    for title, values, formats in sheets:
        if find_header(values):
            return title, 1, values, formats
        if first is None or (not first[2] and values):
            first = (title, 1, values, formats)
    if first is None:
        raise FileProblem("文件中没有工作表。")
    return first


def _openpyxl_sheets(data: bytes) -> list[tuple[str, list[tuple[Any, ...]], list[tuple[str, ...]]]]:
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
            out.append((sheet.title, values, formats))
    finally:
        book.close()
    return out


# ---------------------------------------------------------------------------------------------
# The import


@dataclass
class _Row:
    number: int
    member: Member
    is_new: bool
    changed: bool = False
    old_status: str = ""


class _OrgIndex:
    """Organizations the user may write to, found by exact name or short name."""

    def __init__(self, orgs: Iterable[Organization]) -> None:
        self.by_name: dict[str, list[Organization]] = {}
        self.cells: dict[tuple[int, str], Organization] = {}
        for org in orgs:
            for label in {org.name, org.short_name} - {""}:
                key = parse_name(label)
                if org.kind == OrgKind.CELL and org.parent_id:
                    self.cells.setdefault((org.parent_id, key), org)
                self.by_name.setdefault(key, []).append(org)

    def organization(self, text: str) -> Organization:
        found = self.by_name.get(text, [])
        not_cells = [o for o in found if o.kind != OrgKind.CELL]
        found = not_cells or found
        if not found:
            raise CellProblem(f"找不到党组织“{text}”，或它不在您的管理范围内。请填写党组织的全称或简称。")
        if len(found) > 1:
            raise CellProblem(f"有{len(found)}个党组织都叫“{text}”，请改填全称或简称以区分。")
        return found[0]

    def cell(self, org: Organization, text: str) -> Organization:
        found = self.cells.get((org.pk, text))
        if found is None:
            raise CellProblem(f"{org.name}下没有名为“{text}”的党小组。")
        return found


def import_roster(
    data: bytes,
    *,
    filename: str,
    user: Any = None,
    dry_run: bool = False,
    via: str = "web",
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Check every row of an .xlsx roster and, when all are good and not ``dry_run``, write them.

    ``user`` limits which organizations may be named and which members updated (None: the
    system, as the CLI without --user, reaches the whole agency). ``progress(done, total)`` is
    called every few hundred rows.
    """
    report = ImportReport(filename=filename, dry_run=dry_run)
    with translation.override(settings.LANGUAGE_CODE):
        try:
            _import(data, report, user=user, dry_run=dry_run, via=via, progress=progress)
        except FileProblem as exc:
            report.file_errors.append(Problem(str(exc)))
    return report


def _import(
    data: bytes,
    report: ImportReport,
    *,
    user: Any,
    dry_run: bool,
    via: str,
    progress: Callable[[int, int], None] | None,
) -> None:
    limit = settings.IMPORT_MAX_BYTES
    if len(data) > limit:
        raise FileProblem(
            f"文件大小 {len(data) / 1048576:.1f} MB，超过了 {limit / 1048576:.0f} MB 的上限。请分成几个文件导入。"
        )
    sheet, first_row, values, formats = _read_rows(data)
    report.sheet = sheet
    header = find_header(values)
    if header is None:
        if not any(_clean_text(v) for r in values for v in r):
            raise FileProblem(f"工作表“{sheet}”是空的。")
        raise FileProblem(
            f"在工作表“{sheet}”的前{HEADER_SCAN_ROWS}行中找不到表头（应有“姓名”“身份证号”“所在支部”等列名）。"
        )
    header_index, columns, ignored = header
    report.header_row = first_row + header_index
    missing = [c.header for c in COLUMNS if c.required and c.key not in columns]
    if missing:
        raise FileProblem(
            f"第{report.header_row}行的表头缺少必需的列：{'、'.join(missing)}。请对照模板补上这些列"
            f"（也认常见写法，如“出生年月”“身份证号码”“所属支部”“入党日期”）。"
        )
    if ignored:
        report.notes.append(f"以下列不属于花名册，未导入：{'、'.join(ignored)}。")
    if "status" not in columns:
        report.notes.append("表中没有“党员状态”列：有转正时间的按正式党员，没有转正时间的按预备党员。")

    body = []
    for offset, row in enumerate(values[header_index + 1 :], start=header_index + 1):
        if any(_clean_text(v) for v in row):
            body.append((first_row + offset, row, formats[offset]))
    report.rows = len(body)
    if not body:
        raise FileProblem(f"工作表“{sheet}”在表头（第{report.header_row}行）下面没有数据。")

    org_qs = Organization.objects.all()
    if user is not None:
        org_qs = restrict(org_qs, user, "change")
    orgs = _OrgIndex(org_qs.only("id", "name", "short_name", "kind", "parent_id", "path"))
    existing = _existing_members(body, columns, user)

    rows: list[_Row] = []
    seen_ids: dict[str, int] = {}
    month_only_rows: list[int] = []
    for done, (number, values_row, formats_row) in enumerate(body, start=1):
        if _clean_text(_cell(values_row, columns, "name")).startswith(_EXAMPLE_MARK_NFKC):
            report.notes.append(f"第{number}行是模板中的示例行，已跳过。")
            continue
        parsed = _check_row(
            number, values_row, formats_row, columns, orgs, existing, seen_ids, report, month_only_rows
        )
        if parsed is not None:
            rows.append(parsed)
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, len(body))
    if progress:
        progress(len(body), len(body))
    if month_only_rows:
        shown = "、".join(str(n) for n in month_only_rows[:10]) + ("等" if len(month_only_rows) > 10 else "")
        report.notes.append(
            f"{len(month_only_rows):,} 行的出生日期只写到月（第{shown}行）：日取自身份证号；"
            f"年月与身份证号不符时取1日，并会报“出生日期与身份证号不一致”。"
        )

    report.created = sum(1 for r in rows if r.is_new)
    report.updated = sum(1 for r in rows if not r.is_new and r.changed)
    report.unchanged = sum(1 for r in rows if not r.is_new and not r.changed)
    if report.error_count or dry_run:
        return
    try:
        _write(rows, user=user, via=via)
    except IntegrityError:
        # Someone added one of these ID numbers between our check and our write.
        report.created = report.updated = report.unchanged = 0
        raise FileProblem(
            "导入时花名册被其他人同时修改（身份证号冲突），没有写入任何数据，请重新导入。"
        ) from None
    report.imported = True


def _cell(row: tuple[Any, ...], columns: dict[str, int], key: str) -> Any:
    index = columns.get(key)
    if index is None or index >= len(row):
        return None
    return row[index]


def _existing_members(body: list[Any], columns: dict[str, int], user: Any) -> dict[str, Member | None]:
    """Members already on the roster by ID number; None for those outside the user's reach."""
    ids: set[str] = set()
    for _number, row, _formats in body:
        try:
            ids.add(parse_id_number(_cell(row, columns, "id_number")))
        except CellProblem:
            pass
    ids.discard("")
    found: dict[str, Member | None] = {}
    id_list = sorted(ids)
    for start in range(0, len(id_list), 500):
        chunk = id_list[start : start + 500]
        members = list(Member.objects.filter(id_number__in=chunk).select_related("organization", "cell"))
        writable = {m.pk for m in members}
        if user is not None and members:
            writable = set(
                restrict(Member.objects.filter(pk__in=writable), user, "change").values_list("pk", flat=True)
            )
        for member in members:
            found[member.id_number] = member if member.pk in writable else None
    return found


def _check_row(
    number: int,
    row: tuple[Any, ...],
    formats: tuple[str, ...],
    columns: dict[str, int],
    orgs: _OrgIndex,
    existing: dict[str, Member | None],
    seen_ids: dict[str, int],
    report: ImportReport,
    month_only_rows: list[int],
) -> _Row | None:
    problems: dict[str, str] = {}
    row_problems: list[str] = []
    values: dict[str, Any] = {}

    def raw(key: str) -> Any:
        return _cell(row, columns, key)

    def fmt(key: str) -> str:
        index = columns.get(key)
        return formats[index] if index is not None and index < len(formats) else "General"

    parsers: dict[str, Callable[[Any], Any]] = {
        "name": parse_name,
        "gender": lambda v: _parse_choice(v, GENDERS, "性别", "男、女"),
        "ethnicity": lambda v: _clean_text(v).replace(" ", ""),
        "native_place": _clean_text,
        "education": lambda v: _parse_choice(v, EDUCATIONS, "学历", _labels(Education)),
        "id_number": parse_id_number,
        "phone": lambda v: _clean_text(v).replace(" ", "").replace("-", ""),
        "department": _clean_text,
        "job_title": _clean_text,
        "status": lambda v: _parse_choice(v, STATUSES, "党员状态", "预备党员、正式党员"),
        "dues_category": lambda v: _parse_choice(v, DUES_CATEGORIES, "党费类别", _labels(DuesCategory)),
        "dues_base": parse_decimal,
        "is_mobile": parse_bool,
        "note": _clean_text,
    }
    for key, parser in parsers.items():
        if key in columns:
            try:
                values[key] = parser(raw(key))
            except CellProblem as exc:
                problems[key] = str(exc)
    for key in ("birth_date", "admission_date", "confirmation_date"):
        if key not in columns:
            continue
        try:
            values[key] = parse_date(raw(key), fmt(key))
        except CellProblem as exc:
            problems[key] = str(exc)
            continue
        if isinstance(values[key], MonthOnly):
            if key != "birth_date":
                problems[key] = f"{COLUMN_BY_KEY[key].header}须写到日，如 2010年7月1日。"
                continue
            values[key] = _birth_from_month(values[key], values.get("id_number", ""))
            month_only_rows.append(number)

    for key in ("name", "gender", "birth_date", "id_number", "organization"):
        col = COLUMN_BY_KEY[key]
        if key not in problems and not _clean_text(raw(key)):
            problems[key] = f"{col.header}不能为空。"

    org = cell = None
    org_text = parse_name(raw("organization"))
    if org_text and "organization" not in problems:
        try:
            org = orgs.organization(org_text)
        except CellProblem as exc:
            problems["organization"] = str(exc)
    cell_text = parse_name(raw("cell")) if "cell" in columns else ""
    if cell_text and org is not None:
        try:
            cell = orgs.cell(org, cell_text)
        except CellProblem as exc:
            problems["cell"] = str(exc)

    id_number = values.get("id_number", "")
    member: Member | None = None
    is_new = True
    if id_number and "id_number" not in problems:
        if id_number in seen_ids:
            problems["id_number"] = f"与第{seen_ids[id_number]}行的身份证号重复。"
        else:
            seen_ids[id_number] = number
        if id_number in existing:
            member = existing[id_number]
            is_new = False
            if member is None:
                problems["id_number"] = (
                    "该身份证号的党员已在花名册中，但不在您管理的范围内，不能通过导入修改。"
                )

    if "status" in columns:
        if not values.get("status") and "status" not in problems:
            problems["status"] = "党员状态不能为空，应填写 预备党员 或 正式党员。"
    elif member is None:
        # Named in the report's notes: without a status column, the confirmation date decides.
        values["status"] = MemberStatus.FULL if values.get("confirmation_date") else MemberStatus.PROBATIONARY

    if member is None:
        member = Member()
    old_status = member.status if not is_new else ""
    before = audit_snapshot(member) if not is_new else {}
    for key, value in values.items():
        if key in problems:
            continue
        if key in ("ethnicity",) and not value:
            value = "汉族"
        if key == "dues_category" and not value:
            value = DuesCategory.IN_SERVICE
        if key == "id_number":
            value = value or None
        setattr(member, key, value)
    if org is not None:
        member.organization = org
    if "cell" in columns and "cell" not in problems:
        member.cell = cell
    member.pinyin_initials = pinyin_initials(member.name or "")

    # Per-record rules live in Member.clean(); fields that failed to parse are left out so a
    # bad cell is reported once, in its own words. Uniqueness and foreign keys were checked
    # above in bulk (one query per row would make a 10,000-row file slow).
    exclude = {"organization", "cell", "user", *problems}
    try:
        member.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            if key in problems or _DEPENDS_ON.get(key, set()) & problems.keys():
                continue  # already reported, or only a knock-on effect of a cell that was unreadable
            if key in COLUMN_BY_KEY and key in columns:
                problems[key] = " ".join(messages)
            elif key == "__all__" or key not in COLUMN_BY_KEY:
                row_problems.extend(messages)
            else:
                # A rule about a column the sheet does not have (e.g. 转正时间 missing entirely).
                row_problems.append(f"{COLUMN_BY_KEY[key].header}：{' '.join(messages)}")

    if problems or row_problems:
        for key in [c.key for c in COLUMNS if c.key in problems]:
            col = COLUMN_BY_KEY[key]
            index = columns.get(key)
            letter = get_column_letter(index + 1) if index is not None else ""
            report.add_error(Problem(_sentence(problems[key]), number, letter, col.header if letter else ""))
        for message in row_problems:
            report.add_error(Problem(_sentence(message), number))
        return None
    changed = is_new or audit_snapshot(member) != before
    return _Row(number, member, is_new, changed, old_status)


# A rule in Member.clean() about the key field that reads the other fields: when one of those
# could not be read, its own message says it all.
_DEPENDS_ON: dict[str, set[str]] = {
    "confirmation_date": {"admission_date"},
    "admission_date": {"birth_date"},
    "birth_date": {"id_number"},
    "cell": {"organization"},
}


def _sentence(message: str) -> str:
    message = message.strip()
    return message if message.endswith(("。", "？", "！", "）")) else message + "。"


def _birth_from_month(month: MonthOnly, id_number: str) -> datetime.date:
    born = id_birth_date(id_number) if len(id_number) == 18 else None
    if born and (born.year, born.month) == (month.year, month.month):
        return born
    return datetime.date(month.year, month.month, 1)


def audit_snapshot(member: Member) -> dict[str, Any]:
    snap = {key: getattr(member, key) for key in IMPORTED_FIELDS if key not in ("organization", "cell")}
    snap["organization_id"] = member.organization_id
    snap["cell_id"] = member.cell_id
    snap["id_number"] = member.id_number or None
    return snap


_UPDATE_FIELDS = [
    *(k for k in IMPORTED_FIELDS if k not in ("organization", "cell")),
    "organization",
    "cell",
    "pinyin_initials",
    "status_since",
    "updated_at",
]


@transaction.atomic
def _write(rows: list[_Row], *, user: Any, via: str) -> None:
    new = [r.member for r in rows if r.is_new]
    changed = [r for r in rows if not r.is_new and r.changed]
    now = timezone.now()
    day = today()
    with audit.acting(user, via):
        Member.objects.bulk_create(new, batch_size=1000)
        audit.record_bulk_create(new, IMPORT_VERB)
        history: list[StatusChange] = [
            StatusChange(
                member=m,
                to_status=m.status,
                date=m.status_since or m.confirmation_date or m.admission_date or day,
                reason="花名册导入",
            )
            for m in new
        ]
        for r in changed:
            r.member.updated_at = now
            if r.member.status != r.old_status:
                r.member.status_since = (
                    r.member.confirmation_date if r.member.status == MemberStatus.FULL else None
                ) or day
                history.append(
                    StatusChange(
                        member=r.member,
                        from_status=r.old_status,
                        to_status=r.member.status,
                        date=r.member.status_since,
                        reason="花名册导入",
                    )
                )
        members = [r.member for r in changed]
        Member.objects.bulk_update(members, _UPDATE_FIELDS, batch_size=500)
        audit.record_bulk_update(members, IMPORT_VERB)
        StatusChange.objects.bulk_create(history, batch_size=1000)
        audit.record_bulk_create(history, IMPORT_VERB)
    if connection.vendor == "sqlite" and len(new) + len(changed) >= ANALYZE_AFTER_ROWS:
        # SQLite keeps no statistics by itself: without them the roster page's join sorts all
        # members (60 ms at 50,000) instead of walking the organization path index (<1 ms).
        transaction.on_commit(_analyze)


def _analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# ---------------------------------------------------------------------------------------------
# Writing workbooks: the template and the export share the columns, so an export re-imports.

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
_REQUIRED_FILL = PatternFill("solid", fgColor="E6B8B7")
_TEXT_KEYS = {"id_number", "phone"}
_DATE_KEYS = {"birth_date", "admission_date", "confirmation_date"}


def _sheet_header(ws: Any) -> None:
    ws.append([c.header for c in COLUMNS])
    for index, col in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font = _HEADER_FONT
        cell.fill = _REQUIRED_FILL if col.required else _HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        ws.column_dimensions[get_column_letter(index)].width = col.width + 2
    ws.freeze_panes = "A2"


def _row_values(member: Member, *, show_id: bool) -> list[Any]:
    out: list[Any] = []
    for col in COLUMNS:
        key = col.key
        if key == "organization":
            out.append(member.organization.name)
        elif key == "cell":
            out.append(member.cell.name if member.cell_id else "")
        elif key == "id_number":
            out.append((member.id_number or "") if show_id else mask_id_number(member.id_number or ""))
        elif key in ("gender", "education", "status", "dues_category"):
            out.append(getattr(member, f"get_{key}_display")() if getattr(member, key) else "")
        elif key == "is_mobile":
            out.append("是" if member.is_mobile else "否")
        elif key == "dues_base":
            out.append(float(member.dues_base) if member.dues_base is not None else None)
        else:
            out.append(getattr(member, key))
    return out


def _format_row(ws: Any, row: int) -> None:
    for index, col in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=row, column=index)
        if col.key in _TEXT_KEYS:
            cell.number_format = "@"
        elif col.key in _DATE_KEYS:
            cell.number_format = "yyyy-mm-dd"
        elif col.key == "dues_base":
            cell.number_format = "0.00"


def example_id_number() -> str:
    first17 = "11010519850312123"
    return first17 + id_check_digit(first17)


def template_workbook(*, branch_name: str = "第一党支部", cell_name: str = "") -> bytes:
    """The import template: the header, one example row (skipped on import) and the instructions."""
    book = Workbook()
    ws = book.active
    ws.title = "花名册"
    _sheet_header(ws)
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
        "dues_base": 6000,
        "is_mobile": "否",
        "note": "示例行：以“（示例）”开头的行导入时会跳过",
    }
    ws.append([example[c.key] for c in COLUMNS])
    _format_row(ws, 2)
    for index in range(1, len(COLUMNS) + 1):
        ws.cell(row=2, column=index).font = Font(color="808080", italic=True)
    for key in _TEXT_KEYS:
        letter = get_column_letter([c.key for c in COLUMNS].index(key) + 1)
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
    for col in COLUMNS:
        notes.append([col.header, "必填" if col.required else "", "、".join(col.aliases), col.hint])
    for letter, width in zip("ABCD", (14, 10, 36, 90), strict=True):
        notes.column_dimensions[letter].width = width
    return _save(book)


def export_roster(members: QuerySet[Member], *, user: Any = None) -> bytes:
    """The roster as .xlsx with the template's columns; ID numbers masked unless the user may see them."""
    book = Workbook(write_only=True)
    ws = book.create_sheet("花名册")
    ws.append([_styled(WriteOnlyCell(ws, value=c.header), bold=True) for c in COLUMNS])
    for index, col in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = col.width + 2
    ws.freeze_panes = "A2"
    # The list page's order (members.views.member_list), so the file reads like the page.
    qs = members.select_related("organization", "cell").order_by(
        "organization__order", "organization__name", "name", "id"
    )
    for member in qs.iterator(chunk_size=2000):
        show = user is None or can_see_personal_data(user, member)
        cells = []
        for col, value in zip(COLUMNS, _row_values(member, show_id=show), strict=True):
            cell = WriteOnlyCell(ws, value=value)
            if col.key in _TEXT_KEYS:
                cell.number_format = "@"
            elif col.key in _DATE_KEYS:
                cell.number_format = "yyyy-mm-dd"
            elif col.key == "dues_base":
                cell.number_format = "0.00"
            cells.append(cell)
        ws.append(cells)
    return _save(book)


def _styled(cell: Any, *, bold: bool = False) -> Any:
    if bold:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    return cell


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
