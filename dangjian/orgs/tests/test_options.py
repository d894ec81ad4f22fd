"""The list filters' organization options (orgs.options): capped at province scale, the chosen
organization always offered, down the tree one level per choice, never outside the reach."""

from __future__ import annotations

import pytest

from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization
from dangjian.orgs.options import ORG_OPTIONS_MAX, org_options
from dangjian.testing.factories import child_orgs

pytestmark = pytest.mark.django_db


def names(options) -> list[str]:  # type: ignore[no-untyped-def]
    return [o.name for o in options]


def test_a_small_tree_is_offered_whole_in_tree_order_with_its_levels(personas, bureau):
    options = org_options(personas.agency_officer)
    assert names(options) == ["测试局党组", "测试局机关党委", "第一党支部", "第二党支部"]
    assert [o.indent for o in options] == [0, 1, 2, 2]
    assert not options.trimmed and options.chosen is None


def test_more_than_the_cap_two_levels_down_leaves_one_level_and_the_chosen_one(personas, bureau):
    many = child_orgs(bureau.organ_committee, ORG_OPTIONS_MAX + 20)
    chosen = many[-1]
    options = org_options(personas.agency_officer, chosen)
    assert len(options) <= ORG_OPTIONS_MAX
    # 党组 and 机关党委 (the top and one level below), and the chosen branch under them.
    assert names(options) == ["测试局党组", "测试局机关党委", chosen.name]
    assert options.trimmed and options.chosen_id == chosen.pk


def test_the_chosen_organization_offers_its_children_to_go_down_the_tree(personas, bureau):
    units = child_orgs(bureau.organ_committee, 5, OrgKind.GENERAL_BRANCH, "处室党总支")
    for unit in units:
        child_orgs(unit, 70, name=f"{unit.name}支部")
    start = org_options(personas.agency_officer)
    # 5 + 350 below the 机关党委: the branches three levels down are not listed, the 党总支 are.
    assert len(start) <= ORG_OPTIONS_MAX and "处室党总支003" in names(start)
    assert not any(n.startswith("处室党总支003支部") for n in names(start))
    assert start.trimmed
    down = org_options(personas.agency_officer, units[2])
    assert len(down) <= ORG_OPTIONS_MAX
    assert sum(n.startswith("处室党总支003支部") for n in names(down)) == 70
    assert not any(n.startswith("处室党总支001支部") for n in names(down))
    # The children sit under their parent, one level deeper.
    unit = next(o for o in down if o.pk == units[2].pk)
    child = next(o for o in down if o.parent_id == units[2].pk)
    assert child.indent == unit.indent + 1


def test_a_chosen_organization_with_more_children_than_half_the_cap_lists_half(personas, bureau):
    many = child_orgs(bureau.organ_committee, ORG_OPTIONS_MAX + 20)
    options = org_options(personas.agency_officer, bureau.organ_committee)
    assert len(options) <= ORG_OPTIONS_MAX
    assert sum(o.parent_id == bureau.organ_committee.pk for o in options) == ORG_OPTIONS_MAX // 2
    assert many[0].name in names(options) and options.trimmed


def test_the_top_level_alone_past_the_cap_is_cut_to_the_cap(personas, bureau):
    for n in range(3):
        Organization.objects.create(name=f"省属单位{n}机关党委", kind=OrgKind.ORGAN_COMMITTEE)
    options = org_options(personas.admin, limit=3)
    assert len(options) == 3 and options.trimmed
    assert all(o.depth == 0 for o in options)


def test_nobody_is_offered_an_organization_outside_their_reach(personas, bureau):
    child_orgs(bureau.organ_committee, ORG_OPTIONS_MAX + 20)
    secretary = personas.secretary_of_branch_1
    assert names(org_options(secretary)) == ["第一党支部"]
    # Even named as the chosen one (a page passes what it fetched; this one it never would).
    assert names(org_options(secretary, bureau.branch_2)) == ["第一党支部"]
    outside = Organization.objects.exclude(path__startswith=bureau.branch_1.path).values_list("pk", flat=True)
    shown = {o.pk for o in org_options(secretary, bureau.branch_1, eligible=Organization.objects.all())}
    assert shown == {bureau.branch_1.pk, bureau.cell_1.pk, bureau.cell_2.pk}
    assert not shown & set(outside)
    assert names(org_options(personas.outsider)) == []


def test_a_member_is_offered_their_own_branch(personas, bureau):
    assert names(org_options(personas.member)) == ["第一党支部"]


def test_a_chosen_organization_of_another_kind_is_still_offered_when_in_reach(personas, bureau):
    # A 党小组 reached by a link: the select shows what the page is filtered on.
    options = org_options(personas.secretary_of_branch_1, bureau.cell_1)
    assert names(options) == ["第一党支部", "第一党小组"]
    assert options.chosen_id == bureau.cell_1.pk
    assert [o.indent for o in options] == [0, 1]


def test_a_bureau_that_fits_under_the_cap_is_offered_whole_however_deep(personas, bureau):
    # 党组 → 机关党委 → 支部 → 党小组 → a fifth level: nothing is left out, no hint.
    deep = Organization.objects.create(name="第五级", kind=OrgKind.CELL, parent=bureau.cell_1)
    options = org_options(personas.agency_officer, eligible=Organization.objects.all())
    assert len(options) == Organization.objects.count() and deep.name in names(options)
    assert not options.trimmed


def test_the_options_take_a_few_queries_whatever_the_tree(personas, bureau, django_assert_max_num_queries):
    child_orgs(bureau.organ_committee, ORG_OPTIONS_MAX + 20)
    user = personas.agency_officer
    org_options(user)  # the user's role, read once per request
    chosen = Organization.objects.filter(kind=OrgKind.BRANCH).last()
    with django_assert_max_num_queries(3):
        org_options(user, chosen)
