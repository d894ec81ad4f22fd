"""The rectification figures, recounted by hand from the findings each test sets up."""

from __future__ import annotations

import datetime

import pytest

from dangjian import metrics
from dangjian.core.period import Period
from dangjian.rectification import actions
from dangjian.rectification.models import Finding

D = datetime.date
YEAR = Period.year(2025)


@pytest.fixture
def ledger(bureau, make_finding, personas):  # type: ignore[no-untyped-def]
    a = make_finding(source="org_life", found_on=D(2025, 1, 10), deadline=D(2025, 3, 31))  # closed in 2025
    actions.do_close_finding(a, closed_on=D(2025, 3, 20), evidence="已整改", acting_user=personas.admin)
    b = make_finding(
        source="org_life", found_on=D(2025, 6, 1), deadline=D(2025, 9, 30)
    )  # overdue at year end
    c = make_finding(source="audit", found_on=D(2025, 11, 1), deadline=D(2026, 3, 31))  # open, not yet due
    d = make_finding(
        source="audit", found_on=D(2025, 4, 1), deadline=D(2025, 8, 1)
    )  # closed 2026: open at 2025 end
    actions.do_close_finding(d, closed_on=D(2026, 1, 15), evidence="已整改", acting_user=personas.admin)
    e = make_finding(
        org=bureau.branch_2,
        responsible=bureau.member_of_branch_2,
        source="self",
        found_on=D(2024, 5, 1),
        deadline=D(2024, 12, 31),
    )  # found 2024, reopened, still open in 2025
    actions.do_close_finding(e, closed_on=D(2024, 10, 1), evidence="已整改", acting_user=personas.admin)
    actions.do_reopen_finding(
        e, reason="复查未解决", on=D(2024, 12, 1), deadline=D(2025, 12, 1), acting_user=personas.admin
    )
    f = make_finding(source="self", found_on=D(2026, 2, 1), deadline=D(2026, 5, 1))  # outside 2025 altogether
    return {k: v.pk for k, v in dict(a=a, b=b, c=c, d=d, e=e, f=f).items()}


def _fig(bureau, key, org=None, user=None):  # type: ignore[no-untyped-def]
    return metrics.compute([key], org or bureau.leading_group, YEAR, user)[key]


def test_found_closed_open_overdue_reopened_over_the_whole_bureau(bureau, ledger):
    ids = ledger
    assert _fig(bureau, "rectification.found").evidence_ids == sorted(
        [ids["a"], ids["b"], ids["c"], ids["d"]]
    )
    assert _fig(bureau, "rectification.closed").evidence_ids == [ids["a"]]
    assert _fig(bureau, "rectification.open").evidence_ids == sorted([ids["b"], ids["c"], ids["d"], ids["e"]])
    assert _fig(bureau, "rectification.overdue").evidence_ids == sorted([ids["b"], ids["d"], ids["e"]])
    assert _fig(bureau, "rectification.reopened").evidence_ids == [ids["e"]]
    assert _fig(bureau, "rectification.found").value == 4


def test_figures_by_source(bureau, ledger):
    assert _fig(bureau, "rectification.found.org_life").evidence_ids == sorted([ledger["a"], ledger["b"]])
    assert _fig(bureau, "rectification.found.audit").value == 2
    assert _fig(bureau, "rectification.found.inspection").value == 0
    assert _fig(bureau, "rectification.overdue.self").evidence_ids == [ledger["e"]]
    assert _fig(bureau, "rectification.closed.org_life").label == "组织生活会已销号问题"


def test_close_rate_is_closed_by_the_period_end_of_those_found_in_it(bureau, ledger):
    rate = _fig(bureau, "rectification.close_rate")
    assert rate.basis == (1, 4)
    assert str(rate.value) == "25.0"


def test_a_branch_subtree_and_a_branch_secretary_see_only_their_branch(bureau, ledger, personas):
    assert _fig(bureau, "rectification.open", org=bureau.branch_2).evidence_ids == [ledger["e"]]
    mine = _fig(bureau, "rectification.open", org=bureau.branch_1, user=personas.secretary_of_branch_1)
    assert ledger["e"] not in mine.evidence_ids and mine.value == 3


def test_every_key_is_listed_in_the_catalogue(bureau):
    listed = set(metrics.keys())
    for state in ("found", "closed", "open", "overdue", "reopened"):
        assert f"rectification.{state}" in listed
        assert f"rectification.{state}.democratic_life" in listed
    assert "rectification.close_rate" in listed
    assert Finding.objects.count() == 0
