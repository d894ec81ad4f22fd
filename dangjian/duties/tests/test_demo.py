"""The demo builders of duties and integrity make three years of records with live gaps."""

from __future__ import annotations

import datetime
import random

import pytest
from django.urls import reverse

from dangjian.demo.context import DemoContext
from dangjian.duties import demo, due
from dangjian.duties.models import BusinessResult, KeyTask, Letter, Liaison, ResponsibilityItem
from dangjian.integrity import demo as integrity_demo
from dangjian.integrity.models import PublicExpense, UnitRule
from dangjian.members.models import Post

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 20)


def test_demo_has_three_years_and_realistic_gaps(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    start = datetime.date(2020, 1, 1)
    Post.objects.create(
        organization=bureau.leading_group,
        kind="secretary",
        member=bureau.member_of_branch_2,
        started_on=start,
    )
    Post.objects.create(
        organization=bureau.leading_group,
        kind="leading_group_member",
        member=bureau.members[4],
        started_on=start,
    )
    Post.objects.create(
        organization=bureau.branch_1, kind="secretary", member=bureau.member_1, started_on=start
    )
    Post.objects.create(
        organization=bureau.branch_2, kind="secretary", member=bureau.members[4], started_on=start
    )
    ctx = DemoContext(
        today=TODAY,
        rng=random.Random(1),
        password="x",
        log=lambda _: None,
        leading_group=bureau.leading_group,
        organ_committee=bureau.organ_committee,
        branches=[bureau.branch_1, bureau.branch_2],
        users={"jgdw": personas.agency_officer, "dy1": personas.member},
    )
    demo.build(ctx)
    integrity_demo.build(ctx)
    assert set(ResponsibilityItem.objects.values_list("year", flat=True)) == {2024, 2025, 2026}
    assert ResponsibilityItem.objects.filter(reopened_count=1).count() == 1
    assert Liaison.objects.count() == 2 and KeyTask.objects.exists() and BusinessResult.objects.exists()
    assert Letter.objects.filter(year=2026, kind="pledge").exists()
    own = ResponsibilityItem.objects.get(pk=ctx.extra["duties_demo"]["own_item"])  # dy1's item
    assert own.responsible == bureau.member_1
    # The last branch's secretary has not signed this year's letter; the 党组 missed a hearing last quarter.
    late = due.letter_due(personas.agency_officer, TODAY, TODAY)
    assert [i.title[:3] for i in late] == ["周五平"]
    hearings = due.hearing_due(personas.agency_officer, TODAY, TODAY)
    assert [i.due_on for i in hearings] == [datetime.date(2026, 9, 30)]
    assert set(PublicExpense.objects.values_list("year", flat=True)) == {2024, 2025}
    assert UnitRule.objects.filter(revises__isnull=False).count() == 1
    client = login(personas.agency_officer)
    for name in (
        "duties:overview",
        "duties:items",
        "duties:liaisons",
        "duties:hearings",
        "duties:letters",
        "integrity:overview",
        "integrity:talks",
    ):
        assert client.get(reverse(name)).status_code == 200, name
    for item in ResponsibilityItem.objects.all()[:20]:
        assert client.get(item.get_absolute_url()).status_code == 200
