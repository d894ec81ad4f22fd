"""One source of numbers (issue 9): on the demo bureau, what the home panels, the organization
pages, the dues overview, the recruitment list and the compliance dashboard show equals
metrics' figure for the same organization and day — for the administrator, the 机关党委 and a
branch secretary."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from dangjian import metrics
from dangjian.core import numbers
from dangjian.core.dates import today
from dangjian.core.period import Period

ROLES = ["admin", "jgdw", "zb1"]


def persona(role: str) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=role)


class FreshClient(Client):
    """Builds every page afresh: a page's body kept from an earlier test (core.derived, per
    ledger version) would leave the response without the context these tests read."""

    def get(self, *args: Any, **kwargs: Any) -> Any:
        from dangjian.core import derived

        derived.clear()
        return super().get(*args, **kwargs)


def client_for(user: Any) -> Client:
    client = FreshClient()
    client.force_login(user)
    return client


def values(keys: list[str], period: Any, user: Any, org: Any = None) -> dict[str, Any]:
    found = (
        metrics.compute(keys, org, period, user)
        if org is not None
        else metrics.compute_in_reach(keys, period, user)
    )
    return {key: fig.value for key, fig in found.items()}


@pytest.mark.parametrize("role", ROLES)
def test_home_panels_show_the_figures_of_the_day(demo_bureau, db, role):
    from dangjian.core.home import panels_for
    from dangjian.members.choices import MemberStatus

    user = persona(role)
    request = RequestFactory().get("/")
    request.user = user
    panels = {panel.template: panel.context for panel in panels_for(request)}
    day = numbers.on_day()

    roster = panels["members/panel_home.html"]
    statuses = [f"members.status.{s.value}" for s in MemberStatus]
    found = values(["members.active", *statuses], day, user)
    assert roster["active"] == found["members.active"] > 0
    assert {code: n for code, _label, n in roster["rows"]} == {
        k.removeprefix("members.status."): found[k] for k in statuses
    }

    orgs = panels["orgs/panel_home.html"]
    found = values(
        ["orgs.count.branch", "orgs.count.general_branch", "orgs.count.cell", "terms.due", "terms.overdue"],
        day,
        user,
    )
    assert (orgs["branches"], orgs["general"], orgs["cells"]) == (
        found["orgs.count.branch"],
        found["orgs.count.general_branch"],
        found["orgs.count.cell"],
    )
    assert (orgs["due_count"], orgs["overdue_count"]) == (found["terms.due"], found["terms.overdue"])

    cases = panels["recruitment/_home_panel.html"]
    found = values(["cases.items_due", "cases.items_overdue", "cases.open"], day, user)
    assert (cases["due"], cases["overdue"], cases["open"]) == (
        found["cases.items_due"],
        found["cases.items_overdue"],
        found["cases.open"],
    )
    assert cases["open"] > 0

    warnings = panels["compliance/panel_warnings.html"]
    year = Period.year(today().year)
    found = values(["warnings.total", "warnings.danger", "warnings.warn"], year, user)
    assert (warnings["total"], warnings["danger"], warnings["warn"]) == (
        found["warnings.total"],
        found["warnings.danger"],
        found["warnings.warn"],
    )
    # The compliance page, opened on the user's own organization for this year, says the same.
    page = client_for(user).get(reverse("compliance:dashboard"))
    counts = page.context["warning_counts"]
    assert counts["total"] == warnings["total"]
    org, period = page.context["org"], page.context["period"]
    assert counts == {
        k.removeprefix("warnings."): v
        for k, v in values(
            [
                "warnings.total",
                "warnings.danger",
                "warnings.warn",
                "warnings.missing",
                "warnings.due_soon",
                "warnings.members",
            ],
            period,
            user,
            org,
        ).items()
    }


@pytest.mark.parametrize("role", ROLES)
def test_organization_pages_show_the_roll_of_the_day(demo_bureau, db, role):
    from dangjian.orgs.models import Organization

    user = persona(role)
    client = client_for(user)
    day = numbers.on_day()
    keys = ["members.active", "members.direct"]
    nodes = client.get(reverse("orgs:tree")).context["nodes"]
    assert nodes
    by_id = {o.pk: o for o in Organization.objects.filter(pk__in=[n.pk for n in nodes])}
    for node in nodes:
        found = values(keys, day, user, by_id[node.pk])
        assert (node.total_count, node.own_count) == (found["members.active"], found["members.direct"]), (
            node.name
        )
    # An organization's page: its own counts and its children's.
    for node in nodes[:3] + [n for n in nodes if n.kind == "cell"][:1]:
        page = client.get(reverse("orgs:detail", args=[node.pk])).context
        assert page["node"].total_count == values(keys, day, user, page["org"])["members.active"]
        for child in page["children"]:
            assert child.head_count == values(["members.active"], day, user, child)["members.active"]


@pytest.mark.parametrize("role", ROLES)
def test_dues_overview_totals_are_the_dues_figures(demo_bureau, db, role):
    user = persona(role)
    now = today()
    page = client_for(user).get(reverse("dues:overview"), {"month": now.strftime("%Y-%m")}).context
    month = Period.month(now.year, now.month)
    keys = ["dues.due", "dues.paid", "dues.rate"]
    assert page["table"]
    for row in page["table"]:
        year = values(keys, Period.between(datetime.date(now.year, 1, 1), month.end), user, row["org"])
        assert (row["due"], row["paid"]) == (year["dues.due"], year["dues.paid"])
        assert row["rate"] == (year["dues.rate"] if year["dues.due"] else None)
        for cell in row["cells"]:
            found = values(keys, Period.month(cell["month"].year, cell["month"].month), user, row["org"])
            assert (cell["due"], cell["paid"]) == (found["dues.due"], found["dues.paid"])
    found = values(["dues.in_arrears", "dues.lapsed"], month, user)
    assert page["arrears_count"] == len(page["arrears_rows"]) == found["dues.in_arrears"]
    assert page["lapsed_count"] == len(page["flags"]) == found["dues.lapsed"]


@pytest.mark.parametrize("role", ROLES)
def test_recruitment_counts_by_stage_are_the_case_figures(demo_bureau, db, role):
    from dangjian.recruitment.choices import Stage

    user = persona(role)
    client = client_for(user)
    for status, key in (("open", "cases.open"), ("completed", "cases.completed"), ("any", "cases.all")):
        page = client.get(reverse("recruitment:list"), {"status": status}).context
        found = values([key, *(f"{key}.{s}" for s in Stage.values)], numbers.on_day(), user)
        assert page["total"] == found[key]
        assert {code: n for code, _label, n in page["tabs"]} == {s: found[f"{key}.{s}"] for s in Stage.values}


def test_cases_rebuilt_from_their_steps_match_the_stored_summary(demo_bureau, db, monkeypatch):
    """Today the case figures read the stored stage and status; rebuilt from the steps (as for a
    past day) they come out the same for every demo case."""
    from dangjian.metrics.figures import recruitment
    from dangjian.orgs.models import Organization

    root = Organization.objects.get(depth=0)
    day = today()
    stored = recruitment.case_states(root, day)
    monkeypatch.setattr(recruitment, "today", lambda: day + datetime.timedelta(days=1))
    assert sorted(recruitment.case_states(root, day)) == sorted(stored)
    assert len(stored) > 10
