"""Integrity work: the two officers' warning, talk counts, rules and 三公经费 (entered), scope."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from dangjian import metrics
from dangjian.core.period import Period
from dangjian.duties.sheetio import import_sheet
from dangjian.duties.tests.conftest import xlsx
from dangjian.duties.views_excel import import_context
from dangjian.integrity import actions, officers
from dangjian.integrity.excel import EXPENSES
from dangjian.integrity.models import PublicExpense, UnitRule
from dangjian.members.models import Post

D = datetime.date
pytestmark = pytest.mark.django_db


def test_a_branch_without_either_officer_warns_citing_the_configured_date(bureau, personas, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TWO_OFFICERS_SINCE = "2025-03-01"
    Post.objects.create(
        organization=bureau.branch_1,
        kind="discipline_liaison",
        member=bureau.member_1,
        started_on=D(2025, 1, 1),
    )
    # A former 纪检委员 of branch 2 no longer counts.
    Post.objects.create(
        organization=bureau.branch_2,
        kind="discipline_commissioner",
        member=bureau.member_of_branch_2,
        started_on=D(2023, 1, 1),
        ended_on=D(2025, 6, 1),
    )
    found = officers.missing_due(personas.agency_officer, D(2026, 1, 5), D(2026, 1, 12))
    assert [(i.org_name, i.overdue) for i in found] == [("第二党支部", True)]
    assert found[0].basis == "本单位规定（2025年3月1日起，各党支部应配备纪检委员或纪检联络员）"
    assert (
        officers.missing_due(personas.agency_officer, D(2025, 2, 1), D(2025, 2, 8)) == []
    )  # before the rule
    assert officers.missing_due(personas.secretary_of_branch_1, D(2026, 1, 5), D(2026, 1, 12)) == []
    figure = metrics.compute(["integrity.branches_without_officers"], bureau.leading_group, Period.year(2025))
    fig = figure["integrity.branches_without_officers"]
    assert (fig.value, fig.evidence_ids) == (1, [bureau.branch_2.pk])


def test_talk_counts_by_kind_recount(bureau, held) -> None:  # type: ignore[no-untyped-def]
    from dangjian.activities.models import Activity

    held(bureau.branch_1, "integrity_talk", D(2025, 3, 1))
    held(bureau.branch_1, "integrity_talk", D(2025, 4, 1))
    held(bureau.branch_2, "reminder_talk", D(2025, 5, 1))
    held(bureau.branch_2, "admonishment_talk", D(2024, 5, 1))  # another year
    held(bureau.branch_2, "talk", D(2025, 5, 2))  # an ordinary heart-to-heart talk
    found = metrics.compute(
        [
            "integrity.talks",
            "integrity.talks.integrity_talk",
            "integrity.talks.reminder_talk",
            "integrity.talks.admonishment_talk",
        ],
        bureau.leading_group,
        Period.year(2025),
    )
    walk = [a for a in Activity.objects.select_related("activity_type") if a.held_on.year == 2025]
    for code in ("integrity_talk", "reminder_talk", "admonishment_talk"):
        ids = sorted(a.pk for a in walk if a.activity_type.code == code)
        assert found[f"integrity.talks.{code}"].evidence_ids == ids
    assert found["integrity.talks"].value == 3
    assert (
        metrics.compute(["integrity.talks"], bureau.branch_2, Period.year(2025))["integrity.talks"].value == 1
    )


def test_public_expense_is_entered_with_its_source_and_who_typed_it(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.agency_officer)
    response = client.post(
        reverse("integrity:expense-create"),
        {
            "organization": bureau.organ_committee.pk,
            "year": 2025,
            "travel_abroad": "1.20",
            "vehicles": "10.00",
            "reception": "-2",
            "source_document": "决算表",
        },
    )
    assert "金额不能为负数" in response.content.decode() and not PublicExpense.objects.exists()
    client.post(
        reverse("integrity:expense-create"),
        {
            "organization": bureau.organ_committee.pk,
            "year": 2025,
            "travel_abroad": "1.20",
            "vehicles": "10.00",
            "reception": "2.05",
            "source_document": "2025年度部门决算公开表",
        },
    )
    expense = PublicExpense.objects.get()
    assert expense.entered_by == personas.agency_officer and expense.total == Decimal("13.25")
    fig = metrics.compute(["integrity.public_expense"], bureau.leading_group, Period.year(2025))[
        "integrity.public_expense"
    ]
    assert (fig.value, fig.evidence_ids, fig.unit) == (Decimal("13.25"), [expense.pk], "万元")
    assert "录入" in fig.label
    # A branch secretary may not type the unit's figure.
    with pytest.raises(PermissionDenied):
        actions.do_save_expense(
            PublicExpense(
                organization=bureau.organ_committee,
                year=2024,
                travel_abroad=0,
                vehicles=0,
                reception=0,
                source_document="x",
            ),
            acting_user=personas.secretary_of_branch_1,
        )


def test_expense_import_names_the_row_and_writes_nothing_on_error(bureau, personas) -> None:  # type: ignore[no-untyped-def]
    header = [f.header for f in EXPENSES.fields]
    good = ["测试局机关党委", 2025, "0", "12.5", "3", "决算表"]
    bad = ["测试局机关党委", 2024, "0", "十二", "3", ""]
    user = personas.agency_officer
    report = import_sheet(EXPENSES, xlsx([header, good, bad]), user=user, context=import_context(user))
    assert not PublicExpense.objects.exists()
    lines = [str(p) for p in report.errors]
    assert any(line.startswith("第3行 D列（公务用车购置及运行费（万元））：“十二”不是数字") for line in lines)
    assert any(line.startswith("第3行 F列（来源文件）：不能为空") for line in lines)
    report = import_sheet(EXPENSES, xlsx([header, good]), user=user, context=import_context(user))
    assert report.ok and PublicExpense.objects.get().entered_by == user


def test_rules_are_scoped_and_counted(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    mine = UnitRule.objects.create(
        organization=bureau.branch_1, title="支部学习制度", kind="other", issued_on=D(2025, 3, 1)
    )
    other = UnitRule.objects.create(
        organization=bureau.branch_2, title="外支部制度", kind="other", issued_on=D(2025, 3, 1)
    )
    client = login(personas.secretary_of_branch_1)
    body = client.get(reverse("integrity:rules")).content.decode()
    assert "支部学习制度" in body and "外支部制度" not in body
    assert client.get(reverse("integrity:rule-edit", args=[other.pk])).status_code == 404
    fig = metrics.compute(["integrity.rules"], bureau.leading_group, Period.year(2025))["integrity.rules"]
    assert fig.evidence_ids == sorted([mine.pk, other.pk])


def test_overview_lists_branches_and_talks(bureau, personas, login, held) -> None:  # type: ignore[no-untyped-def]
    held(bureau.branch_1, "reminder_talk", D(2026, 3, 1))
    body = login(personas.agency_officer).get(reverse("integrity:overview") + "?year=2026").content.decode()
    assert body.count("未配备") >= 2 and "提醒谈话" in body
    assert login(personas.member).get(reverse("integrity:overview")).status_code == 403


def test_an_integrity_talk_is_recorded_as_its_own_kind_and_counted(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    from dangjian.activities.models import Activity

    client = login(personas.secretary_of_branch_1)
    assert (
        'value="integrity_talk" selected'
        in client.get(reverse("activities:talk-new") + "?kind=integrity_talk").content.decode()
    )
    client.post(
        reverse("activities:talk-new"),
        {
            "kind": "reminder_talk",
            "party_a": bureau.member_1.pk,
            "party_b": bureau.members[1].pk,
            "held_on": "2026-03-02",
            "topic": "提醒",
        },
    )
    talk = Activity.objects.get()
    assert talk.activity_type.code == "reminder_talk" and talk.talk_party_b == bureau.members[1]
    found = metrics.compute(["integrity.talks.reminder_talk"], bureau.branch_1, Period.year(2026))
    assert found["integrity.talks.reminder_talk"].evidence_ids == [talk.pk]


def test_a_read_only_role_is_not_offered_the_talk_form(personas, login) -> None:  # type: ignore[no-untyped-def]
    assert "登记谈话" not in login(personas.discipline).get(reverse("integrity:talks")).content.decode()
    assert "登记谈话" in login(personas.agency_officer).get(reverse("integrity:talks")).content.decode()


def test_inspections_by_kind_and_money_recount(bureau) -> None:  # type: ignore[no-untyped-def]
    from dangjian.rectification.models import Inspection

    def make(org, kind, day, amount=None):  # type: ignore[no-untyped-def]
        return Inspection.objects.create(
            organization=org,
            kind=kind,
            title=f"{kind}{day}",
            conducted_by="检查组",
            started_on=day,
            amount_checked=amount,
        )

    make(bureau.leading_group, "audit", D(2025, 3, 1), Decimal("100.50"))
    make(bureau.branch_1, "fund_check", D(2025, 6, 1), Decimal("20"))
    make(bureau.branch_2, "fund_check", D(2025, 7, 1))
    make(bureau.branch_1, "inspection", D(2024, 7, 1), Decimal("999"))  # another year
    found = metrics.compute(
        ["inspections.count", "inspections.audit", "inspections.fund_check", "inspections.amount"],
        bureau.leading_group,
        Period.year(2025),
    )
    walk = [i for i in Inspection.objects.all() if i.started_on.year == 2025]
    assert found["inspections.count"].evidence_ids == sorted(i.pk for i in walk)
    assert found["inspections.fund_check"].value == sum(1 for i in walk if i.kind == "fund_check")
    assert found["inspections.audit"].names == ("audit2025-03-01",)
    assert found["inspections.amount"].value == sum(i.amount_checked or 0 for i in walk)
    # a branch counts its own only
    assert (
        metrics.compute(["inspections.count"], bureau.branch_2, Period.year(2025))["inspections.count"].value
        == 1
    )


def test_officers_by_kind_and_branches_recount(bureau) -> None:  # type: ignore[no-untyped-def]
    Post.objects.create(
        organization=bureau.branch_1,
        kind="discipline_commissioner",
        member=bureau.member_1,
        started_on=D(2024, 1, 1),
    )
    Post.objects.create(
        organization=bureau.branch_2,
        kind="discipline_liaison",
        member=bureau.member_of_branch_2,
        started_on=D(2024, 1, 1),
        ended_on=D(2025, 3, 1),  # left before the year's end
    )
    keys = list(metrics.registry.keys())
    assert "integrity.officers.commissioners" in keys
    found = metrics.compute(
        [
            "integrity.officers",
            "integrity.officers.branches",
            "integrity.officers.commissioners",
            "integrity.officers.liaisons",
        ],
        bureau.leading_group,
        Period.year(2025),
    )
    current = [
        p
        for p in Post.objects.filter(kind__in=("discipline_commissioner", "discipline_liaison"))
        if p.started_on <= D(2025, 12, 31) and (p.ended_on is None or p.ended_on > D(2025, 12, 31))
    ]
    assert found["integrity.officers"].evidence_ids == sorted(p.pk for p in current)
    assert found["integrity.officers.branches"].evidence_ids == sorted({p.organization_id for p in current})
    assert found["integrity.officers.commissioners"].value == 1
    assert found["integrity.officers.liaisons"].value == 0


def test_public_expense_parts_previous_year_and_decrease_recount(bureau) -> None:  # type: ignore[no-untyped-def]
    rows = {
        2024: PublicExpense.objects.create(
            organization=bureau.organ_committee,
            year=2024,
            travel_abroad=Decimal("5"),
            vehicles=Decimal("10"),
            reception=Decimal("3"),
            source_document="2024年度部门决算公开表",
        ),
        2025: PublicExpense.objects.create(
            organization=bureau.organ_committee,
            year=2025,
            travel_abroad=Decimal("0"),
            vehicles=Decimal("9.5"),
            reception=Decimal("2.5"),
            source_document="2025年度部门决算公开表",
        ),
    }
    keys = [
        "integrity.public_expense",
        "integrity.public_expense.previous",
        "integrity.public_expense.decrease",
        "integrity.public_expense.vehicles",
        "integrity.public_expense.reception",
        "integrity.public_expense.travel_abroad",
    ]
    found = metrics.compute(keys, bureau.leading_group, Period.year(2025))
    now, before = rows[2025], rows[2024]
    assert found["integrity.public_expense"].names == ("2025年度部门决算公开表",)
    assert found["integrity.public_expense.previous"].value == before.total
    assert found["integrity.public_expense.decrease"].value == before.total - now.total
    assert found["integrity.public_expense.vehicles"].value == now.vehicles
    assert found["integrity.public_expense.reception"].value == now.reception
    # a rise is never a decrease
    later = metrics.compute(["integrity.public_expense.decrease"], bureau.leading_group, Period.year(2024))
    assert later["integrity.public_expense.decrease"].value == 0


def test_rules_name_their_titles(bureau) -> None:  # type: ignore[no-untyped-def]
    UnitRule.objects.create(
        organization=bureau.leading_group, title="甲制度", kind="integrity", issued_on=D(2025, 2, 1)
    )
    UnitRule.objects.create(
        organization=bureau.leading_group, title="乙制度", kind="style", issued_on=D(2025, 5, 1)
    )
    UnitRule.objects.create(
        organization=bureau.leading_group, title="丙制度", kind="style", issued_on=D(2024, 5, 1)
    )
    found = metrics.compute(["integrity.rules"], bureau.leading_group, Period.year(2025))["integrity.rules"]
    assert (found.value, found.names) == (2, ("甲制度", "乙制度"))
