"""Fixtures of the duties tests: a held activity of a given type, posts, and an xlsx in memory."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.utils import timezone


@pytest.fixture
def held():  # type: ignore[no-untyped-def]
    """``held(org, code, day, host=None)``: a held activity of type ``code`` with its credit."""
    from dangjian.activities.models import Activity, ActivityCredit, ActivityType

    def make(org: Any, code: str, day: datetime.date, host: Any = None) -> Any:
        kind = ActivityType.objects.get(code=code)
        at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        activity = Activity.objects.create(
            organization=org,
            activity_type=kind,
            status="held",
            topic=f"{code}{day}",
            held_at=at,
            planned_at=at,
            host=host,
        )
        ActivityCredit.objects.create(activity=activity, activity_type=kind, is_primary=True)
        return activity

    return make


def xlsx(rows: list[list[Any]], name: str = "导入.xlsx") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())
