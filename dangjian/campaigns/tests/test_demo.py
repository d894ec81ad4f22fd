"""The demo builder: a campaign a year with its plan, team and activities, pledges with overdue
ones this year, research projects with sessions — and every page of them renders."""

from __future__ import annotations

import random

import pytest

from dangjian.campaigns import demo
from dangjian.campaigns.models import Campaign, ResearchProject, ServicePledge
from dangjian.campaigns.tests.helpers import D, activity
from dangjian.core.dates import today
from dangjian.demo.context import DemoContext

pytestmark = pytest.mark.django_db


def test_demo_builds_three_years_with_their_gaps_and_every_page_renders(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    year = today().year
    for month in (4, 5, 6):
        activity(bureau.branch_1, "study_session", D(year - 2, month, 10))
        activity(bureau.branch_2, "warning_education", D(year - 1, month, 10))
    ctx = DemoContext(
        today=today(),
        rng=random.Random(7),
        password="x",
        log=lambda _: None,
        leading_group=bureau.leading_group,
        organ_committee=bureau.organ_committee,
        branches=[bureau.branch_1, bureau.branch_2],
    )
    demo.build(ctx)
    gaps = ctx.extra["campaigns_demo"]
    campaigns = list(Campaign.objects.order_by("started_on"))
    assert [c.started_on.year for c in campaigns] == [year - 2, year - 1, year]
    assert all(c.mobilization_id and c.plan_items.count() == 3 and c.team.exists() for c in campaigns)
    assert not campaigns[-1].plan_document and gaps["campaign_without_plan_document"] == campaigns[-1].pk
    assert len(gaps["overdue_pledges"]) == 2
    assert ServicePledge.objects.filter(collected_on__year=year - 2).exclude(status="open").exists()
    assert ResearchProject.objects.filter(sessions__isnull=False).exists()
    client = login(personas.agency_officer)
    urls = [c.get_absolute_url() for c in campaigns]
    urls += [p.get_absolute_url() for p in ServicePledge.objects.all()]
    urls += [p.get_absolute_url() for p in ResearchProject.objects.all()]
    urls += ["/campaigns/", "/campaigns/pledges/", "/campaigns/research/"]
    for url in urls:
        assert client.get(url).status_code == 200, url
