"""The forms' search fields (core.lookup): members:lookup and orgs:lookup find only what the user
reaches, show names and branches only, and keep the chosen values across searches."""

from __future__ import annotations

import re


def _listed(client, url: str, **params: str) -> list[str]:  # type: ignore[no-untyped-def]
    response = client.get(url, params, headers={"HX-Request": "true"})
    assert response.status_code == 200
    return re.findall(r'class="lookup-name">([^<]+)<', response.content.decode())


def test_the_forms_member_lookup_finds_only_members_in_reach(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    url = "/members/lookup/"
    secretary = login(personas.secretary_of_branch_1)
    assert _listed(secretary, url, field="handler", handler_q="李") == []
    assert _listed(secretary, url, field="handler", handler_q="赵") == ["赵一明"]
    officer = login(personas.agency_officer)
    assert _listed(officer, url, field="handler", handler_q="李") == ["李四清"]
    # No personal data, and a phone number finds nobody.
    m = bureau.member_of_branch_2
    m.phone = "13912345678"
    m.save()
    page = officer.get(url, {"field": "handler", "handler_q": "李四清"}).content.decode()
    assert "第二党支部" in page and m.phone not in page and "1970" not in page
    assert _listed(officer, url, field="handler", handler_q="1391234") == []


def test_the_forms_org_lookup_offers_only_organizations_the_user_writes_for(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    url = "/orgs/lookup/"
    assert _listed(
        login(personas.secretary_of_branch_1), url, field="organization", organization_q="支部"
    ) == ["第一党支部"]
    assert _listed(login(personas.agency_officer), url, field="organization", organization_q="支部") == [
        "第一党支部",
        "第二党支部",
    ]
    # Cells are not offered (a campaign, pledge or project belongs to a branch or above).
    assert _listed(login(personas.agency_officer), url, field="organization", organization_q="小组") == []


def test_a_lookup_keeps_the_chosen_values_checked_across_searches(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.agency_officer)
    m1, m4 = bureau.member_1, bureau.member_of_branch_2
    page = client.get(
        "/members/lookup/", {"field": "team", "multiple": "1", "team": [m1.pk], "team_q": "李"}
    ).content.decode()
    assert f'type="checkbox" name="team" value="{m1.pk}" checked' in page
    assert f'type="checkbox" name="team" value="{m4.pk}">' in page
    # A chosen id outside the user's reach is dropped, not shown.
    page = login(personas.secretary_of_branch_1).get(
        "/members/lookup/", {"field": "team", "multiple": "1", "team": [m4.pk]}
    )
    assert "李四清" not in page.content.decode()
    assert client.get("/members/lookup/", {"field": "x<y"}).status_code == 400


def test_a_member_lookup_within_an_organization_finds_only_its_people(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.agency_officer)
    url = "/members/lookup/"
    assert _listed(client, url, field="lead", lead_q="党支部", within=str(bureau.branch_2.pk)) == [
        "周五平",
        "李四清",
    ]
    # An organization outside the user's reach gives nobody, not everybody.
    secretary = login(personas.secretary_of_branch_1)
    assert _listed(secretary, url, field="lead", lead_q="党支部", within=str(bureau.branch_2.pk)) == []


def test_an_org_lookup_offers_cells_and_kinds_only_when_the_form_does(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.agency_officer)
    url = "/orgs/lookup/"
    assert _listed(client, url, field="organization", organization_q="小组", cells="1") == [
        "第一党小组",
        "第二党小组",
    ]
    assert _listed(client, url, field="organization", organization_q="测试局", kind="organ_committee") == [
        "测试局机关党委"
    ]


def test_read_only_roles_get_no_lookup(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    for url in ("/members/lookup/", "/orgs/lookup/"):
        assert login(personas.discipline).get(url, {"field": "x", "x_q": "赵"}).status_code == 403
