"""Each campaigns figure against a count made by hand from the records the test builds."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dangjian.campaigns.models import ResearchOutput, ResearchProject
from dangjian.campaigns.tests.helpers import D, activity, campaign, plan_item, pledge
from dangjian.core.period import Period
from dangjian.metrics import registry


@pytest.fixture
def world(bureau):  # type: ignore[no-untyped-def]
    b1, b2 = bureau.branch_1, bureau.branch_2
    m1, m4 = bureau.member_1, bureau.member_of_branch_2
    c = campaign(bureau.organ_committee)
    study = plan_item(c, "study_session", 3)
    lecture = plan_item(c, "party_lecture", 2)
    theme = plan_item(c, "theme_day", 2)
    untyped = plan_item(c, None, 5)
    linked = {
        "a1": activity(b1, "study_session", D(2026, 4, 1)),
        "a2": activity(b2, "study_session", D(2026, 5, 1)),
        "a3": activity(b1, "theme_day", D(2026, 6, 1), also=("party_lecture",)),
        "a4_after_span": activity(b1, "study_session", D(2026, 11, 15)),
        "a5_not_held": activity(b1, "study_session", None),
        "a6": activity(b2, "party_lecture", D(2026, 7, 1), status="held"),
        "a8": activity(b1, "study_session", D(2026, 8, 1)),
        "a9": activity(b1, "study_session", D(2026, 8, 2)),
    }
    c.activities.add(*linked.values())
    activity(b1, "study_session", D(2026, 4, 20))  # held but never linked
    p = {
        "p1": pledge(
            b1,
            m1,
            collected=D(2026, 4, 1),
            status="solved",
            campaign=c,
            beneficiaries=100,
            amount=Decimal("2.50"),
        ),
        "p2": pledge(
            b2,
            m4,
            collected=D(2026, 5, 1),
            status="mechanism",
            campaign=c,
            beneficiaries=3,
            beneficiary_unit="enterprises",
            amount=Decimal("10"),
        ),
        "p3": pledge(b1, m1, collected=D(2026, 6, 1), campaign=c, deadline=D(2026, 7, 1)),
        "p4": pledge(b1, m1, collected=D(2026, 6, 2), campaign=c, deadline=D(2027, 1, 1)),
        "p5": pledge(b1, m1, collected=D(2025, 12, 1), deadline=D(2026, 1, 31)),
        "p6": pledge(b1, m1, collected=D(2025, 3, 1), status="solved", beneficiaries=50),
    }
    r1 = ResearchProject.objects.create(
        organization=b1, title="课题一", leader=m1, started_on=D(2026, 2, 1), campaign=c
    )
    r2 = ResearchProject.objects.create(
        organization=b1,
        title="课题二",
        leader=m1,
        started_on=D(2025, 9, 1),
        finished_on=D(2026, 6, 30),
        status="finished",
    )
    ResearchProject.objects.create(
        organization=b2,
        title="课题三",
        leader=m4,
        started_on=D(2025, 1, 1),
        finished_on=D(2025, 12, 1),
        status="finished",
    )
    session = activity(b1, "field_research", D(2026, 3, 5))
    old_session = activity(b1, "field_research", D(2025, 12, 1))
    r1.sessions.add(session, old_session)
    adopted = ResearchOutput.objects.create(
        project=r1, kind="report", title="报告", issued_on=D(2026, 4, 1), adopted=True
    )
    ResearchOutput.objects.create(project=r2, kind="proposal", title="建议", issued_on=D(2025, 12, 15))
    return {
        "c": c,
        "items": (study, lecture, theme, untyped),
        "a": linked,
        "p": p,
        "session": session,
        "adopted": adopted,
    }


def _values(keys, org, period, user=None):  # type: ignore[no-untyped-def]
    found = registry.compute(keys, org, period, user)
    return {k: found[k].value for k in keys}, found


def test_campaign_dashboard_counts_linked_held_activities_against_each_plan_item(world, bureau) -> None:  # type: ignore[no-untyped-def]
    c = world["c"]
    a = world["a"]
    study, lecture, theme, _untyped = world["items"]
    span = Period.between(c.started_on, c.ended_on)
    keys = [
        f"campaign.{c.pk}.{p}" for p in ("activities", "orgs", "planned", "held_against_plan", "plan_rate")
    ]
    keys += [f"campaign.{c.pk}.item.{i.pk}" for i in (study, lecture, theme)]
    values, found = _values(keys, c.organization, span)
    # Held in the span and linked: a1 a2 a3 a6 a8 a9 (a4 after the span, a5 not held, the unlinked one not).
    held = {a[k].pk for k in ("a1", "a2", "a3", "a6", "a8", "a9")}
    assert values[f"campaign.{c.pk}.activities"] == 6
    assert set(found[f"campaign.{c.pk}.activities"].evidence_ids) == held
    assert values[f"campaign.{c.pk}.orgs"] == 2
    # study 4 held (a1 a2 a8 a9) of 3; lecture 2 (a3 also counted, a6) of 2; theme day 1 (a3) of 2.
    assert values[f"campaign.{c.pk}.item.{study.pk}"] == 4
    assert values[f"campaign.{c.pk}.item.{lecture.pk}"] == 2
    assert values[f"campaign.{c.pk}.item.{theme.pk}"] == 1
    assert values[f"campaign.{c.pk}.planned"] == 3 + 2 + 2  # the untyped item is not counted
    assert values[f"campaign.{c.pk}.held_against_plan"] == 3 + 2 + 1  # each item up to its target
    assert values[f"campaign.{c.pk}.plan_rate"] == Decimal("85.7")
    assert found[f"campaign.{c.pk}.plan_rate"].basis == (6, 7)


def test_campaign_pledges_are_solved_open_and_overdue_as_of_the_campaigns_end(world) -> None:  # type: ignore[no-untyped-def]
    c, p = world["c"], world["p"]
    span = Period.between(c.started_on, c.ended_on)
    parts = (
        "pledges",
        "solved",
        "mechanism",
        "open",
        "overdue",
        "beneficiaries.people",
        "beneficiaries.enterprises",
        "amount",
    )
    values, found = _values([f"campaign.{c.pk}.{x}" for x in parts], c.organization, span)
    got = {x: values[f"campaign.{c.pk}.{x}"] for x in parts}
    assert got == {
        "pledges": 4,
        "solved": 2,
        "mechanism": 1,
        "open": 2,
        "overdue": 1,
        "beneficiaries.people": 100,
        "beneficiaries.enterprises": 3,
        "amount": Decimal("12.50"),
    }
    assert found[f"campaign.{c.pk}.overdue"].evidence_ids == [p["p3"].pk]


def test_year_pledge_figures_over_the_bureau(world, bureau) -> None:  # type: ignore[no-untyped-def]
    p = world["p"]
    keys = [
        "pledges.collected",
        "pledges.solved",
        "pledges.mechanism",
        "pledges.open",
        "pledges.overdue",
        "pledges.beneficiaries.people",
        "pledges.beneficiaries.enterprises",
        "pledges.beneficiaries.households",
        "pledges.amount",
    ]
    values, found = _values(keys, bureau.leading_group, Period.year(2026))
    assert values == {
        "pledges.collected": 4,  # p1-p4; p5 and p6 were collected in 2025
        "pledges.solved": 2,
        "pledges.mechanism": 1,
        "pledges.open": 3,  # p3 p4 p5, as of today
        "pledges.overdue": 2,  # p3 p5
        "pledges.beneficiaries.people": 100,  # p6's 50 were in 2025
        "pledges.beneficiaries.enterprises": 3,
        "pledges.beneficiaries.households": 0,
        "pledges.amount": Decimal("12.50"),
    }
    assert found["pledges.overdue"].evidence_ids == sorted([p["p3"].pk, p["p5"].pk])


def test_a_branch_secretary_counts_only_their_branch(world, bureau, personas) -> None:  # type: ignore[no-untyped-def]
    values, _ = _values(
        ["pledges.collected", "pledges.solved"],
        bureau.leading_group,
        Period.year(2026),
        personas.secretary_of_branch_1,
    )
    assert values == {"pledges.collected": 3, "pledges.solved": 1}  # p1 p3 p4; p1


def test_research_figures_for_the_year(world, bureau) -> None:  # type: ignore[no-untyped-def]
    keys = [
        "research.projects",
        "research.finished",
        "research.sessions",
        "research.outputs",
        "research.outputs_adopted",
    ]
    values, found = _values(keys, bureau.leading_group, Period.year(2026))
    assert values == {
        "research.projects": 2,  # 课题一 (ongoing), 课题二 (finished mid-2026); 课题三 ended in 2025
        "research.finished": 1,
        "research.sessions": 1,  # the 2025 session is outside the year
        "research.outputs": 1,
        "research.outputs_adopted": 1,
    }
    assert found["research.sessions"].evidence_ids == [world["session"].pk]


def test_period_campaign_figures(world, bureau) -> None:  # type: ignore[no-untyped-def]
    keys = ["campaigns.count", "campaigns.activities", "campaigns.plan_target", "campaigns.plan_held"]
    values, _ = _values(keys, bureau.leading_group, Period.year(2026))
    # The whole year: a4 (Nov) is held and linked too, but the study item is already full.
    assert values == {
        "campaigns.count": 1,
        "campaigns.activities": 7,
        "campaigns.plan_target": 7,
        "campaigns.plan_held": 6,
    }
    values, _ = _values(keys, bureau.leading_group, Period.year(2025))
    assert values == {
        "campaigns.count": 0,
        "campaigns.activities": 0,
        "campaigns.plan_target": 0,
        "campaigns.plan_held": 0,
    }


def test_an_unknown_campaign_part_is_refused() -> None:
    with pytest.raises(registry.UnknownFigure):
        registry.get("campaign.1.nonsense")(None, Period.year(2026))


def test_campaign_activities_by_organization_below(world, bureau) -> None:  # type: ignore[no-untyped-def]
    c, a = world["c"], world["a"]
    span = Period.between(c.started_on, c.ended_on)
    keys = [f"campaign.{c.pk}.below.{bureau.branch_1.pk}", f"campaign.{c.pk}.below.{bureau.branch_2.pk}"]
    found = registry.compute(keys, c.organization, span)
    assert found[keys[0]].evidence_ids == sorted(a[k].pk for k in ("a1", "a3", "a8", "a9"))
    assert found[keys[1]].evidence_ids == sorted(a[k].pk for k in ("a2", "a6"))


def test_campaign_teams_plan_items_and_items_met_recount(world, bureau) -> None:  # type: ignore[no-untyped-def]
    from dangjian.campaigns.models import PlanItem, TeamMember

    c = world["c"]
    TeamMember.objects.create(campaign=c, team="leading_group", member=bureau.member_1, role="组长")
    TeamMember.objects.create(campaign=c, team="leading_group", member=bureau.member_of_branch_2)
    TeamMember.objects.create(campaign=c, team="working_team", member=bureau.member_1)
    span = Period.between(c.started_on, c.ended_on)
    parts = ("leading_group", "working_team", "plan_items", "items_met", "items_short")
    values, found = _values([f"campaign.{c.pk}.{p}" for p in parts], c.organization, span)
    # by hand: the team rows by their team; the plan's items; typed items held up to their target
    rows = list(TeamMember.objects.filter(campaign=c))
    assert values[f"campaign.{c.pk}.leading_group"] == sum(1 for r in rows if r.team == "leading_group")
    assert values[f"campaign.{c.pk}.working_team"] == sum(1 for r in rows if r.team == "working_team")
    items = list(PlanItem.objects.filter(campaign=c))
    assert values[f"campaign.{c.pk}.plan_items"] == len(items)
    assert set(found[f"campaign.{c.pk}.plan_items"].names) == {i.title for i in items}
    study, lecture, theme, _untyped = world["items"]
    # study 4 of 3 and lecture 2 of 2 are met; theme day 1 of 2 is short; the untyped item is neither
    assert found[f"campaign.{c.pk}.items_met"].evidence_ids == sorted([study.pk, lecture.pk])
    assert found[f"campaign.{c.pk}.items_short"].evidence_ids == [theme.pk]
    assert found[f"campaign.{c.pk}.items_short"].names == (theme.title,)


def test_pledge_and_research_figures_name_their_records(world, bureau) -> None:  # type: ignore[no-untyped-def]
    from dangjian.campaigns.models import ServicePledge

    _values_, found = _values(
        ["pledges.solved", "research.projects", "research.outputs"], bureau.leading_group, Period.year(2026)
    )
    solved = ServicePledge.objects.filter(pk__in=found["pledges.solved"].evidence_ids)
    assert set(found["pledges.solved"].names) == {p.title for p in solved}
    assert set(found["research.projects"].names) == {"课题一", "课题二"}
    assert found["research.outputs"].names == ("报告",)


def test_the_campaign_list_reads_each_campaigns_values_as_its_dashboard_does(world, bureau, personas) -> None:  # type: ignore[no-untyped-def]
    c = world["c"]
    a = world["a"]
    # A second campaign: a branch's own, still running, sharing some activities and a pledge.
    own = campaign(bureau.branch_1, name="支部专项", start=D(2026, 5, 1), end=None)
    plan_item(own, "study_session", 2)
    plan_item(own, "theme_day", 1)
    own.activities.add(a["a8"], a["a9"], a["a2"])  # a2 is branch 2's: outside the branch's subtree
    pledge(bureau.branch_1, bureau.member_1, collected=D(2026, 6, 1), campaign=own, deadline=D(2026, 7, 1))
    parts = ("activities", "planned", "held_against_plan", "plan_rate", "open", "overdue", "solved")
    spans = {
        c: Period.between(c.started_on, c.ended_on),
        own: Period.between(own.started_on, D(2026, 11, 29)),
    }
    requests = [([f"campaign.{x.pk}.{p}" for p in parts], x.organization, span) for x, span in spans.items()]
    # The agency campaign once more over branch 2 only: a second span of the same campaign.
    requests.append(([f"campaign.{c.pk}.{p}" for p in parts], bureau.branch_2, spans[c]))
    for user in (None, personas.agency_officer, personas.secretary_of_branch_1):
        each = registry.values_each(requests, user)
        one = [
            {k: f.value for k, f in registry.compute(keys, org, span, user).items()}
            for keys, org, span in requests
        ]
        assert each == one, user
    # The figures are not all zero, so the comparison says something.
    assert each[0][f"campaign.{c.pk}.activities"] == 4  # branch 1's a1 a3 a8 a9
    assert each[1][f"campaign.{own.pk}.held_against_plan"] == 2
    assert each[1][f"campaign.{own.pk}.overdue"] == 1


def test_the_dashboards_one_read_of_pledges_counts_as_the_queries_do(world, bureau, personas) -> None:  # type: ignore[no-untyped-def]
    from dangjian.metrics.figures import campaigns as figures

    c = world["c"]
    for period in (
        Period.between(c.started_on, c.ended_on),
        Period.year(2025),
        Period.between(D(2026, 6, 15), D(2026, 6, 15)),
    ):
        for user in (None, personas.secretary_of_branch_1):
            for cid in (c.pk, None):
                qs = figures._pledges(bureau.leading_group, user, cid)
                rows = list(qs.values_list(*figures.PLEDGE_ROW))
                by_query = figures._pledge_figures(qs, period, "x.")
                by_rows = figures._pledge_figures_from_rows(rows, period, "x.", figures.PLEDGE_PARTS)
                assert by_rows == by_query, (period, user, cid)
