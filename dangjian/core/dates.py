"""Calendar arithmetic shared by every ledger (terms, probation, deadlines)."""

from __future__ import annotations

import calendar
import datetime


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months, clamped to the month's last day (Jan 31 + 1 → Feb 28/29)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: datetime.date, years: int) -> datetime.date:
    """``day`` plus ``years`` years; Feb 29 falls back to Feb 28 in a common year."""
    return add_months(day, 12 * years)


def years_between(start: datetime.date, end: datetime.date) -> int:
    """Whole years from ``start`` to ``end`` (an age or a party standing)."""
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()
