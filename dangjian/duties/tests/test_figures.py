"""Every duties figure recounted independently: plain Python walks over the records."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from dangjian import metrics
from dangjian.core.period import Period
from dangjian.duties.models import BusinessResult, KeyTask, Letter, ResponsibilityItem
from dangjian.members.models import Post

D = datetime.date
Y2025 = Period.year(2025)
pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(bureau, held):  # type: ignore[no-untyped-def]
    b1, b2, lg = bureau.branch_1, bureau.branch_2, bureau.leading_group
    m1, m4 = bureau.member_1, bureau.member_of_branch_2
    mk = ResponsibilityItem.objects.create
    mk(organization=b1, year=2025, task="a", responsible=m1, deadline=D(2025, 3, 1))  # overdue
    mk(
        organization=b1,
        year=2025,
        task="b",
        responsible=m1,
        deadline=D(2025, 12, 1),
        status="done",
        done_on=D(2025, 11, 1),
        evidence="x",
    )
    mk(
        organization=b2,
        year=2025,
        task="c",
        responsible=m4,
        deadline=D(2026, 1, 10),
        status="in_progress",
        reopened_count=2,
    )
    mk(organization=b2, year=2024, task="d", responsible=m4, deadline=D(2024, 3, 1))  # another year
    mk(organization=lg, year=2025, task="e", responsible=m4, status="dropped")
    held(lg, "report_hearing", D(2025, 2, 1))
    held(lg, "report_hearing", D(2025, 9, 1))
    held(b1, "report_hearing", D(2025, 9, 2))  # a branch's, not the 党组's
    held(lg, "report_hearing", D(2024, 9, 1))  # another year
    held(b1, "liaison_visit", D(2025, 4, 1), host=m4)
    held(b2, "liaison_visit", D(2025, 5, 1), host=m4)
    start = D(2024, 1, 1)
    Post.objects.create(organization=lg, kind="secretary", member=m4, started_on=start)
    Post.objects.create(organization=b1, kind="secretary", member=m1, started_on=start)
    Post.objects.create(organization=b2, kind="secretary", member=bureau.members[4], started_on=start)
    Letter.objects.create(
        kind="responsibility", title="t", year=2025, signer=m1, counterpart_org=lg, signed_on=D(2025, 2, 1)
    )
    Letter.objects.create(
        kind="pledge",
        title="p",
        year=2025,
        signer=bureau.members[1],
        counterpart_org=b1,
        signed_on=D(2025, 3, 1),
    )
    Letter.objects.create(
        kind="responsibility", title="t", year=2024, signer=m4, counterpart_org=lg, signed_on=D(2024, 2, 1)
    )
    KeyTask.objects.create(
        organization=b1,
        year=2025,
        kind="flood",
        name="防汛",
        started_on=D(2025, 6, 1),
        people=10,
        person_days=40,
        amount=Decimal("2.50"),
    )
    KeyTask.objects.create(
        organization=b2,
        year=2025,
        kind="rural",
        name="帮扶",
        started_on=D(2025, 3, 1),
        people=4,
        person_days=12,
    )
    KeyTask.objects.create(
        organization=b2,
        year=2024,
        kind="rural",
        name="旧",
        started_on=D(2024, 3, 1),
        people=99,
        person_days=99,
    )
    BusinessResult.objects.create(
        organization=b1,
        name="增长",
        value=Decimal("5.2"),
        unit="%",
        period_kind="year",
        period_start=D(2025, 1, 1),
        period_end=D(2025, 12, 31),
        source_document="通报",
    )
    return bureau


def _walk_items(org, year):  # type: ignore[no-untyped-def]
    return [
        i
        for i in ResponsibilityItem.objects.all()
        if i.year == year and i.organization.path.startswith(org.path)
    ]


@pytest.mark.parametrize("which", ["leading_group", "branch_1", "branch_2"])
def test_item_figures_recount(ledger, which) -> None:  # type: ignore[no-untyped-def]
    org = getattr(ledger, which)
    found = metrics.compute(
        [
            "duties.items",
            "duties.items.done",
            "duties.items.open",
            "duties.items.overdue",
            "duties.items.reopened",
        ],
        org,
        Y2025,
    )
    mine = _walk_items(org, 2025)
    expect = {
        "duties.items": mine,
        "duties.items.done": [i for i in mine if i.status == "done"],
        "duties.items.open": [i for i in mine if i.status in ("planned", "in_progress")],
        "duties.items.overdue": [
            i
            for i in mine
            if i.status in ("planned", "in_progress") and i.deadline and i.deadline < D(2025, 12, 31)
        ],
        "duties.items.reopened": [i for i in mine if i.reopened_count],
    }
    for key, records in expect.items():
        assert found[key].value == len(records), key
        assert found[key].evidence_ids == sorted(i.pk for i in records), key
    if which == "leading_group":
        assert found["duties.items"].value == 4 and found["duties.items.overdue"].value == 1


def test_hearings_and_visits_recount(ledger) -> None:  # type: ignore[no-untyped-def]
    from dangjian.activities.models import Activity

    found = metrics.compute(["duties.hearings", "duties.liaison_visits"], ledger.leading_group, Y2025)
    acts = [
        a for a in Activity.objects.select_related("activity_type", "organization") if a.held_on.year == 2025
    ]
    hearings = [
        a.pk
        for a in acts
        if a.activity_type.code == "report_hearing" and a.organization.kind == "leading_group"
    ]
    visits = [a.pk for a in acts if a.activity_type.code == "liaison_visit"]
    assert (found["duties.hearings"].value, found["duties.hearings"].evidence_ids) == (
        len(hearings),
        sorted(hearings),
    )
    assert found["duties.hearings"].value == 2
    assert (found["duties.liaison_visits"].value, found["duties.liaison_visits"].evidence_ids) == (
        2,
        sorted(visits),
    )
    assert (
        metrics.compute(["duties.liaison_visits"], ledger.branch_1, Y2025)["duties.liaison_visits"].value == 1
    )


def test_letter_figures_recount(ledger) -> None:  # type: ignore[no-untyped-def]
    found = metrics.compute(
        ["duties.letters.responsibility", "duties.letters.pledge", "duties.letters.unsigned"],
        ledger.leading_group,
        Y2025,
    )
    letters = [x for x in Letter.objects.all() if x.year == 2025]
    assert found["duties.letters.responsibility"].evidence_ids == sorted(
        x.pk for x in letters if x.kind == "responsibility"
    )
    assert found["duties.letters.pledge"].value == 1
    # Leaders and secretaries on 2025-12-31: 李四清 (党组书记) and 周五平 (第二支部书记) have not signed for 2025.
    assert found["duties.letters.unsigned"].evidence_ids == sorted(
        [ledger.member_of_branch_2.pk, ledger.members[4].pk]
    )
    assert (
        metrics.compute(["duties.letters.unsigned"], ledger.branch_1, Y2025)["duties.letters.unsigned"].value
        == 0
    )


def test_entered_figures_recount_and_say_they_are_entered(ledger) -> None:  # type: ignore[no-untyped-def]
    keys = [
        "duties.key_tasks",
        "duties.key_tasks.people",
        "duties.key_tasks.person_days",
        "duties.key_tasks.amount",
        "duties.results",
    ]
    found = metrics.compute(keys, ledger.leading_group, Y2025)
    tasks = [t for t in KeyTask.objects.all() if D(2025, 1, 1) <= t.started_on <= D(2025, 12, 31)]
    assert found["duties.key_tasks"].value == len(tasks) == 2
    assert found["duties.key_tasks.people"].value == sum(t.people for t in tasks) == 14
    assert found["duties.key_tasks.person_days"].value == 52
    assert found["duties.key_tasks.amount"].value == Decimal("2.50")
    assert found["duties.results"].value == 1
    assert all("录入" in found[k].label for k in keys)
    from dangjian.metrics.figures.duties import entered_results

    (row,) = entered_results(ledger.leading_group, Y2025)
    assert row["source"] == "通报" and "经办人录入" in row["note"]


def test_a_secretary_counts_only_their_branch(ledger, personas) -> None:  # type: ignore[no-untyped-def]
    found = metrics.compute(
        ["duties.items", "duties.key_tasks"], ledger.leading_group, Y2025, personas.secretary_of_branch_1
    )
    assert found["duties.items"].evidence_ids == sorted(i.pk for i in _walk_items(ledger.branch_1, 2025))
    assert found["duties.key_tasks"].value == 1
