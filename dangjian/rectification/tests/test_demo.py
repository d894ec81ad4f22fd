"""The demo builder leaves closed, overdue and reopened findings, and every page renders."""

from __future__ import annotations

import random

from django.db.models import F

from dangjian.core.dates import today
from dangjian.demo.context import DemoContext
from dangjian.rectification import demo
from dangjian.rectification.models import Finding, Inspection


def test_demo_has_closed_overdue_and_reopened_findings(bureau, personas, login):  # type: ignore[no-untyped-def]
    ctx = DemoContext(
        today=today(),
        rng=random.Random(1),
        password="x",
        log=lambda _: None,
        leading_group=bureau.leading_group,
        organ_committee=bureau.organ_committee,
        branches=[bureau.branch_1, bureau.branch_2],
        users={"jgdw": personas.agency_officer, "dy1": personas.member},
    )
    demo.build(ctx)
    on = today()
    assert Finding.objects.closed().exists()
    assert Finding.objects.overdue(on).exists()
    # a 巡察, an audit, last year's special-fund check (this year's too once May has come) and
    # the 机关纪委's dues check
    assert {"inspection", "audit", "fund_check", "supervision"} <= set(
        Inspection.objects.values_list("kind", flat=True)
    )
    assert Finding.objects.filter(responsible=bureau.member_1).exists()
    assert not Finding.objects.filter(verified_by__role__member=F("responsible")).exists()
    client = login(personas.agency_officer)
    for finding in Finding.objects.all():
        assert client.get(finding.get_absolute_url()).status_code == 200
    for inspection in Inspection.objects.all():
        assert client.get(inspection.get_absolute_url()).status_code == 200
