"""The demo builder makes a case in every stage, one overdue, one extended, and a plan."""

from __future__ import annotations

import random

import pytest

from dangjian.core.dates import today
from dangjian.core.period import Period
from dangjian.demo.context import DemoContext
from dangjian.recruitment import demo
from dangjian.recruitment.choices import CaseStatus, Stage
from dangjian.recruitment.due import due_items
from dangjian.recruitment.models import Case, Plan

pytestmark = pytest.mark.django_db


def test_demo_covers_every_stage(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    ctx = DemoContext(
        today=today(),
        rng=random.Random(1),
        password="x",
        log=lambda _: None,
        branches=[bureau.branch_1, bureau.branch_2],
    )
    demo.build(ctx)
    open_cases = Case.objects.open()
    assert set(open_cases.values_list("stage", flat=True)) == set(Stage.values)
    assert Case.objects.filter(status=CaseStatus.COMPLETED).count() == 1
    assert Case.objects.filter(steps__kind="extension").count() == 1
    assert Case.objects.filter(steps__passed=False).count() == 2
    items = due_items(Case.objects.all(), month_end=Period.containing(today(), "month").end, on=today())
    assert any(i.overdue for i in items)
    assert Plan.objects.filter(year=today().year).count() == 2
    client = login(personas.agency_officer)
    for case in Case.objects.all():  # every demo case page renders (steps recorded by the system, too)
        assert client.get(case.get_absolute_url()).status_code == 200, case.name
