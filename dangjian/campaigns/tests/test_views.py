"""Campaign, pledge and research pages as each persona sees and uses them."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangjian.campaigns import actions
from dangjian.campaigns.models import Campaign, ServicePledge
from dangjian.campaigns.tests.helpers import D, activity, campaign, plan_item, pledge
from dangjian.core.models import AuditLog


def test_agency_officer_creates_a_campaign_and_it_is_audited(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    mobilization = activity(bureau.organ_committee, "mobilization_meeting", D(2026, 3, 2))
    client = login(personas.agency_officer)
    response = client.post(
        "/campaigns/new/",
        {
            "organization": bureau.organ_committee.pk,
            "name": "党纪学习教育",
            "kind": "discipline_study",
            "goal_formula": "学纪、知纪、明纪、守纪",
            "started_on": "2026-03-01",
            "ended_on": "2026-07-31",
            "plan_title": "党纪学习教育实施方案",
            "plan_adopted_on": "2026-02-26",
            "mobilization": mobilization.pk,
        },
    )
    c = Campaign.objects.get(name="党纪学习教育")
    assert response.status_code == 302 and response["Location"] == f"/campaigns/{c.pk}/"
    assert c.mobilization == mobilization and list(c.activities.all()) == [mobilization]
    log = AuditLog.objects.get(object_id=str(c.pk), content_type__model="campaign", action="create")
    assert log.actor == personas.agency_officer
    page = client.get(f"/campaigns/{c.pk}/").content.decode()
    assert "学纪、知纪、明纪、守纪" in page and "2026-03-02" in page


def test_a_mobilization_meeting_must_be_of_that_type(bureau) -> None:  # type: ignore[no-untyped-def]
    lecture = activity(bureau.organ_committee, "party_lecture", D(2026, 3, 2))
    with pytest.raises(ValidationError) as exc:
        actions.do_save_campaign(
            acting_user=None,
            mobilization=lecture,
            organization=bureau.organ_committee,
            name="x",
            kind="other",
            started_on=D(2026, 3, 1),
        )
    assert "动员部署会" in str(exc.value.message_dict["mobilization"])


def test_branch_secretary_sees_the_agency_campaign_but_cannot_change_it(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    c = campaign(bureau.organ_committee, name="机关主题教育")
    other = campaign(bureau.branch_2, name="第二支部专项活动")
    client = login(personas.secretary_of_branch_1)
    listing = client.get("/campaigns/").content.decode()
    assert "机关主题教育" in listing and "第二支部专项活动" not in listing
    assert client.get(f"/campaigns/{c.pk}/").status_code == 200
    assert client.get(f"/campaigns/{other.pk}/").status_code == 404
    assert client.get(f"/campaigns/{c.pk}/edit/").status_code == 403


def test_branch_secretary_counts_their_meeting_towards_the_agency_campaign_from_its_page(
    bureau, personas, login
) -> None:  # type: ignore[no-untyped-def]
    c = campaign(bureau.organ_committee, name="机关主题教育")
    plan_item(c, "study_session", 2)
    mine = activity(bureau.branch_1, "study_session", D(2026, 4, 1))
    client = login(personas.secretary_of_branch_1)
    page = client.get(f"/activities/{mine.pk}/").content.decode()
    assert 'id="join-campaign"' in page and "机关主题教育" in page
    response = client.post(f"/campaigns/activity/{mine.pk}/join/", {"campaign": c.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Refresh"] == "true"
    assert list(c.activities.all()) == [mine]
    dashboard = client.get(f"/campaigns/{c.pk}/").content.decode()
    assert "1/2" in dashboard  # held against plan
    assert AuditLog.objects.filter(verb="计入专题活动", object_id=str(c.pk)).count() == 1


def test_a_branch_activity_cannot_join_a_campaign_of_another_branch(bureau) -> None:  # type: ignore[no-untyped-def]
    c = campaign(bureau.branch_2)
    mine = activity(bureau.branch_1, "study_session", D(2026, 4, 1))
    with pytest.raises(ValidationError, match="不在"):
        actions.do_link_activity(c, mine, acting_user=None)


def test_branch_secretary_cannot_link_another_branchs_activity(bureau, personas) -> None:  # type: ignore[no-untyped-def]
    c = campaign(bureau.organ_committee)
    theirs = activity(bureau.branch_2, "study_session", D(2026, 4, 1))
    with pytest.raises(PermissionDenied):
        actions.do_link_activity(c, theirs, acting_user=personas.secretary_of_branch_1)


def test_discipline_reads_campaigns_but_writes_nothing(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    c = campaign(bureau.organ_committee)
    client = login(personas.discipline)
    assert client.get(f"/campaigns/{c.pk}/").status_code == 200
    assert client.post(f"/campaigns/{c.pk}/plan/", {"title": "x", "target_count": 1}).status_code == 403


def test_member_gets_403_on_campaign_pages(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    assert login(personas.member).get("/campaigns/").status_code == 403


def test_pledge_list_shows_overdue_items_first(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    pledge(
        bureau.branch_1, bureau.member_1, collected=D(2026, 5, 1), title="按期事项", deadline=D(2099, 1, 1)
    )
    pledge(bureau.branch_1, bureau.member_1, collected=D(2026, 5, 2), title="办结事项", status="solved")
    pledge(
        bureau.branch_1, bureau.member_1, collected=D(2026, 4, 1), title="逾期事项", deadline=D(2026, 5, 1)
    )
    page = login(personas.secretary_of_branch_1).get("/campaigns/pledges/").content.decode()
    assert page.index("逾期事项") < page.index("按期事项") < page.index("办结事项")
    assert "已逾期" in page


def test_closing_a_pledge_needs_its_date_and_result_named_on_the_fields(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    p = pledge(bureau.branch_1, bureau.member_1, collected=D(2026, 5, 1))
    client = login(personas.secretary_of_branch_1)
    data = {
        "organization": bureau.branch_1.pk,
        "title": p.title,
        "source": "visit",
        "category": "livelihood",
        "collected_on": "2026-05-01",
        "handler": bureau.member_1.pk,
        "status": "solved",
        "beneficiary_unit": "people",
    }
    response = client.post(f"/campaigns/pledges/{p.pk}/edit/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "已办结的事项须填写办结日期" in page
    p.refresh_from_db()
    assert p.status == "open"
    data.update(solved_on="2026-05-20", result="已协调解决", beneficiaries="30")
    assert client.post(f"/campaigns/pledges/{p.pk}/edit/", data).status_code == 302
    p.refresh_from_db()
    assert (p.status, p.solved_on, p.beneficiaries) == ("solved", D(2026, 5, 20), 30)
    assert AuditLog.objects.filter(verb="变更办理状态", object_id=str(p.pk)).exists()


def test_branch_secretary_cannot_register_a_pledge_for_another_branch(bureau, personas) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        actions.do_save_pledge(
            acting_user=personas.secretary_of_branch_1,
            organization=bureau.branch_2,
            title="x",
            source="visit",
            category="service",
            collected_on=D(2026, 5, 1),
            handler=bureau.member_of_branch_2,
        )
    assert not ServicePledge.objects.exists()


def test_overdue_pledges_are_due_items_citing_the_units_rule(bureau, personas) -> None:  # type: ignore[no-untyped-def]
    from dangjian.core.agenda import due_items

    late = pledge(
        bureau.branch_1, bureau.member_1, collected=D(2026, 4, 1), title="逾期事项", deadline=D(2026, 5, 1)
    )
    pledge(
        bureau.branch_2,
        bureau.member_of_branch_2,
        collected=D(2026, 4, 1),
        title="他支部逾期",
        deadline=D(2026, 5, 1),
    )
    pledge(
        bureau.branch_1, bureau.member_1, collected=D(2026, 4, 1), title="远期事项", deadline=D(2026, 12, 31)
    )
    items = [i for i in due_items(personas.secretary_of_branch_1, D(2026, 6, 1)) if i.kind == "service"]
    assert [(i.title, i.overdue, i.level) for i in items] == [("逾期事项", True, "danger")]
    assert items[0].url == late.get_absolute_url()
    assert items[0].basis.startswith("本单位规定（《为民办实事工作方案》，2021年3月1日起执行")


def test_the_member_sees_the_pledges_they_handle_on_their_panel(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    pledge(
        bureau.branch_1,
        bureau.member_1,
        collected=D(2026, 4, 1),
        title="我的逾期事项",
        deadline=D(2026, 5, 1),
    )
    pledge(bureau.branch_1, bureau.members[1], collected=D(2026, 4, 1), title="别人的事项")
    page = login(personas.member).get("/").content.decode()
    assert "我承办的为民办实事" in page and "我的逾期事项" in page and "已逾期" in page
    assert "别人的事项" not in page


def test_research_project_sessions_are_research_activities(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.secretary_of_branch_1)
    response = client.post(
        "/campaigns/research/new/",
        {
            "organization": bureau.branch_1.pk,
            "title": "基层减负调研",
            "leader": bureau.member_1.pk,
            "team": [bureau.members[1].pk],
            "started_on": "2026-03-01",
            "status": "ongoing",
        },
    )
    assert response.status_code == 302
    project = bureau.branch_1.research_projects.get()
    assert list(project.team.all()) == [bureau.members[1]]
    research = activity(bureau.branch_1, "field_research", D(2026, 4, 1))
    lecture = activity(bureau.branch_1, "party_lecture", D(2026, 4, 2))
    client.post(f"/campaigns/research/{project.pk}/sessions/", {"activity": research.pk})
    client.post(f"/campaigns/research/{project.pk}/sessions/", {"activity": lecture.pk})
    assert list(project.sessions.all()) == [research]
    client.post(
        f"/campaigns/research/{project.pk}/outputs/",
        {"kind": "report", "title": "关于基层减负的调研报告", "issued_on": "2026-05-01", "adopted": "on"},
    )
    page = client.get(f"/campaigns/research/{project.pk}/").content.decode()
    assert "关于基层减负的调研报告" in page and research.topic in page
    assert "共1次" in page


def test_dashboard_query_count_does_not_grow_with_activities(
    bureau, personas, login, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    c = campaign(bureau.organ_committee)
    plan_item(c, "study_session", 3)
    c.activities.add(*[activity(bureau.branch_1, "study_session", D(2026, 4, d)) for d in range(1, 21)])
    pledge(bureau.branch_1, bureau.member_1, collected=D(2026, 4, 1), campaign=c)
    client = login(personas.agency_officer)
    client.get(f"/campaigns/{c.pk}/")
    with django_assert_max_num_queries(80):
        assert client.get(f"/campaigns/{c.pk}/").status_code == 200


def test_a_plan_item_behind_its_deadline_is_a_due_item_citing_the_plan(bureau, personas) -> None:  # type: ignore[no-untyped-def]
    from dangjian.core.agenda import due_items

    c = campaign(bureau.organ_committee, plan_title="专项整治工作方案", plan_adopted_on=D(2026, 2, 26))
    behind = plan_item(c, "study_session", 2, due=D(2026, 5, 31))
    met = plan_item(c, "party_lecture", 1, due=D(2026, 5, 31))
    c.activities.add(activity(bureau.branch_1, "study_session", D(2026, 4, 1)))
    c.activities.add(activity(bureau.branch_1, "party_lecture", D(2026, 4, 2)))
    c.activities.add(activity(bureau.branch_1, "study_session", D(2026, 6, 15)))  # after the deadline
    items = [i for i in due_items(personas.agency_officer, D(2026, 6, 20)) if i.kind == "campaign_plan"]
    assert [i.title for i in items] == [f"{c.name}：{behind.title}（已开展1次，计划2次）"]
    assert items[0].overdue and items[0].basis == "本单位规定（《专项整治工作方案》，2026年2月26日印发）"
    assert met.title not in " ".join(i.title for i in items)
    # The branch secretary cannot change the agency's campaign: it is not their to-do.
    assert [
        i for i in due_items(personas.secretary_of_branch_1, D(2026, 6, 20)) if i.kind == "campaign_plan"
    ] == []


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches (the ledger version, the session)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_campaign_list_reads_its_figures_in_the_same_queries_for_any_number_of_rows(
    bureau, personas, login
) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.agency_officer)
    for n in range(2):
        c = campaign(bureau.organ_committee, name=f"专题{n}")
        plan_item(c, "study_session", 2)
        c.activities.add(activity(bureau.branch_1, "study_session", D(2026, 4, n + 1)))
    few = _queries(client, "/campaigns/")
    for n in range(2, 8):
        c = campaign(bureau.branch_1 if n % 2 else bureau.organ_committee, name=f"专题{n}")
        plan_item(c, "theme_day", 1)
        pledge(bureau.branch_1, bureau.member_1, collected=D(2026, 4, 1), campaign=c, deadline=D(2026, 5, 1))
    assert _queries(client, "/campaigns/") == few


def test_dashboard_counts_by_organization_in_the_same_queries_for_any_number_of_them(
    bureau, personas, login
) -> None:  # type: ignore[no-untyped-def]
    from dangjian.orgs.models import Organization

    c = campaign(bureau.organ_committee)
    c.activities.add(activity(bureau.branch_1, "study_session", D(2026, 4, 1)))
    client = login(personas.agency_officer)
    before = _queries(client, f"/campaigns/{c.pk}/")
    for n in range(5):
        branch = Organization.objects.create(
            name=f"第{n + 3}党支部", kind="branch", parent=bureau.organ_committee, order=n + 3
        )
        c.activities.add(activity(branch, "study_session", D(2026, 5, n + 1)))
    assert _queries(client, f"/campaigns/{c.pk}/") == before
    page = client.get(f"/campaigns/{c.pk}/").content.decode()
    assert "第7党支部" in page and page.count("1次") >= 6
