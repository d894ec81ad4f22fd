"""The demo builder records honours of several levels and yearly star selections."""

from __future__ import annotations

import random

from dangjian.core.dates import today
from dangjian.demo.context import DemoContext
from dangjian.honours import demo
from dangjian.honours.models import Honour, Selection


def test_demo_has_honours_and_selections(bureau, personas, login):  # type: ignore[no-untyped-def]
    ctx = DemoContext(
        today=today(),
        rng=random.Random(1),
        password="x",
        log=lambda _: None,
        leading_group=bureau.leading_group,
        organ_committee=bureau.organ_committee,
        branches=[bureau.branch_1, bureau.branch_2],
        users={"dy1": personas.member},
    )
    demo.build(ctx)
    assert {"national", "provincial", "municipal", "internal"} <= set(
        Honour.objects.values_list("level", flat=True)
    )
    assert Selection.objects.count() == 3
    assert Honour.objects.filter(member=bureau.member_1).exists()
    client = login(personas.agency_officer)
    for selection in Selection.objects.all():
        assert client.get(selection.get_absolute_url()).status_code == 200
    assert client.get("/honours/").status_code == 200
