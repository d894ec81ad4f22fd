"""``Period``: a year, half, quarter, month or explicit date range, as one value type.

Every metric and report takes a Period. Codes: "2022", "2022H1", "2022Q3", "2022-05",
"2022-03-01..2022-06-30". Slots (the months, quarters … a rule is judged in) are whole calendar
slots that overlap the period, so "2022-05" still shows the 2022Q2 quarterly rule as a quarter.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings

CN_DIGITS = "〇一二三四五六七八九"
QUARTER_WORDS = {1: "一季度", 2: "二季度", 3: "三季度", 4: "四季度"}
QUARTER_LABELS = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}
HALF_WORDS = {1: "上半年", 2: "下半年"}
FREQUENCIES = ("month", "quarter", "half", "year")
FREQUENCY_LABELS = {"month": "每月", "quarter": "每季度", "half": "每半年", "year": "每年"}
PERIOD_KINDS = [("year", "年度"), ("half", "半年"), ("quarter", "季度"), ("month", "月"), ("range", "时间段")]
FORMAT_HELP = "请写作 2022、2022H1、2022Q3、2022-05 或 2022-03-01..2022-06-30"

_YEAR = re.compile(r"^(\d{4})年?$")
_HALF = re.compile(r"^(\d{4})[Hh]([12])$")
_QUARTER = re.compile(r"^(\d{4})[Qq]([1-4])$")
# Officers' sheets write a month as 2026-11, 2026/11, 2026.11 or 2026年11月.
_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_RANGE = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})\s*\.\.\s*(\d{4}-\d{1,2}-\d{1,2})$")


class PeriodError(ValueError):
    """A period code that cannot be read; the message is Chinese and names the input."""


def _last_day(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _cn_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True, order=True)
class Period:
    """A span of calendar days, both ends inclusive, with its code and Chinese label."""

    start: datetime.date
    end: datetime.date
    code: str
    label: str
    kind: str = "range"  # "year" | "half" | "quarter" | "month" | "range"

    # ---- constructors ----------------------------------------------------------------
    @classmethod
    def year(cls, year: int) -> Period:
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31), f"{year}", f"{year}年", "year")

    @classmethod
    def half(cls, year: int, half: int) -> Period:
        first = 1 if half == 1 else 7
        return cls(
            datetime.date(year, first, 1),
            _last_day(year, first + 5),
            f"{year}H{half}",
            f"{year}年{HALF_WORDS[half]}",
            "half",
        )

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = 3 * (quarter - 1) + 1
        return cls(
            datetime.date(year, first, 1),
            _last_day(year, first + 2),
            f"{year}Q{quarter}",
            f"{year}年{QUARTER_LABELS[quarter]}",
            "quarter",
        )

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(
            datetime.date(year, month, 1),
            _last_day(year, month),
            f"{year}-{month:02d}",
            f"{year}年{month}月",
            "month",
        )

    @classmethod
    def between(cls, start: datetime.date, end: datetime.date) -> Period:
        if end < start:
            raise PeriodError(f"期间“{start}..{end}”的结束日期早于开始日期。")
        return cls(
            start, end, f"{start.isoformat()}..{end.isoformat()}", f"{_cn_date(start)}至{_cn_date(end)}"
        )

    @classmethod
    def containing(cls, day: datetime.date, frequency: str) -> Period:
        """The calendar slot of ``frequency`` that contains ``day``."""
        if frequency == "month":
            return cls.month(day.year, day.month)
        if frequency == "quarter":
            return cls.quarter(day.year, (day.month - 1) // 3 + 1)
        if frequency == "half":
            return cls.half(day.year, 1 if day.month <= 6 else 2)
        if frequency == "year":
            return cls.year(day.year)
        raise PeriodError(f"无法识别的频次“{frequency}”：应为 month、quarter、half 或 year。")

    @classmethod
    def of(cls, kind: str, start: datetime.date, end: datetime.date) -> Period:
        """Rebuild a period stored as fields (kind, start, end), e.g. on a report draft."""
        if kind == "year":
            return cls.year(start.year)
        if kind == "half":
            return cls.half(start.year, 1 if start.month <= 6 else 2)
        if kind == "quarter":
            return cls.quarter(start.year, (start.month - 1) // 3 + 1)
        if kind == "month":
            return cls.month(start.year, start.month)
        return cls.between(start, end)

    @classmethod
    def parse_month(cls, text: Any) -> Period:
        """Read a month ("2026-05", "2026年5月", or a date in it); anything else is a PeriodError."""
        if isinstance(text, datetime.date):
            return cls.month(text.year, text.month)
        found = cls.parse(text)
        if found.kind != "month":
            raise PeriodError(f"“{text}”不是月份：请写作 2026-05。")
        return found

    @classmethod
    def parse(cls, text: Any) -> Period:
        """Read a period code; raises PeriodError with a Chinese message on bad input."""
        if isinstance(text, Period):
            return text
        raw = str(text or "").strip()
        if not raw:
            raise PeriodError(f"期间不能为空：{FORMAT_HELP}。")
        try:
            if m := _YEAR.match(raw):
                return cls.year(cls._year(m.group(1), raw))
            if m := _HALF.match(raw):
                return cls.half(cls._year(m.group(1), raw), int(m.group(2)))
            if m := _QUARTER.match(raw):
                return cls.quarter(cls._year(m.group(1), raw), int(m.group(2)))
            if m := _MONTH.match(raw):
                month = int(m.group(2))
                if not 1 <= month <= 12:
                    raise PeriodError(f"期间“{raw}”的月份应在1至12之间。")
                return cls.month(cls._year(m.group(1), raw), month)
            if m := _RANGE.match(raw):
                try:
                    start = datetime.date.fromisoformat(cls._pad(m.group(1)))
                    end = datetime.date.fromisoformat(cls._pad(m.group(2)))
                except ValueError as exc:
                    raise PeriodError(f"期间“{raw}”中有不存在的日期。") from exc
                cls._year(str(start.year), raw)
                cls._year(str(end.year), raw)
                return cls.between(start, end)
        except PeriodError:
            raise
        raise PeriodError(f"无法识别的期间“{raw}”：{FORMAT_HELP}。")

    @staticmethod
    def _year(text: str, raw: str) -> int:
        year = int(text)
        if not 1921 <= year <= 2100:
            raise PeriodError(f"期间“{raw}”的年份超出范围（1921至2100年）。")
        return year

    @staticmethod
    def _pad(text: str) -> str:
        y, m, d = text.split("-")
        return f"{y}-{int(m):02d}-{int(d):02d}"

    # ---- questions ---------------------------------------------------------------------
    def __str__(self) -> str:
        return self.code

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, other: datetime.date | Period) -> bool:
        if isinstance(other, Period):
            return self.start <= other.start and other.end <= self.end
        return self.start <= other <= self.end

    __contains__ = contains

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end

    def clamp(self, start: datetime.date | None = None, end: datetime.date | None = None) -> Period | None:
        """The part of this period within [start, end] (either may be None), or None if disjoint."""
        new_start = max(self.start, start) if start else self.start
        new_end = min(self.end, end) if end else self.end
        if new_end < new_start:
            return None
        if (new_start, new_end) == (self.start, self.end):
            return self
        return Period.between(new_start, new_end)

    def clamp_to_life(self, org: Any) -> Period | None:
        """The part of the period in which ``org`` existed (``dissolved_on`` is its first day gone)."""
        dissolved = getattr(org, "dissolved_on", None)
        return self.clamp(
            getattr(org, "established_on", None),
            dissolved - datetime.timedelta(days=1) if dissolved else None,
        )

    def slots(self, frequency: str, *, clamp: bool = False) -> list[Period]:
        """The whole calendar slots of ``frequency`` that overlap this period, in order.

        With ``clamp=True`` the first and last slot are cut to the period.
        """
        if frequency not in FREQUENCIES:
            raise PeriodError(f"无法识别的频次“{frequency}”：应为 month、quarter、half 或 year。")
        found: list[Period] = []
        slot = Period.containing(self.start, frequency)
        while slot.start <= self.end:
            found.append(slot.clamp(self.start, self.end) if clamp else slot)  # type: ignore[arg-type]
            slot = Period.containing(slot.end + datetime.timedelta(days=1), frequency)
        return found

    def words(self, *, with_year: bool = True) -> str:
        """The period word used in reports: 2022年, 2022年上半年, 2022年第三季度 (三季度), 2022年5月."""
        if with_year:
            return self.label
        if self.kind == "year":
            return "全年"
        if self.kind == "half":
            return HALF_WORDS[1 if self.start.month == 1 else 2]
        if self.kind == "quarter":
            return QUARTER_WORDS[(self.start.month - 1) // 3 + 1]
        if self.kind == "month":
            return f"{self.start.month}月"
        return f"{self.start.month}月{self.start.day}日至{self.end.month}月{self.end.day}日"

    @property
    def short_label(self) -> str:
        """A compact label for a heat-map column: 5月, 三季度, 上半年, 2022年."""
        return self.label if self.kind == "year" else self.words(with_year=False)

    def month_keys(self) -> range:
        """Month numbers (year*12 + month-1) the period touches; matches ``MonthKey`` in SQL."""
        return range(self.start.year * 12 + self.start.month - 1, self.end.year * 12 + self.end.month)

    def is_past(self, on: datetime.date) -> bool:
        return self.end < on

    def is_future(self, on: datetime.date) -> bool:
        return self.start > on

    @property
    def previous(self) -> Period:
        """The period of the same kind just before this one (a range: the same number of days)."""
        day_before = self.start - datetime.timedelta(days=1)
        if self.kind == "range":
            return Period.between(day_before - datetime.timedelta(days=self.days - 1), day_before)
        return Period.containing(day_before, self.kind)

    @property
    def next(self) -> Period:
        """The period of the same kind just after this one."""
        day_after = self.end + datetime.timedelta(days=1)
        if self.kind == "range":
            return Period.between(day_after, day_after + datetime.timedelta(days=self.days - 1))
        return Period.containing(day_after, self.kind)


def period_param(
    params: Any, key: str = "period", default: Period | None = None
) -> tuple[Period | None, str]:
    """A period from a query dict: (the period or ``default``, a Chinese error or "").

    Pages read every period parameter through this, so "2026", "2026H1", "2026Q3", "2026-05" and
    ranges mean the same everywhere and a bad value is reported, never a 500.
    """
    raw = (params.get(key) or "").strip() if params is not None else ""
    if not raw:
        return default, ""
    try:
        period = Period.parse(raw)
    except PeriodError as exc:
        return default, str(exc)
    longest = settings.PERIOD_MAX_YEARS
    if period.days > longest * 366:
        return default, f"期间“{raw}”长于{longest}年，请选择较短的期间（例如一年或一个季度）。"
    return period, ""
