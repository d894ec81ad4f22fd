"""The campaign dashboard's member search for its teams: who it finds, for whom, and what it shows."""

from __future__ import annotations

import re

from dangjian.campaigns.models import TeamMember
from dangjian.campaigns.tests.helpers import campaign
from dangjian.core.lookup import LOOKUP_MAX
from dangjian.testing.factories import id_number, member


def _found(client, c, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    response = client.get(f"/campaigns/{c.pk}/team/lookup/", {"team_q": text}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    return re.findall(r'class="lookup-name">([^<]+)<', response.content.decode())


def test_branch_secretary_finds_only_members_of_their_branch(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    own = campaign(bureau.branch_1, name="第一支部专项")
    agency = campaign(bureau.organ_committee, name="机关主题教育")
    client = login(personas.secretary_of_branch_1)
    # "党支部" is in both branches' names; branch 2's members are outside the secretary's reach.
    assert sorted(_found(client, own, "党支部")) == sorted(["赵一明", "钱二华", "孙三立"])
    assert _found(client, agency, "李") == []
    assert sorted(_found(client, agency, "党支部")) == sorted(["赵一明", "钱二华", "孙三立"])
    other = campaign(bureau.branch_2, name="第二支部专项")
    assert client.get(f"/campaigns/{other.pk}/team/lookup/", {"team_q": "李"}).status_code == 404


def test_agency_officer_finds_members_by_name_pinyin_initials_or_branch(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    c = campaign(bureau.organ_committee)
    client = login(personas.agency_officer)
    assert _found(client, c, "李四") == ["李四清"]
    assert _found(client, c, "ZYM") == ["赵一明"]
    assert sorted(_found(client, c, "第二党支部")) == ["周五平", "李四清"]
    assert _found(client, c, "") == []
    # Only the campaign's own subtree: a branch's campaign offers that branch's members.
    assert _found(client, campaign(bureau.branch_2), "赵") == []


def test_the_search_shows_names_and_branches_and_no_personal_data(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    m = bureau.member_1
    m.id_number = id_number(m.birth_date, "456")
    m.phone = "13912345678"
    m.save()
    c = campaign(bureau.organ_committee)
    client = login(personas.agency_officer)
    page = client.get(f"/campaigns/{c.pk}/team/lookup/", {"team_q": "赵一明"}).content.decode()
    assert "赵一明" in page and "第一党支部" in page
    for private in (m.id_number, m.phone, "1985", "男", "full", "正式党员"):
        assert private not in page, private
    # A phone number finds nobody: the search cannot tell whose number it is.
    assert _found(client, c, "13912345678") == []
    assert _found(client, c, "1391234") == []


def test_the_search_lists_at_most_twenty_and_says_there_are_more(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    for n in range(LOOKUP_MAX + 5):
        member(f"测试党员{n:02d}", bureau.branch_1)
    c = campaign(bureau.organ_committee)
    client = login(personas.agency_officer)
    assert len(_found(client, c, "测试党员")) == LOOKUP_MAX
    assert (
        "仅列出前20个"
        in client.get(f"/campaigns/{c.pk}/team/lookup/", {"team_q": "测试党员"}).content.decode()
    )
    # An exact name comes first even when many others contain it.
    member("测试党员", bureau.branch_2)
    assert _found(client, c, "测试党员")[0] == "测试党员"


def test_read_only_roles_cannot_search(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    c = campaign(bureau.organ_committee)
    assert (
        login(personas.discipline).get(f"/campaigns/{c.pk}/team/lookup/", {"team_q": "赵"}).status_code == 403
    )


def test_a_member_found_joins_the_team_and_the_page_works_without_scripts(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    c = campaign(bureau.organ_committee)
    client = login(personas.agency_officer)
    page = client.get(f"/campaigns/{c.pk}/", {"team_q": "钱二"}).content.decode()
    # Without htmx the search reloads the dashboard, which lists the same radio buttons.
    m = bureau.members[1]
    assert f'name="member" value="{m.pk}"' in page and 'id="team-q"' in page
    assert '<select name="member"' not in page  # no list of every member in reach
    response = client.post(
        f"/campaigns/{c.pk}/team/", {"team": "working_team", "member": m.pk, "role": "联络员"}
    )
    assert response.status_code == 302
    assert TeamMember.objects.get(campaign=c).member == m
    # A member outside the campaign's subtree is refused even with a forged id.
    own = campaign(bureau.branch_1)
    client.post(
        f"/campaigns/{own.pk}/team/",
        {"team": "working_team", "member": bureau.member_of_branch_2.pk, "role": "成员"},
    )
    assert not TeamMember.objects.filter(campaign=own).exists()


def test_the_pledge_form_has_no_select_of_every_member_and_still_saves(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.agency_officer)
    page = client.get("/campaigns/pledges/new/").content.decode()
    assert 'name="handler_q"' in page and '<select name="handler"' not in page
    assert '<select name="organization"' not in page
    response = client.post(
        "/campaigns/pledges/new/",
        {
            "organization": bureau.branch_1.pk,
            "title": "修缮小区路灯",
            "source": "visit",
            "category": "livelihood",
            "collected_by": bureau.member_1.pk,
            "collected_on": "2026-06-01",
            "handler": bureau.members[1].pk,
            "status": "open",
            "beneficiary_unit": "people",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    pledge = bureau.branch_1.service_pledges.get()
    # Editing shows the chosen people checked, named with their branch.
    page = client.get(f"/campaigns/pledges/{pledge.pk}/edit/").content.decode()
    assert f'name="handler" value="{bureau.members[1].pk}" checked' in page and "钱二华" in page


def test_a_search_that_finds_only_the_chosen_one_does_not_say_nothing_was_found(
    bureau, personas, login
) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.agency_officer)
    m1 = bureau.member_1
    page = client.get(
        "/members/lookup/", {"field": "handler", "handler": m1.pk, "handler_q": "赵一明"}
    ).content.decode()
    assert f'name="handler" value="{m1.pk}" checked' in page and "没有找到" not in page
    assert page.count('class="lookup-name"') == 1
