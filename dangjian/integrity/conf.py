"""The unit's own integrity rules (本单位规定), read from the environment with defaults."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from dangjian.core.env import env_str


def two_officers_since() -> datetime.date:
    """From when every branch must have a 纪检委员 or 纪检联络员 (default 1 January 2024)."""
    raw = str(
        getattr(settings, "TWO_OFFICERS_SINCE", None) or env_str("DANGJIAN_TWO_OFFICERS_SINCE", "2024-01-01")
    )
    try:
        return datetime.date.fromisoformat(raw.strip())
    except ValueError as exc:
        raise ImproperlyConfigured(f"DANGJIAN_TWO_OFFICERS_SINCE 应写成 2024-01-01，而不是“{raw}”。") from exc


def two_officers_basis() -> str:
    since = two_officers_since()
    return f"本单位规定（{since.year}年{since.month}月{since.day}日起，各党支部应配备纪检委员或纪检联络员）"
