"""The shared sheet reader: title rows, header variants, the fast XML reader, and unreadable files."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import Workbook

from dangjian.core.sheets import Column, FileProblem, _fast_sheets, _openpyxl_sheets, read_sheets, read_table

COLUMNS = (
    Column("name", "姓名", ("党员姓名",), required=True),
    Column("id_number", "身份证号", ("身份证号码",), required=True),
    Column("amount", "金额", ("交纳金额",)),
)


def book(*rows: list[object], title: str = "Sheet", extra_sheet: str | None = None) -> bytes:
    wb = Workbook()
    if extra_sheet:
        wb.active.title = extra_sheet
        wb.active.append(["说明"])
        ws = wb.create_sheet(title)
    else:
        ws = wb.active
        ws.title = title
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_header_is_found_under_title_rows_by_any_of_its_names(settings):
    data = book(
        ["某某单位党费交纳表"],
        [],
        ["序号", "党员姓名", "身份证号码（18位）", "*交纳金额*", "签字"],
        [1, "张三", "110105198503121234", 45, ""],
        [None, None, None, None, None],
        [2, "李四", "110105199001011234", "30.00", ""],
    )
    table = read_table(data, COLUMNS)
    assert (table.sheet, table.header_row) == ("Sheet", 3)
    assert table.columns == {"name": 1, "id_number": 2, "amount": 3}
    assert table.ignored == ["序号", "签字"]
    assert [r.number for r in table.rows] == [4, 6]  # the blank row is skipped, numbers stay Excel's
    assert [table.value(r, "name") for r in table.rows] == ["张三", "李四"]
    assert table.letter("amount") == "D" and table.letter("missing") == ""
    assert table.value(table.rows[0], "missing") is None


def test_the_first_sheet_with_a_header_is_read():
    data = book(["姓名", "身份证号"], ["张三", "1"], title="名单", extra_sheet="封面")
    assert read_table(data, COLUMNS).sheet == "名单"


def test_a_missing_required_column_is_named_with_a_variant_it_would_accept():
    data = book(["姓名", "金额"], ["张三", 1])
    with pytest.raises(FileProblem) as exc:
        read_table(data, COLUMNS)
    assert (
        str(exc.value)
        == "第1行的表头缺少必需的列：身份证号。请对照模板补上这些列（也认常见写法，如“身份证号码”）。"
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "文件是空的（0 字节）。"),
        (b"name,id\n", "文件不是 Excel .xlsx 格式，请上传 .xlsx 文件（可用本页的模板）。"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 50, "这是旧版 Excel（.xls）文件"),
        (b"PK\x03\x04 broken", "无法打开"),
    ],
)
def test_unreadable_files_say_why(data, message):
    with pytest.raises(
        FileProblem, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")
    ):
        read_sheets(data)


def test_no_header_an_empty_sheet_no_rows_and_too_big(settings):
    with pytest.raises(FileProblem, match="前10行中找不到表头（应有“姓名”“身份证号”等列名）"):
        read_table(book(["甲", "乙"], ["1", "2"]), COLUMNS)
    with pytest.raises(FileProblem, match="工作表“Sheet”是空的"):
        read_table(book(), COLUMNS)
    with pytest.raises(FileProblem, match="在表头（第1行）下面没有数据"):
        read_table(book(["姓名", "身份证号"]), COLUMNS)
    settings.IMPORT_MAX_BYTES = 100
    with pytest.raises(FileProblem, match="超过了"):
        read_table(book(["姓名", "身份证号"], ["张三", "1"]), COLUMNS)


def test_the_fast_reader_reads_what_openpyxl_reads():
    wb = Workbook()
    ws = wb.active
    ws.title = "名单"
    ws["A1"] = "标题"
    ws["C3"] = "姓名"
    ws["D3"] = 1985.1
    ws["D3"].number_format = "0.00"
    ws["E3"] = datetime.date(1985, 3, 12)
    ws["F3"] = 13900000001
    ws["G3"] = True
    ws["H3"] = "=1+1"
    ws["B6"] = "１１０ 全角"
    wb.create_sheet("空表")
    out = io.BytesIO()
    wb.save(out)
    fast = list(_fast_sheets(out.getvalue()))
    slow = _openpyxl_sheets(out.getvalue())
    assert [s.title for s in fast] == [s.title for s in slow] == ["名单", "空表"]
    for fast_sheet, slow_sheet in zip(fast, slow, strict=True):
        for i, slow_row in enumerate(slow_sheet.rows):
            fast_row = fast_sheet.rows[i] if i < len(fast_sheet.rows) else ()
            assert list(fast_row) + [None] * (len(slow_row) - len(fast_row)) == list(slow_row)
    assert fast[0].rows[2][3] == 1985.1 and fast[0].formats[2][3] == "0.00"
    assert fast[0].rows[2][4] == datetime.datetime(1985, 3, 12)


def test_a_sheet_with_more_rows_than_the_limit_is_refused_whole(settings):
    settings.IMPORT_MAX_ROWS = 3
    data = book(["姓名", "身份证号"], *[[f"党员{i}", f"{i}"] for i in range(4)])
    with pytest.raises(FileProblem, match="4 行数据，超过了一次导入 3 行的上限"):
        read_table(data, COLUMNS)
    assert (
        len(read_table(book(["姓名", "身份证号"], ["甲", "1"], ["乙", "2"], ["丙", "3"]), COLUMNS).rows) == 3
    )


def test_a_file_that_unpacks_to_more_than_the_limit_is_refused_before_reading(settings):
    import zipfile

    settings.IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (3 * 1024 * 1024))
    assert len(buffer.getvalue()) < 50 * 1024
    with pytest.raises(FileProblem, match="解压后有 3 MB"):
        read_sheets(buffer.getvalue())
