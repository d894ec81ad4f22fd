"""The transfer form's receiving branch is a search (core.lookup), not a select of every branch of
a province: it finds what the form accepts — active 党支部/党总支 other than the case's own, any
branch of the agency (the sending branch acts) — for a user who may transfer the case."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from dangjian.core.lookup import LOOKUP_MAX
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization
from dangjian.recruitment.models import Case
from dangjian.testing.factories import child_orgs

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def case(open_case):  # type: ignore[no-untyped-def]
    return open_case(start=D(2026, 10, 25))


def found(client, case, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    response = client.get(
        reverse("recruitment:transfer-lookup", args=[case.pk]),
        {"field": "to", "required": "1", "to_q": text},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    return re.findall(r'class="lookup-name">([^<]+)<', response.content.decode())


def test_the_transfer_form_searches_instead_of_listing_every_branch(login, personas, case):
    page = login(personas.secretary_of_branch_1).get(reverse("recruitment:transfer", args=[case.pk]))
    text = page.content.decode()
    assert 'name="to_q"' in text and '<select name="to"' not in text
    assert reverse("recruitment:transfer-lookup", args=[case.pk]) in text


def test_a_secretary_finds_other_branches_of_the_agency_but_not_their_own(login, personas, bureau, case):
    client = login(personas.secretary_of_branch_1)
    # 第二党支部 lies outside the secretary's subtree: the receiving branch may (the form's rule).
    assert found(client, case, "党支部") == ["第二党支部"]
    # Never the case's own branch, a 党小组, the 机关党委 or the 党组.
    for text in ("第一党支部", "党小组", "机关党委", "党组"):
        assert "第一党支部" not in found(client, case, text)
        assert not {"第一党小组", "测试局机关党委", "测试局党组"} & set(found(client, case, text))


def test_only_active_branches_and_general_branches_are_found(login, personas, bureau, case):
    Organization.objects.create(
        name="已撤销党支部", kind=OrgKind.BRANCH, parent=bureau.organ_committee, dissolved_on=D(2025, 1, 1)
    )
    Organization.objects.create(name="综合党总支", kind=OrgKind.GENERAL_BRANCH, parent=bureau.organ_committee)
    client = login(personas.agency_officer)
    assert found(client, case, "已撤销") == []
    assert found(client, case, "党总支") == ["综合党总支"]


def test_a_branch_is_found_by_its_parents_name_and_shown_with_it(login, personas, bureau, case):
    # A province has many a 第一党支部: the parent tells them apart.
    client = login(personas.agency_officer)
    assert found(client, case, "机关党委") == ["第二党支部"]
    page = client.get(
        reverse("recruitment:transfer-lookup", args=[case.pk]), {"field": "to", "to_q": "第二"}
    ).content.decode()
    assert "测试局机关党委" in page


def test_the_search_lists_at_most_twenty_of_a_provinces_branches(login, personas, bureau, case):
    child_orgs(bureau.organ_committee, 300)
    names = found(login(personas.agency_officer), case, "处室党支部")
    assert len(names) == LOOKUP_MAX


def test_only_who_may_transfer_the_case_may_search_for_it(login, personas, bureau, open_case, case):
    url = reverse("recruitment:transfer-lookup", args=[case.pk])
    query = {"field": "to", "to_q": "党支部"}
    for user in (personas.discipline, personas.member, personas.outsider):
        response = login(user).get(url, query)
        assert response.status_code == 403 and "第二党支部" not in response.content.decode()
    other = open_case(start=D(2026, 10, 25), org=bureau.branch_2, name="外支部", seq="999")
    secretary = login(personas.secretary_of_branch_1)
    assert secretary.get(reverse("recruitment:transfer-lookup", args=[other.pk]), query).status_code == 404


def test_the_transfer_still_posts_the_chosen_branch_and_refuses_others(login, personas, bureau, case):
    client = login(personas.secretary_of_branch_1)
    url = reverse("recruitment:transfer", args=[case.pk])
    refused = client.post(url, {"to": bureau.organ_committee.pk, "date": "2026-11-28"})
    assert refused.status_code == 200 and Case.objects.get(pk=case.pk).organization == bureau.branch_1
    # The wrong choice is not shown as chosen; a right one posts the branch's id as the select did.
    assert f'value="{bureau.organ_committee.pk}" checked' not in refused.content.decode()
    done = client.post(url, {"to": bureau.branch_2.pk, "date": "2026-11-28"})
    assert done.status_code == 302
    assert Case.objects.get(pk=case.pk).organization == bureau.branch_2
