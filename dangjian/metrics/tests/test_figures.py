"""Named figures: values by hand, and evidence ids equal to an independent recomputation."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from dangjian import metrics
from dangjian.core.period import Period
from dangjian.metrics import base
from dangjian.metrics.figures import Figure
from dangjian.metrics.figures import activities as figures
from dangjian.metrics.figures import members as member_figures
from dangjian.metrics.figures import orgs as org_figures
from dangjian.metrics.registry import UnknownFigure
from dangjian.metrics.tests.recount import independent_attendance_ids

D = datetime.date
pytestmark = pytest.mark.django_db
YEAR = Period.parse("2022")


def test_activity_counts_by_type_via_credits(bureau, ledger):
    counts = figures.activity_counts(bureau.leading_group, YEAR)
    assert counts["party_lecture"].value == 2  # the lecture and the theme day that included one
    assert counts["party_lecture"].evidence_ids == sorted([ledger["td"].pk, ledger["lecture"].pk])
    assert counts["committee_meeting"].evidence_ids == [ledger["cm"].pk]  # not planned, not 2021
    assert counts["general_meeting"].evidence_ids == [ledger["gm"].pk]  # 23:30 on 31 March
    one = metrics.get("activities.count.party_lecture")(bureau.leading_group, YEAR)
    assert one == counts["party_lecture"]
    assert figures.activity_count("theme_day", bureau.branch_2, YEAR).evidence_ids == [ledger["late"].pk]


def test_attendance_figures_match_an_independent_recomputation(bureau, ledger):
    root = bureau.leading_group
    rate = figures.attendance_rate(root, YEAR)
    rows = independent_attendance_ids(root, YEAR)
    present = independent_attendance_ids(root, YEAR, {"present"})
    assert rate.evidence_ids == rows
    assert rate.basis == (len(present), len(rows)) == (4, 7)
    assert rate.value == Decimal("57.1") and rate.unit == "%"
    times = figures.attendance_person_times(root, YEAR)
    assert (times.value, times.unit, times.evidence_ids) == (4, "人次", present)


def test_makeup_completion(bureau, ledger):
    fig = figures.makeup_completion(bureau.leading_group, YEAR)
    expected = independent_attendance_ids(bureau.leading_group, YEAR, {"absent", "leave"})
    assert fig.evidence_ids == expected and fig.basis == (1, 3) and fig.value == Decimal("33.3")


def test_members_who_attended_nothing_and_member_counts(bureau, ledger):
    m1, m2, m3, m4, m5 = bureau.members
    fig = figures.members_attended_nothing(bureau.leading_group, YEAR)
    # 钱二华 was absent/on leave only; 孙三立 was admitted in 2026; 周五平 left in June.
    assert fig.evidence_ids == [m2.pk] and fig.unit == "人"
    counts = metrics.compute(
        ["members.active", "members.status.transferred_out", "members.status.full"],
        bureau.leading_group,
        YEAR,
    )
    assert counts["members.active"].evidence_ids == sorted([m1.pk, m2.pk, m4.pk])
    assert counts["members.status.transferred_out"].evidence_ids == [m5.pk]
    before = member_figures.member_counts(bureau.leading_group, Period.parse("2022Q1"))
    assert m5.pk in before["members.active"].evidence_ids


def test_talks_reflections_first_agenda_and_secretary_lectures(bureau, ledger):
    m1, m2, _m3, m4, _m5 = bureau.members
    root = bureau.leading_group
    assert figures.talk_count(root, YEAR).evidence_ids == [ledger["talk"].pk]
    coverage = figures.talk_coverage(root, YEAR)
    assert coverage.evidence_ids == sorted([m1.pk, m4.pk]) and coverage.basis == (2, 3)
    assert coverage.value == Decimal("66.7")
    # Branch 1 only: 赵一明 was a party to a talk recorded by branch 2.
    assert figures.talk_coverage(bureau.branch_1, YEAR).basis == (1, 2)
    assert figures.reflections_count(root, YEAR).value == 1
    assert figures.first_agenda_count(root, YEAR).evidence_ids == [ledger["lg"].pk]
    assert figures.secretary_lecture_count(root, YEAR).evidence_ids == [ledger["lecture"].pk]


def test_terms_due_and_overdue(bureau, ledger, monkeypatch):
    from dangjian.orgs.models import Term

    overdue = Term.objects.create(organization=bureau.branch_1, elected_on=D(2019, 3, 1), length_years=3)
    soon = Term.objects.create(organization=bureau.branch_2, elected_on=D(2020, 2, 1), length_years=3)
    monkeypatch.setattr(base, "today", lambda: D(2022, 12, 1))
    assert org_figures.terms_overdue(bureau.leading_group, YEAR).evidence_ids == [overdue.pk]
    assert org_figures.terms_due_soon(bureau.leading_group, YEAR).evidence_ids == [soon.pk]


def test_figures_respect_the_users_scope(bureau, ledger, personas):
    root = bureau.leading_group
    mine = figures.activity_counts(root, YEAR, user=personas.secretary_of_branch_1)
    assert mine["general_meeting"].value == 0 and mine["committee_meeting"].value == 1
    assert figures.talk_count(root, YEAR, user=personas.secretary_of_branch_1).value == 0
    # A member sees only activities they attended.
    own = figures.activity_counts(root, YEAR, user=personas.member)
    assert own["committee_meeting"].evidence_ids == [ledger["cm"].pk]
    assert figures.attendance_person_times(root, YEAR, user=personas.outsider).value == 0


def test_figure_json_and_registry(bureau, ledger):
    fig = metrics.compute(["attendance.rate"], bureau.leading_group, Period.parse("2022"))["attendance.rate"]
    data = fig.to_json()
    assert set(data) == {"key", "label", "value", "unit", "evidence"}
    assert data["evidence"] == {"model": "activities.attendance", "ids": fig.evidence_ids}
    assert data["value"] == 57.1 and data["label"] == "参会率"
    assert isinstance(Figure("k", "标签", 1, "次", "m.m", [1]).to_json()["value"], int)
    for key in metrics.keys():
        assert isinstance(metrics.compute([key], bureau.leading_group, YEAR)[key], Figure)
    with pytest.raises(UnknownFigure) as info:
        metrics.get("nothing.here")
    assert "未知的统计指标" in str(info.value)
