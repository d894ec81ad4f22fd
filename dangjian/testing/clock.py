"""The frozen day the tests run on, and the ``clock`` fixture's object (see the root conftest.py).

Tests run on 2026-11-29 from 10:00 Beijing time — a working Sunday morning late in the year, so
that "this year", "last year" and the months behind today all hold records in the fixtures and
the demo. The clock ticks on from there (a test that waits still sees time pass); time-machine
moves every clock Python reads (``datetime.now``, ``date.today``, ``time.time``), in the test's
thread and in the live server's.
"""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

import time_machine

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
FROZEN_NOW = datetime.datetime(2026, 11, 29, 10, 0, tzinfo=SHANGHAI)
FROZEN_TODAY = FROZEN_NOW.date()


def parse_day(when: str | datetime.date | datetime.datetime) -> datetime.datetime:
    """``"2026-03-31"``, ``"2026-03-31 23:30"``, a date (10:00 that day) or a datetime, in Beijing time."""
    if isinstance(when, datetime.datetime):
        return when if when.tzinfo else when.replace(tzinfo=SHANGHAI)
    if isinstance(when, datetime.date):
        return datetime.datetime.combine(when, FROZEN_NOW.time(), tzinfo=SHANGHAI)
    text = when.strip()
    if " " in text or "T" in text:
        return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)
    return parse_day(datetime.date.fromisoformat(text))


class Clock:
    """The test's clock: ``today``/``now`` in Beijing time, ``move_to(day)`` to jump (ticking on)."""

    def __init__(self, start: datetime.datetime | None = None) -> None:
        self._start = start
        self._travel: Any = None
        self._traveller: Any = None

    def __enter__(self) -> Clock:
        if self._start is not None:
            self.move_to(self._start)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._travel is not None:
            self._travel.stop()
            self._travel = self._traveller = None

    @property
    def now(self) -> datetime.datetime:
        return datetime.datetime.now(SHANGHAI)

    @property
    def today(self) -> datetime.date:
        return self.now.date()

    def move_to(self, when: str | datetime.date | datetime.datetime) -> None:
        """Jump to ``when`` (as ``parse_day`` reads it) for the rest of this test."""
        destination = parse_day(when)
        if self._travel is None:
            self._travel = time_machine.travel(destination, tick=True)
            self._traveller = self._travel.start()
        else:
            self._traveller.move_to(destination)

    def shift(self, delta: datetime.timedelta) -> None:
        """Move the clock forward (or back) by ``delta``."""
        self.move_to(self.now + delta)
