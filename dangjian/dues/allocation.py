"""Months as values, and how one payment is spread over months (pure Python, Decimal only).

A payment fills the open months it is offered in order — the caller offers back months oldest
first, then the current month, then months ahead — each up to what is still owed. What is left
when every offered month is full is a voluntary extra, allowed only when the payment is marked
so; otherwise the payment is refused. So: the parts plus the extra always equal the amount paid,
to the fen, and no month receives more than it still owes.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from dangjian.core.dates import add_months

ZERO = Decimal("0.00")
_MONTH_RE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")


def fen(value: Decimal | None) -> Decimal:
    """A database sum as money: SQLite hands back sums with stray digits (168.300000000000)."""
    return (value or ZERO).quantize(Decimal("0.01"))


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def parse_month(text: object) -> datetime.date:
    """'2026-11', '2026/11', '2026年11月' or a date → the first day of that month."""
    if isinstance(text, datetime.datetime):
        return text.date().replace(day=1)
    if isinstance(text, datetime.date):
        return text.replace(day=1)
    match = _MONTH_RE.match(str(text or ""))
    if not match:
        raise ValueError(f"月份“{text}”格式不对，应写成 2026-11。")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or year < 1921:
        raise ValueError(f"月份“{text}”不存在。")
    return datetime.date(year, month, 1)


def iter_months(first: datetime.date, last: datetime.date) -> Iterator[datetime.date]:
    """Every month from ``first`` to ``last`` inclusive (both taken as their month)."""
    month, end = month_start(first), month_start(last)
    while month <= end:
        yield month
        month = add_months(month, 1)


def months_between(earlier: datetime.date, later: datetime.date) -> int:
    """Whole calendar months from ``earlier``'s month to ``later``'s (2026-01 → 2026-03 is 2)."""
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def month_label(month: datetime.date) -> str:
    return f"{month.year}年{month.month}月"


@dataclass(frozen=True)
class Slot:
    """One month offered to a payment: what is due and what has already been paid for it."""

    month: datetime.date
    due: Decimal
    paid: Decimal = ZERO

    @property
    def open(self) -> Decimal:
        return max(ZERO, self.due - self.paid)


@dataclass
class Allocation:
    """The result: (month, amount) parts in the order filled, and the voluntary extra left over."""

    parts: list[tuple[datetime.date, Decimal]] = field(default_factory=list)
    extra: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return sum((amount for _m, amount in self.parts), ZERO) + self.extra

    @property
    def months(self) -> list[datetime.date]:
        return [month for month, _a in self.parts]


class AllocationError(ValueError):
    """The payment cannot be spread as asked; the message is for the user."""


def allocate(amount: Decimal, slots: Sequence[Slot], *, allow_extra: bool = False) -> Allocation:
    """Spread ``amount`` over ``slots`` in the order given; see the module docstring."""
    if not isinstance(amount, Decimal):
        raise TypeError("amounts are Decimal, never float")
    if amount <= 0:
        raise AllocationError("交纳金额必须大于0。")
    result = Allocation()
    left = amount
    for slot in slots:
        if left <= 0:
            break
        take = min(left, slot.open)
        if take > 0:
            result.parts.append((slot.month, take))
            left -= take
    if left > 0:
        if not allow_extra:
            owed = sum((s.open for s in slots), ZERO)
            raise AllocationError(
                f"交纳金额{amount}元超过可计入月份的应交合计{owed}元，多出{left}元；"
                "如系自愿多交党费，请勾选“自愿多交”，否则请核对金额。"
            )
        result.extra = left
    return result
