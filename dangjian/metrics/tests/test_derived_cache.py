"""Figures cached between requests (``core.derived``): fresh after any ledger write, and never
handed from one scope to another."""

from __future__ import annotations

import datetime

from dangjian.core.period import Period
from dangjian.metrics import registry

YEAR = Period.parse(str(datetime.date.today().year))
KEY = "members.active"


def active(user) -> int:  # type: ignore[no-untyped-def]
    return registry.compute_in_reach([KEY], YEAR, user)[KEY].value


def test_a_ledger_write_is_seen_on_the_next_read(personas, bureau) -> None:
    from dangjian.core.audit import ledger_version

    officer = personas.agency_officer
    assert active(officer) == 5
    before = ledger_version()
    bureau.member_of_branch_2.status = "left"
    bureau.member_of_branch_2.save()
    assert ledger_version() != before
    assert active(officer) == 4


def test_reads_are_cached_until_the_ledger_changes(personas, bureau, django_assert_num_queries) -> None:
    officer = personas.agency_officer
    assert active(officer) == 5
    with django_assert_num_queries(0):
        assert active(officer) == 5


def test_never_shared_across_scopes(personas, bureau) -> None:
    # The agency first, so that a cache keyed too coarsely would hand its count to the branch.
    assert active(personas.agency_officer) == 5
    assert active(personas.secretary_of_branch_1) == 3
    assert active(personas.member) == 1
    assert active(personas.agency_officer) == 5


def test_scope_key_holds_every_field(personas) -> None:
    from dataclasses import fields, replace

    from dangjian.core.scope import get_scope

    scope = get_scope(personas.secretary_of_branch_1)
    for field in fields(scope):
        value = getattr(scope, field.name)
        other = not value if isinstance(value, bool) else f"{value}x"
        assert replace(scope, **{field.name: other}).cache_key != scope.cache_key, field.name


def test_dues_month_page_follows_a_payment(personas, bureau, bases, login) -> None:  # type: ignore[no-untyped-def]
    from dangjian.dues.tests.conftest import pay

    client = login(personas.secretary_of_branch_1)
    url = f"/dues/month/?org={bureau.branch_1.pk}"
    client.get(url)  # computed and kept
    first = client.get(url).content.decode().split(bureau.member_1.name, 1)[1].split("</tr>", 1)[0]
    assert "实交0.00元" in first
    pay(bureau.member_1, "45.00", "R-CACHE-1", on=datetime.date.today())
    row = client.get(url).content.decode().split(bureau.member_1.name, 1)[1].split("</tr>", 1)[0]
    # Paid against the oldest month owed: the arrears shrink by the payment.
    assert row != first


def test_compliance_dashboard_follows_a_meeting_and_keeps_scopes_apart(
    personas, bureau, login, make_activity
) -> None:  # type: ignore[no-untyped-def]
    from dangjian.compliance.choices import CellStatus

    today = datetime.date.today()
    agency = login(personas.agency_officer)
    whole = {o.id for o in agency.get("/compliance/").context["matrix"].orgs}
    assert bureau.branch_2.pk in whole
    branch = login(personas.secretary_of_branch_1)
    url = f"/compliance/?org={bureau.branch_1.pk}&period={today.year}"
    before = branch.get(url).context
    assert bureau.branch_2.pk not in {o.id for o in before["matrix"].orgs}
    done = before["summary"][CellStatus.DONE]
    # Read again: the kept body, not built anew (its context is not there: nothing was computed).
    again = branch.get(url).context
    assert again["body"] == before["body"] and "summary" not in again
    make_activity(bureau.branch_1, "committee_meeting", today.replace(day=1))
    assert branch.get(url).context["summary"][CellStatus.DONE] > done


def test_a_rendered_part_is_keyed_by_the_query_not_its_order_and_only_so_many_are_kept(
    personas, bureau, rf, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from dangjian.core import derived

    calls: list[str] = []

    def part(query: str) -> str:
        request = rf.get("/members/" + query)
        request.user = personas.agency_officer
        return derived.rendered_part(
            "test.part", request, "core/empty_state.html", lambda: calls.append(query) or {"title": query}
        )

    part("?a=1&b=2")
    part("?b=2&a=1")  # the same question: kept
    part("?a=1&b=3")
    assert calls == ["?a=1&b=2", "?a=1&b=3"]
    # Past MAX_RENDERED, parts are still rendered, just not kept (a page of memory each).
    monkeypatch.setattr(derived, "MAX_RENDERED", 2)
    part("?a=9")
    part("?a=9")
    assert calls[-2:] == ["?a=9", "?a=9"]
