"""Fixtures for the activities tests: helpers to plan and hold activities in the test bureau."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from dangjian.activities import actions
from dangjian.activities.models import Activity
from dangjian.testing import factories


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def recent_day(days_ago: int = 10) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days_ago)


def all_present(members: list[Any]) -> dict[int, tuple[str, str]]:
    return {m.pk: ("present", "") for m in members}


@pytest.fixture
def types(db) -> SimpleNamespace:  # type: ignore[no-untyped-def]
    return SimpleNamespace(**factories.activity_types())


@pytest.fixture
def org_officer_of_committee(bureau):  # type: ignore[no-untyped-def]
    """A 党务干部 of the 机关党委 (an org_officer one level above the branches)."""
    return factories.user("jgdw_org", "org_officer", org=bureau.organ_committee)


@pytest.fixture
def make_plan(personas, types):  # type: ignore[no-untyped-def]
    """make_plan(org, type_code="theme_day", status="planned"|"approved"|…) → Activity."""

    def _make(
        org: Any,
        code: str = "theme_day",
        *,
        status: str = "approved",
        topic: str = "学习会议精神",
        days_ago: int = 10,
        also: tuple[str, ...] = (),
    ) -> Activity:
        activity = actions.do_plan(
            acting_user=personas.admin,
            submit=status != "draft",
            organization=org,
            activity_type=getattr(types, code),
            topic=topic,
            planned_at=at(recent_day(days_ago)),
            also_counts_as=[getattr(types, c) for c in also],
        )
        if status in ("approved", "held", "verified"):
            actions.do_approve(activity, acting_user=personas.admin)
        return activity

    return _make


@pytest.fixture
def branch_1_members(bureau) -> list[Any]:  # type: ignore[no-untyped-def]
    return [m for m in bureau.members if m.organization_id == bureau.branch_1.pk]
