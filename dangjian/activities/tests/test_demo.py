"""The demo builder: three years of records with the deliberate gaps it announces in ctx.extra."""

from __future__ import annotations

import random

import pytest

from dangjian.activities.models import Activity, ActivityCredit, Attendance
from dangjian.core.dates import today
from dangjian.demo.context import DemoContext

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(db):  # type: ignore[no-untyped-def]
    from dangjian.activities import demo as activities_demo
    from dangjian.members import demo as members_demo

    context = DemoContext(today=today(), rng=random.Random(7), password="demo-pass-2024", log=lambda s: None)
    members_demo.build(context)
    activities_demo.build(context)
    return context


def test_demo_builds_with_its_gaps(ctx):
    assert Activity.objects.count() > 800 and Attendance.objects.count() > 5000
    # Every activity carries its primary credit.
    assert ActivityCredit.objects.filter(is_primary=True).count() == Activity.objects.count()
    absent, since = ctx.extra["absent_member"], ctx.extra["absent_since"]
    rows = Attendance.objects.filter(member=absent, activity__held_on__gte=since)
    assert rows.exists() and not rows.exclude(status="absent").exists()
    gap_branch, months = ctx.extra["committee_gap_branch"], ctx.extra["committee_gap_months"]
    for month in months:
        assert not Activity.objects.filter(
            organization=gap_branch,
            activity_type__code="committee_meeting",
            held_on__year=month.year,
            held_on__month=month.month,
        ).exists()
    year = ctx.today.year
    assert not Activity.objects.filter(
        organization=ctx.extra["silent_secretary_branch"], held_on__year=year, lecturer_is_secretary=True
    ).exists()
    votes = Activity.objects.filter(has_vote=True)
    assert votes.exists() and all(a.present_voters * 2 > a.eligible_voters for a in votes)
    present = Attendance.objects.filter(status="present").count() / Attendance.objects.count()
    assert 0.85 < present < 0.95
    assert Activity.objects.filter(held_on__gte=ctx.today).count() == 0
