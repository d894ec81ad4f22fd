"""The organization tree (materialized path, allowed parents) and committee terms (due dates, status)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from dangjian.core.models import AuditLog
from dangjian.orgs.actions import do_record_election, do_save_organization
from dangjian.orgs.choices import TERM_WARNING_DAYS, OrgKind
from dangjian.orgs.models import Organization, Term, TermStatus

pytestmark = pytest.mark.django_db

D = datetime.date


def test_path_is_the_chain_of_ids_from_the_root(bureau):
    b1, c1 = bureau.branch_1, bureau.cell_1
    lg, oc = bureau.leading_group, bureau.organ_committee
    assert lg.path == f"/{lg.pk}/" and lg.depth == 0
    assert c1.path == f"/{lg.pk}/{oc.pk}/{b1.pk}/{c1.pk}/" and c1.depth == 3
    assert c1.ancestor_ids == [lg.pk, oc.pk, b1.pk]
    assert [o.name for o in c1.ancestors()] == ["测试局党组", "测试局机关党委", "第一党支部"]
    assert c1.full_name == "测试局党组 / 测试局机关党委 / 第一党支部 / 第一党小组"


def test_subtree_is_one_query(bureau, django_assert_num_queries):
    with django_assert_num_queries(1):
        names = [o.name for o in Organization.objects.subtree(bureau.branch_1)]
    assert sorted(names) == ["第一党小组", "第一党支部", "第二党小组"]
    with django_assert_num_queries(1):
        assert len(list(Organization.objects.subtree(bureau.leading_group))) == 6


def test_subtree_does_not_match_a_sibling_whose_id_shares_a_prefix(bureau):
    # Path "/1/2/" must not match "/1/23/": the trailing slash is part of the prefix.
    siblings = [
        Organization.objects.create(name=f"党支部{n}", kind=OrgKind.BRANCH, parent=bureau.organ_committee)
        for n in range(12)
    ]
    for org in siblings:
        assert list(Organization.objects.subtree(org)) == [org]


def test_tree_order_is_depth_first_by_order_then_name(bureau):
    ordered = [o.name for o in Organization.objects.all().in_tree_order()]
    assert ordered == ["测试局党组", "测试局机关党委", "第一党支部", "第一党小组", "第二党小组", "第二党支部"]


def test_moving_an_organization_rewrites_its_whole_subtree(bureau):
    gb = Organization.objects.create(
        name="第一党总支", kind=OrgKind.GENERAL_BRANCH, parent=bureau.organ_committee
    )
    b1 = Organization.objects.get(pk=bureau.branch_1.pk)
    b1.parent = gb
    b1.save()
    cell = Organization.objects.get(pk=bureau.cell_1.pk)
    assert b1.path == f"{gb.path}{b1.pk}/" and b1.depth == 3
    assert cell.path == f"{gb.path}{b1.pk}/{cell.pk}/" and cell.depth == 4
    assert set(Organization.objects.subtree(gb).values_list("name", flat=True)) == {
        "第一党总支",
        "第一党支部",
        "第一党小组",
        "第二党小组",
    }


def test_an_organization_cannot_move_under_its_own_descendant(bureau):
    # 机关党委 may sit under another 机关党委, so only the cycle check can refuse this move.
    inner = Organization.objects.create(
        name="下级机关党委", kind=OrgKind.ORGAN_COMMITTEE, parent=bureau.organ_committee
    )
    oc = Organization.objects.get(pk=bureau.organ_committee.pk)
    oc.parent = inner
    with pytest.raises(ValidationError) as exc:
        do_save_organization(oc, acting_user=None)
    assert "自己的下级" in exc.value.message_dict["parent"][0]
    oc.refresh_from_db()
    inner.refresh_from_db()
    assert oc.parent_id == bureau.leading_group.pk
    assert inner.path.startswith(oc.path)


@pytest.mark.parametrize(
    ("kind", "parent_kind", "ok"),
    [
        (OrgKind.LEADING_GROUP, None, True),
        (OrgKind.LEADING_GROUP, OrgKind.ORGAN_COMMITTEE, False),
        (OrgKind.ORGAN_COMMITTEE, OrgKind.LEADING_GROUP, True),
        (OrgKind.GENERAL_BRANCH, OrgKind.ORGAN_COMMITTEE, True),
        (OrgKind.BRANCH, OrgKind.ORGAN_COMMITTEE, True),
        (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH, True),
        (OrgKind.BRANCH, OrgKind.BRANCH, False),
        (OrgKind.BRANCH, OrgKind.CELL, False),
        (OrgKind.CELL, OrgKind.BRANCH, True),
        (OrgKind.CELL, OrgKind.GENERAL_BRANCH, True),
        (OrgKind.CELL, None, False),
        (OrgKind.CELL, OrgKind.ORGAN_COMMITTEE, False),
    ],
)
def test_allowed_parent_kinds(db, kind, parent_kind, ok):
    parent = None
    if parent_kind:
        parent = Organization.objects.create(name="上级", kind=parent_kind)
    org = Organization(name="下级", kind=kind, parent=parent)
    if ok:
        org.full_clean()
    else:
        with pytest.raises(ValidationError) as exc:
            org.full_clean()
        assert "parent" in exc.value.message_dict
        assert "不能设在" in exc.value.message_dict["parent"][0]


def test_a_cell_never_has_a_committee(bureau):
    cell = Organization(name="新党小组", kind=OrgKind.CELL, parent=bureau.branch_1, has_committee=True)
    cell.full_clean()
    assert cell.has_committee is False


def test_dissolution_cannot_precede_establishment(bureau):
    org = Organization(
        name="错日期党支部",
        kind=OrgKind.BRANCH,
        parent=bureau.organ_committee,
        established_on=D(2020, 1, 1),
        dissolved_on=D(2019, 1, 1),
    )
    with pytest.raises(ValidationError) as exc:
        org.full_clean()
    assert "dissolved_on" in exc.value.message_dict


def test_active_organizations_exclude_the_dissolved(bureau):
    Organization.objects.filter(pk=bureau.branch_2.pk).update(dissolved_on=D(2020, 1, 1))
    active = Organization.objects.active(on=D(2024, 1, 1))
    assert bureau.branch_2 not in active and bureau.branch_1 in active
    assert bureau.branch_2 in Organization.objects.active(on=D(2019, 12, 31))


def test_names_are_unique_under_one_parent(bureau):
    with pytest.raises(ValidationError):
        Organization(name="第一党支部", kind=OrgKind.BRANCH, parent=bureau.organ_committee).full_clean()


def test_organization_has_a_page(bureau):
    assert bureau.branch_1.get_absolute_url() == f"/orgs/{bureau.branch_1.pk}/"


# Terms ---------------------------------------------------------------------------------------


def _term(org, elected: datetime.date, **kw) -> Term:  # type: ignore[no-untyped-def]
    term = Term(organization=org, elected_on=elected, length_years=kw.pop("length_years", 0), **kw)
    term.full_clean()
    term.save()
    return term


def test_term_length_comes_from_the_kind(bureau):
    assert _term(bureau.branch_1, D(2023, 5, 10)).length_years == 3
    assert _term(bureau.organ_committee, D(2023, 5, 10)).length_years == 5
    assert _term(bureau.branch_1, D(2023, 5, 10)).due_on == D(2026, 5, 10)
    assert _term(bureau.organ_committee, D(2023, 5, 10)).due_on == D(2028, 5, 10)


def test_term_elected_on_february_29_falls_due_on_february_28(bureau):
    assert _term(bureau.branch_1, D(2024, 2, 29)).due_on == D(2027, 2, 28)


def test_term_length_may_be_set_explicitly(bureau):
    assert _term(bureau.branch_1, D(2022, 3, 1), length_years=2).due_on == D(2024, 3, 1)


def test_leading_groups_and_cells_have_no_terms(bureau):
    for org in (bureau.leading_group, bureau.cell_1):
        with pytest.raises(ValidationError) as exc:
            Term(organization=org, elected_on=D(2023, 1, 1), length_years=0).full_clean()
        assert "不实行选举任期制" in exc.value.message_dict["organization"][0]


def test_term_cannot_be_elected_in_the_future_or_end_before_it_starts(bureau):
    with pytest.raises(ValidationError):
        Term(organization=bureau.branch_1, elected_on=D(2999, 1, 1), length_years=3).full_clean()
    with pytest.raises(ValidationError):
        Term(
            organization=bureau.branch_1, elected_on=D(2023, 1, 1), ended_on=D(2022, 1, 1), length_years=3
        ).full_clean()


@pytest.mark.parametrize(
    ("on", "status"),
    [
        (D(2024, 1, 1), TermStatus.CURRENT),
        (D(2026, 5, 10) - datetime.timedelta(days=TERM_WARNING_DAYS + 1), TermStatus.CURRENT),
        (D(2026, 5, 10) - datetime.timedelta(days=TERM_WARNING_DAYS), TermStatus.DUE_SOON),  # exactly 90 days
        (D(2026, 5, 10), TermStatus.DUE_SOON),  # the due day itself
        (D(2026, 5, 11), TermStatus.OVERDUE),
    ],
)
def test_term_status_on_a_given_day(bureau, on, status):
    term = _term(bureau.branch_1, D(2023, 5, 10))
    assert term.status(on=on) == status


def test_term_days_left(bureau):
    term = _term(bureau.branch_1, D(2023, 5, 10))
    assert term.days_left(on=D(2026, 5, 1)) == 9
    assert term.days_left(on=D(2026, 5, 20)) == -10


def test_an_ended_term_is_no_longer_due(bureau):
    term = _term(bureau.branch_1, D(2020, 5, 10), ended_on=D(2023, 5, 10))
    assert term.status(on=D(2025, 1, 1)) == TermStatus.ENDED


def test_due_within_lists_open_terms_due_soon_or_overdue(bureau):
    soon = _term(bureau.branch_1, D(2023, 5, 10))
    _term(bureau.branch_2, D(2025, 5, 10))
    due = Term.objects.due_within(on=D(2026, 3, 1))
    assert list(due) == [soon]
    assert list(Term.objects.due_within(on=D(2026, 2, 8))) == []  # 91 days before


def test_recording_an_election_ends_the_previous_term(bureau, personas):
    first = do_record_election(bureau.branch_1, elected_on=D(2020, 4, 1), acting_user=personas.admin)
    second = do_record_election(bureau.branch_1, elected_on=D(2023, 4, 20), acting_user=personas.admin)
    first.refresh_from_db()
    assert first.ended_on == D(2023, 4, 20)
    assert second.ended_on is None and second.due_on == D(2026, 4, 20)
    assert bureau.branch_1.current_term() == second
    assert AuditLog.objects.filter(object_id=str(first.pk), action="update", actor=personas.admin).exists()


def test_a_refused_election_changes_nothing(bureau, personas):
    first = do_record_election(bureau.branch_1, elected_on=D(2020, 4, 1), acting_user=personas.admin)
    with pytest.raises(ValidationError):
        do_record_election(bureau.branch_1, elected_on=D(2999, 1, 1), acting_user=personas.admin)
    first.refresh_from_db()
    assert first.ended_on is None
    assert bureau.branch_1.terms.count() == 1
