"""Every list page's organization filter at province scale (orgs.options): at most ORG_OPTIONS_MAX
options, the organization filtered on among them (selected), nothing outside the user's reach."""

from __future__ import annotations

import re

import pytest

from dangjian.orgs.options import ORG_OPTIONS_MAX
from dangjian.testing.factories import child_orgs

pytestmark = pytest.mark.django_db

# (url, the select's id, whether it offers 全部 first)
FILTER_PAGES = [
    ("/members/", "f-org", True),
    ("/activities/", "f-org", True),
    ("/activities/calendar/", "c-org", False),
    ("/honours/", "f-org", True),
    ("/rectification/", "f-org", True),
    ("/duties/items/", "f-org", True),
    ("/duties/letters/", "f-org", True),
    ("/duties/liaisons/", "f-org", True),
    ("/duties/key-tasks/", "f-org", True),
    ("/duties/results/", "f-org", True),
    ("/dues/month/", "f-org", False),
    ("/compliance/", "id_org", False),
    ("/compliance/charts/", "id_org", False),
    ("/compliance/ledger/", "id_org", False),
    ("/campaigns/", "f-org", True),
    ("/campaigns/pledges/", "f-org", True),
    ("/campaigns/research/", "f-org", True),
]


def options_of(page: str, select_id: str) -> list[tuple[str, bool]]:
    """The (value, selected) of each option of the select ``select_id`` on ``page``."""
    found = re.search(rf'<select id="{select_id}" name="org"[^>]*>(.*?)</select>', page, re.S)
    assert found, f"no organization filter #{select_id}"
    return [(v, bool(sel)) for v, sel in re.findall(r'<option value="(\d*)"( selected)?', found.group(1))]


@pytest.fixture
def province(bureau):  # type: ignore[no-untyped-def]
    """More branches right under the 机关党委 than a select may list."""
    return child_orgs(bureau.organ_committee, ORG_OPTIONS_MAX + 20)


@pytest.mark.parametrize(("url", "select_id", "has_all"), FILTER_PAGES)
def test_a_province_size_filter_lists_at_most_the_cap_and_the_chosen_one(
    url, select_id, has_all, personas, province, login
):
    chosen = province[-1]
    response = login(personas.agency_officer).get(url, {"org": chosen.pk})
    assert response.status_code == 200
    page = response.content.decode()
    options = options_of(page, select_id)
    values = [v for v, _ in options if v]
    assert len(values) <= ORG_OPTIONS_MAX
    assert (str(chosen.pk), True) in options  # offered, and selected
    assert (options[0] == ("", False)) == has_all
    assert "组织较多，未全部列出" in page  # how to reach the ones not listed


@pytest.mark.parametrize(("url", "select_id", "has_all"), FILTER_PAGES)
def test_a_branch_secretary_is_offered_nothing_outside_their_branch(
    url, select_id, has_all, personas, bureau, province, login
):
    page = login(personas.secretary_of_branch_1).get(url).content.decode()
    ours = {str(pk) for pk in (bureau.branch_1.pk, bureau.cell_1.pk, bureau.cell_2.pk)}
    values = {v for v, _ in options_of(page, select_id) if v}
    assert values and values <= ours
    assert "组织较多" not in page
