"""The unit's own rules for the responsibility system (本单位规定), read from the environment.

None of these deadlines is set by a central regulation (RULES.md has none), so each is a setting
with a default, and every warning quotes the configured value as its basis.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from dangjian.core.env import env_int, env_str


def _month_day(name: str, default: str) -> tuple[int, int]:
    raw = str(getattr(settings, name.removeprefix("DANGJIAN_"), None) or env_str(name, default)).strip()
    try:
        month, day = (int(part) for part in raw.split("-"))
        datetime.date(2024, month, day)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} 应写成 月-日，如 03-31，而不是“{raw}”。") from exc
    return month, day


def letter_deadline(year: int) -> datetime.date:
    """The day by which the year's responsibility letters must be signed (default 31 March)."""
    month, day = _month_day("DANGJIAN_LETTER_DEADLINE", "03-31")
    return datetime.date(year, month, day)


def letter_basis(year: int) -> str:
    deadline = letter_deadline(year)
    return f"本单位规定（党组成员、党支部书记每年{deadline.month}月{deadline.day}日前签订党风廉政建设责任书）"


def hearings_per_quarter() -> int:
    """How many branch reports the 党组 hears at least each quarter (default 1)."""
    return max(
        1, int(getattr(settings, "HEARINGS_PER_QUARTER", None) or env_int("DANGJIAN_HEARINGS_PER_QUARTER", 1))
    )


def hearing_basis() -> str:
    return f"本单位规定（党组每季度至少听取{hearings_per_quarter()}次党支部党建工作汇报，季度末为期限）"


def item_due_days() -> int:
    """How many days before its deadline a responsibility item shows as due soon (default 14)."""
    return env_int("DANGJIAN_DUTY_DUE_DAYS", 14)


ITEM_BASIS = "本单位规定（责任清单事项按清单所列完成时限办结）"
