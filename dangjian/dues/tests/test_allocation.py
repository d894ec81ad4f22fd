"""Spreading a payment over months: totals reconcile to the fen (property-based)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian.core.dates import add_months
from dangjian.dues.allocation import AllocationError, Slot, allocate, iter_months, months_between, parse_month

money = st.decimals(
    min_value=Decimal("0"), max_value=Decimal("5000"), places=2, allow_nan=False, allow_infinity=False
)
positive = st.decimals(
    min_value=Decimal("0.01"), max_value=Decimal("20000"), places=2, allow_nan=False, allow_infinity=False
)


@st.composite
def ledgers(draw):  # type: ignore[no-untyped-def]
    """Consecutive months, each with a due and possibly something already paid (never more than due)."""
    n = draw(st.integers(min_value=0, max_value=24))
    start = datetime.date(2025, draw(st.integers(1, 12)), 1)
    slots = []
    for i in range(n):
        due = draw(money)
        paid = draw(st.decimals(min_value=Decimal("0"), max_value=due, places=2))
        slots.append(Slot(add_months(start, i), due, paid))
    return slots


@given(ledgers(), positive)
def test_allocated_plus_extra_equals_paid_and_no_month_is_over_filled(slots, amount) -> None:  # type: ignore[no-untyped-def]
    result = allocate(amount, slots, allow_extra=True)
    assert result.total == amount
    by_month = {s.month: s for s in slots}
    for month, part in result.parts:
        assert part > 0
        assert part <= by_month[month].open
        assert part == part.quantize(Decimal("0.01"))
    assert len(set(result.months)) == len(result.months)
    if result.extra > 0:
        # Something is extra only when every offered month is full.
        assert sum(p for _m, p in result.parts) == sum(s.open for s in slots)


@given(ledgers(), positive)
def test_oldest_open_months_are_filled_first(slots, amount) -> None:  # type: ignore[no-untyped-def]
    result = allocate(amount, slots, allow_extra=True)
    filled = dict(result.parts)
    open_months = [s for s in slots if s.open > 0]
    # Every open month before the last one touched is filled completely: no gaps.
    if result.parts:
        last = result.months[-1]
        for slot in open_months:
            if slot.month < last:
                assert filled.get(slot.month) == slot.open
    assert result.months == sorted(result.months)


@given(ledgers(), positive)
def test_without_extra_a_payment_over_what_is_owed_is_refused(slots, amount) -> None:  # type: ignore[no-untyped-def]
    owed = sum((s.open for s in slots), Decimal("0"))
    if amount > owed:
        with pytest.raises(AllocationError, match="自愿多交"):
            allocate(amount, slots)
    else:
        result = allocate(amount, slots)
        assert result.extra == 0 and result.total == amount


def test_floats_are_refused() -> None:
    with pytest.raises(TypeError):
        allocate(1.5, [])  # type: ignore[arg-type]


def test_zero_or_negative_payment_is_refused() -> None:
    with pytest.raises(AllocationError, match="大于0"):
        allocate(Decimal("0"), [])


@pytest.mark.parametrize("text", ["2026-11", "2026/11", "2026年11月", " 2026-1 "])
def test_months_are_read_in_several_spellings(text: str) -> None:
    assert parse_month(text).day == 1


@pytest.mark.parametrize("text", ["2026-13", "11/2026", "abc", ""])
def test_bad_months_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="月份"):
        parse_month(text)


def test_month_arithmetic() -> None:
    assert len(list(iter_months(datetime.date(2025, 11, 5), datetime.date(2026, 2, 1)))) == 4
    assert months_between(datetime.date(2025, 12, 1), datetime.date(2026, 6, 1)) == 6
