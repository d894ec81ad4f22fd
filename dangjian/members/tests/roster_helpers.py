"""Helpers for the roster import/export tests: build .xlsx files in memory."""

from __future__ import annotations

import datetime
import io
from typing import Any

from openpyxl import Workbook, load_workbook

from dangjian.testing import factories

HEADER = [
    "姓名", "性别", "民族", "出生日期", "籍贯", "学历", "身份证号", "联系电话", "所在股室", "职务",
    "所在支部", "所在党小组", "党员状态", "入党时间", "转正时间", "党费类别", "交纳基数", "流动党员", "备注",
]  # fmt: skip


def make_id(birth: str, seq: str = "123") -> str:
    """A valid ID number for a birth date written YYYYMMDD."""
    return factories.id_number(datetime.datetime.strptime(birth, "%Y%m%d").date(), seq)


def row(**overrides: Any) -> list[Any]:
    """One good row of the template's columns (a full member of 第一党支部); override by header."""
    values = {
        "姓名": "吴六安",
        "性别": "男",
        "民族": "汉族",
        "出生日期": "1988-05-06",
        "籍贯": "某省某县",
        "学历": "大学本科",
        "身份证号": make_id("19880506"),
        "联系电话": "13900000001",
        "所在股室": "综合股",
        "职务": "科员",
        "所在支部": "第一党支部",
        "所在党小组": "第一党小组",
        "党员状态": "正式党员",
        "入党时间": "2012-07-01",
        "转正时间": "2013-07-01",
        "党费类别": "在职",
        "交纳基数": "5000",
        "流动党员": "否",
        "备注": "",
    }
    values.update(overrides)
    return [values[h] for h in HEADER]


def xlsx(rows: list[list[Any]], header: list[str] | None = None, title: str | None = None) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = "花名册"
    if title:
        ws.append([title])
    ws.append(header or HEADER)
    for r in rows:
        ws.append(r)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read_xlsx(data: bytes, sheet: str | None = None) -> list[tuple[Any, ...]]:
    book = load_workbook(io.BytesIO(data))
    ws = book[sheet] if sheet else book.worksheets[0]
    return [tuple(r) for r in ws.iter_rows(values_only=True)]
