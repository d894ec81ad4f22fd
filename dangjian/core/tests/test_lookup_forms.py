"""The forms outside the #10 apps that pick members or organizations do it by search (core.lookup):
no select of a province's 10,000 organizations or 20,000 members, and the same reach as before."""

from __future__ import annotations

import pytest

from dangjian.members.forms import MemberForm, PostForm
from dangjian.recruitment.forms import CaseForm

pytestmark = pytest.mark.django_db

SEARCHED = [
    ("/activities/plan/", ["organization", "cells", "host", "lecturer"]),
    ("/activities/talks/new/", ["party_a", "party_b"]),
    ("/activities/reflections/", ["member"]),
    ("/members/add/", ["organization", "cell"]),
    ("/recruitment/new/", ["organization"]),
    ("/recruitment/plans/", ["organization"]),
    ("/orgs/add/", ["parent"]),
]


@pytest.mark.parametrize(("url", "fields"), SEARCHED)
def test_the_forms_search_instead_of_listing_everyone(url, fields, personas, login):
    page = login(personas.agency_officer).get(url).content.decode()
    for name in fields:
        assert f'name="{name}_q"' in page, name
        assert f'<select name="{name}"' not in page, name


def test_the_edit_form_shows_the_organization_chosen(personas, bureau, login):
    member = bureau.member_1
    page = login(personas.agency_officer).get(f"/members/{member.pk}/edit/").content.decode()
    assert f'name="organization" value="{member.organization_id}" checked' in page


def test_a_secretary_still_picks_only_within_their_branch(personas, bureau):
    user = personas.secretary_of_branch_1
    form = MemberForm(data={"organization": bureau.branch_2.pk}, user=user)
    assert "organization" in form.errors
    case = CaseForm(data={"organization": bureau.branch_2.pk}, user=user)
    assert "organization" in case.errors


def test_a_branch_posts_keep_the_select_of_its_own_members(personas, bureau):
    user = personas.agency_officer
    assert (
        PostForm(organization=bureau.branch_1, user=user).fields["member"].widget.__class__.__name__
        == "Select"
    )
    top = PostForm(organization=bureau.leading_group, user=user).fields["member"].widget
    assert top.__class__.__name__ == "LookupWidget"


def test_a_cell_in_a_lookup_is_told_apart_by_its_branch(personas, bureau, login):
    page = login(personas.agency_officer).get(
        "/orgs/lookup/", {"field": "cells", "cells": "1", "kind": "cell", "cells_q": "党小组"}
    )
    text = page.content.decode()
    assert "党小组" in text and bureau.branch_1.name in text


def test_an_optional_choice_can_be_emptied_again(personas, bureau, login):
    # A ticked radio button cannot be unticked: an optional single choice offers （不选）, so an
    # organization can be made top-level again and an optional person removed.
    client = login(personas.admin)
    page = client.get(f"/orgs/{bureau.organ_committee.pk}/edit/").content.decode()
    assert f'name="parent" value="{bureau.organ_committee.parent_id}" checked' in page
    assert 'name="parent" value=""' in page
    # A required choice offers no way to empty it.
    member_page = client.get(f"/members/{bureau.member_1.pk}/edit/").content.decode()
    assert 'name="organization" value=""' not in member_page


def test_a_required_choice_offers_no_empty_entry_before_or_after_a_search(personas, bureau, login):
    client = login(personas.agency_officer)
    page = client.get("/activities/plan/").content.decode()
    assert 'name="organization" value=""' not in page
    assert "required=1" in page  # the search page is told, so its answer has no （不选） either
    found = client.get(
        "/orgs/lookup/", {"field": "organization", "required": "1", "organization_q": "党支部"}
    ).content.decode()
    assert 'value=""' not in found
    optional = client.get("/orgs/lookup/", {"field": "parent", "parent_q": "党支部"}).content.decode()
    assert 'name="parent" value=""' in optional
