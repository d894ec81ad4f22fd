"""The dues standard as data: brackets, rates and fixed amounts, each with its source article.

A changed regulation is a new ``RateTable`` with a later ``valid_from`` appended to
``RATE_TABLES`` — no code changes. Everything here is pure Python on ``Decimal`` (never float),
so the web form, the Excel import, the CLI and the monthly run compute the same fen.
"""

from __future__ import annotations

import datetime
import decimal
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from dangjian.members.choices import DuesCategory

FEN = Decimal("0.01")
REGULATION = "中组部《关于中国共产党党费收缴、使用和管理的规定》（2008）"

# The decimal module's rounding modes that DANGJIAN_DUES_ROUNDING may name.
ROUNDING_MODES = (
    decimal.ROUND_HALF_UP,
    decimal.ROUND_HALF_EVEN,
    decimal.ROUND_HALF_DOWN,
    decimal.ROUND_UP,
    decimal.ROUND_DOWN,
    decimal.ROUND_CEILING,
    decimal.ROUND_FLOOR,
)

# Back payment at most 6 months (党费规定第十二条); a single voluntary extra of 1000 yuan or more
# goes entirely to the centre (第十一条); 6 consecutive months without dues → lapse (党章第九条).
BACK_PAY_MAX_MONTHS = 6
BACK_PAY_SOURCE = "党费规定第十二条"
CENTRE_EXTRA_THRESHOLD = Decimal("1000")
CENTRE_EXTRA_SOURCE = "党费规定第十一条"
LAPSE_MONTHS = 6
LAPSE_SOURCE = "党章第九条"
HARDSHIP_SOURCE = "党费规定第七条"
PROBATION_SOURCE = "党费规定第八条"
BASE_CHANGE_SOURCE = "党费规定第十条"


@dataclass(frozen=True)
class Bracket:
    """Bases up to ``upper`` yuan (inclusive; None = no limit) pay ``rate`` of the whole base."""

    upper: Decimal | None
    rate: Decimal  # a fraction: 0.005 is 0.5%


@dataclass(frozen=True)
class RateTable:
    """One version of the dues regulation's numbers, in force from ``valid_from``."""

    valid_from: datetime.date
    regulation: str
    in_service: tuple[Bracket, ...]
    in_service_source: str
    retired: tuple[Bracket, ...]
    retired_source: str
    farmer_min: Decimal
    farmer_max: Decimal
    flat_amount: Decimal  # student / unemployed / minimum allowance
    fixed_source: str


RATE_TABLES: tuple[RateTable, ...] = (
    RateTable(
        valid_from=datetime.date(2008, 2, 28),
        regulation=REGULATION,
        in_service=(
            Bracket(Decimal("3000"), Decimal("0.005")),
            Bracket(Decimal("5000"), Decimal("0.01")),
            Bracket(Decimal("10000"), Decimal("0.015")),
            Bracket(None, Decimal("0.02")),
        ),
        in_service_source="党费规定第二条",
        retired=(
            Bracket(Decimal("5000"), Decimal("0.005")),
            Bracket(None, Decimal("0.01")),
        ),
        retired_source="党费规定第五条",
        farmer_min=Decimal("0.2"),
        farmer_max=Decimal("1"),
        flat_amount=Decimal("0.2"),
        fixed_source="党费规定第六条",
    ),
)

FLAT_CATEGORIES = (DuesCategory.STUDENT, DuesCategory.UNEMPLOYED, DuesCategory.ALLOWANCE)


class DuesInputError(ValueError):
    """A base or amount the calculator refuses, with a Chinese message for the user."""


@dataclass(frozen=True)
class Standard:
    """The monthly dues for one category and base: amount, rate (None for fixed amounts), source."""

    amount: Decimal
    rate: Decimal | None
    source: str

    @property
    def rate_label(self) -> str:
        if self.rate is None:
            return "定额"
        return f"{(self.rate * 100).normalize():f}%"


def rounding_mode() -> str:
    """The configured rounding (settings.DUES_ROUNDING, default ROUND_HALF_UP)."""
    from django.conf import settings

    return getattr(settings, "DUES_ROUNDING", decimal.ROUND_HALF_UP)


def to_fen(value: Decimal, rounding: str | None = None) -> Decimal:
    return value.quantize(FEN, rounding=rounding or rounding_mode())


def table_for(on: datetime.date | None = None) -> RateTable:
    """The rate table in force on ``on`` (the latest one when ``on`` is None)."""
    tables = sorted(RATE_TABLES, key=lambda t: t.valid_from)
    if on is None:
        return tables[-1]
    found = [t for t in tables if t.valid_from <= on]
    return found[-1] if found else tables[0]


def parse_amount(raw: object, field: str = "交纳基数") -> Decimal:
    """Read a money amount from text or a number (never through float); refuse junk in Chinese."""
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, bool) or raw is None:
        raise DuesInputError(f"{field}不能为空，应填写数字（元）。")
    elif isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        # Excel hands numbers over as float; repr() gives the shortest text that round-trips.
        value = Decimal(repr(raw))
    else:
        text = str(raw).strip().replace(",", "").replace("，", "").removesuffix("元").strip()
        if not text:
            raise DuesInputError(f"{field}不能为空，应填写数字（元）。")
        try:
            value = Decimal(text)
        except InvalidOperation as exc:
            raise DuesInputError(f"{field}“{raw}”不是数字，请填写金额（元），如 4500.00。") from exc
    if not value.is_finite():
        raise DuesInputError(f"{field}“{raw}”不是数字，请填写金额（元），如 4500.00。")
    if value < 0:
        raise DuesInputError(f"{field}不能为负数（填写的是 {raw}）。")
    if value != value.quantize(FEN, rounding=decimal.ROUND_DOWN):
        raise DuesInputError(f"{field}“{raw}”最多两位小数（精确到分）。")
    return value


def _by_bracket(brackets: tuple[Bracket, ...], base: Decimal) -> Decimal:
    for bracket in brackets:
        if bracket.upper is None or base <= bracket.upper:
            return bracket.rate
    raise AssertionError("the last bracket must be open-ended")


def monthly_standard(
    category: str, base: Decimal, *, on: datetime.date | None = None, rounding: str | None = None
) -> Standard:
    """The monthly dues for ``category`` and ``base`` (for farmers: the chosen amount itself).

    The rate applies to the whole base, not tier by tier (党费规定第二条); upper bounds are
    inclusive, so a base of exactly 3000.00 pays 0.5%.
    """
    table = table_for(on)
    if base < 0:
        raise DuesInputError("交纳基数不能为负数。")
    if category == DuesCategory.IN_SERVICE:
        rate = _by_bracket(table.in_service, base)
        return Standard(to_fen(base * rate, rounding), rate, table.in_service_source)
    if category == DuesCategory.RETIRED:
        rate = _by_bracket(table.retired, base)
        return Standard(to_fen(base * rate, rounding), rate, table.retired_source)
    if category == DuesCategory.FARMER:
        if not table.farmer_min <= base <= table.farmer_max:
            raise DuesInputError(
                f"农民党员每月交纳{table.farmer_min}元至{table.farmer_max}元，"
                f"由本人选定（{table.fixed_source}）；填写的是 {base} 元。"
            )
        return Standard(to_fen(base, rounding), None, table.fixed_source)
    if category in FLAT_CATEGORIES:
        return Standard(to_fen(table.flat_amount, rounding), None, table.fixed_source)
    raise DuesInputError(f"未知的党费类别“{category}”。")
