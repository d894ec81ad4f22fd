"""Reading one cell of an officer's spreadsheet: names, ID numbers, dates, amounts, yes/no, choices.

Shared by every Excel import (the roster, the dues lists), so a date written 1985.3.12 or an ID
number typed with full-width digits is read the same way everywhere. Each parser takes the raw
value openpyxl (or the fast reader in ``core.sheets``) hands over and returns a clean Python
value, or raises ``CellProblem`` with a Chinese sentence saying what is wrong with the cell.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from dangjian.core.id_numbers import normalize_id_number, validate_id_number


class CellProblem(Exception):
    """A cell's value cannot be read; the message says why, in Chinese."""


_FULLWIDTH_SPACE = "\u3000"


def clean_text(value: Any) -> str:
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


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def parse_name(value: Any) -> str:
    """A person's or an organization's name; "张  三" (padded to line up) reads as 张三."""
    text = clean_text(value)
    # Rosters pad two-character names to line up ("张  三"); a space inside a Chinese name is never real.
    if text and all(is_cjk(ch) or ch == " " for ch in text):
        text = text.replace(" ", "")
    return text


def parse_id_number(value: Any, *, check: bool = True) -> str:
    """An 18-digit ID number in canonical form ("" for an empty cell); ``check`` verifies the check digit."""
    if isinstance(value, float) or (
        isinstance(value, int) and not isinstance(value, bool) and value > 10**15
    ):
        # Excel keeps 15 significant digits: an ID typed into a number cell has lost its tail.
        raise CellProblem("身份证号被 Excel 存成了数字，末几位已经丢失。请把该列设为“文本”格式后重新填写。")
    text = normalize_id_number(clean_text(value))
    if text and check:
        try:
            validate_id_number(text)
        except ValidationError as exc:
            raise CellProblem(exc.messages[0]) from None
    return text


_DATE_RE = re.compile(r"^(\d{4})\s*(?:[-./年]|\s)\s*(\d{1,2})\s*(?:(?:[-./月]|\s)\s*(\d{1,2})\s*日?|月)?$")


@dataclass(frozen=True)
class MonthOnly:
    """A date written only to the month (出生年月 1985.03)."""

    year: int
    month: int


def _date_text(value: Any, number_format: str) -> str:
    """A date or month cell as text: 1985.03 typed into a number cell, read as written."""
    if isinstance(value, float) and not value.is_integer():
        # 1985.03 typed into a number cell. 1985.10 shows as 1985.1 unless the cell keeps two
        # decimals, so a lone ".1" could be January or October: ask rather than guess.
        decimals = re.search(r"\.(0+)", number_format or "")
        if decimals:
            return f"{value:.{len(decimals.group(1))}f}"
        text = repr(value)
        if re.fullmatch(r"\d{4}\.1", text):
            raise CellProblem(
                f"“{text}”无法确定是1月还是10月，请写成{text}0 或 {text[:5]}01（建议设为文本格式）。"
            )
        return text
    text = clean_text(value)
    text = re.sub(r"\s+\d{1,2}:\d{2}(:\d{2})?$", "", text)  # "1985-03-12 00:00:00"
    if re.fullmatch(r"\d{8}", text):
        return f"{text[:4]}-{text[4:6]}-{text[6:]}"
    if re.fullmatch(r"\d{6}", text):
        return f"{text[:4]}.{text[4:]}"
    return text


def parse_date(value: Any, number_format: str = "General") -> datetime.date | MonthOnly | None:
    """Read a date cell: an Excel date, or text such as 1985-03-12, 1985.3.12, 1985年3月12日, 1985.03.

    ``number_format`` is the cell's Excel format: it tells 1985.10 from 1985.1 in a number cell.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _date_text(value, number_format)
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


def parse_month(value: Any, number_format: str = "General") -> datetime.date | None:
    """A month cell (2026-11, 2026.11, 2026年11月, or a date in it) → the month's first day; None when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.replace(day=1)
    text = _date_text(value, number_format)
    match = _DATE_RE.match(text)
    if not match:
        raise CellProblem(f"无法识别的月份“{text}”，请写成 2026-11 或 2026年11月。")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1900 <= year <= 2100 or not 1 <= month <= 12:
        raise CellProblem(f"月份“{text}”不存在。")
    return datetime.date(year, month, 1)


def parse_day(value: Any, what: str, number_format: str = "General") -> datetime.date | None:
    """A date that must be written to the day (None for an empty cell); ``what`` names it."""
    day = parse_date(value, number_format)
    if isinstance(day, MonthOnly):
        raise CellProblem(f"{what}须写到日，如 {day.year}-{day.month:02d}-05。")
    return day


YES = {"是", "Y", "y", "yes", "YES", "√", "✓", "1", "true", "TRUE"}
NO = {"否", "N", "n", "no", "NO", "×", "0", "false", "FALSE", ""}


def parse_bool(value: Any) -> bool:
    text = clean_text(value)
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellProblem(f"“{text}”无法识别，请填写 是 或 否。")


def choice_map(choices: Any, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Label → value for a TextChoices (the stored values read too), plus the usual short forms."""
    mapping = {str(label): value for value, label in choices.choices}
    mapping.update({str(value): value for value, _label in choices.choices})
    mapping.update(extra or {})
    return mapping


def choice_labels(choices: Any) -> str:
    return "、".join(str(label) for _v, label in choices.choices)


def parse_choice(value: Any, mapping: dict[str, str], what: str, allowed: str) -> str:
    """The stored value of a choice cell ("" for an empty cell); ``what`` and ``allowed`` word the error."""
    text = clean_text(value).replace(" ", "")
    if not text:
        return ""
    if text in mapping:
        return mapping[text]
    raise CellProblem(f"无法识别的{what}“{text}”，应填写：{allowed}。")


def normalize_header(value: Any) -> str:
    """A header cell as compared with the known column names: "交纳基数（元/月）" → 交纳基数."""
    text = clean_text(value).replace(" ", "")
    text = re.sub(r"[(（][^)）]*[)）]", "", text)  # "交纳基数（元/月）", "姓名(必填)"
    return text.strip("*＊:：")


def sentence(message: str) -> str:
    """A message ending in a full stop, as the reports print them."""
    message = message.strip()
    return message if message.endswith(("。", "？", "！", "）")) else message + "。"
