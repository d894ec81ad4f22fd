"""The scope helper: what each role may see and change (admin, 机关党委, 支部书记, 纪检, 党员, nobody)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from dangjian.core import scope
from dangjian.members.models import Member, StatusChange
from dangjian.orgs.models import Organization, Term

pytestmark = pytest.mark.django_db


def names(qs) -> set[str]:  # type: ignore[no-untyped-def]
    return set(qs.values_list("name", flat=True))


ALL_MEMBERS = {"赵一明", "钱二华", "孙三立", "李四清", "周五平"}
BRANCH_1_MEMBERS = {"赵一明", "钱二华", "孙三立"}
ALL_ORGS = {"测试局党组", "测试局机关党委", "第一党支部", "第二党支部", "第一党小组", "第二党小组"}


@pytest.mark.parametrize("who", ["admin", "agency_officer", "discipline"])
def test_agency_wide_roles_see_every_member_and_organization(personas, who):
    user = getattr(personas, who)
    assert names(scope.restrict(Member.objects.all(), user)) == ALL_MEMBERS
    assert names(scope.restrict(Organization.objects.all(), user)) == ALL_ORGS
    assert scope.get_scope(user).reach == "all"


def test_branch_secretary_sees_only_their_branch_subtree(personas, bureau):
    user = personas.secretary_of_branch_1
    assert names(scope.restrict(Member.objects.all(), user)) == BRANCH_1_MEMBERS
    assert names(scope.restrict(Organization.objects.all(), user)) == {
        "第一党支部",
        "第一党小组",
        "第二党小组",
    }
    assert scope.get_in_scope(Member.objects.all(), user, pk=bureau.member_1.pk) == bureau.member_1


def test_branch_secretary_cannot_see_other_branch_members(personas, bureau):
    with pytest.raises(Http404):
        scope.get_in_scope(
            Member.objects.all(), personas.secretary_of_branch_1, pk=bureau.member_of_branch_2.pk
        )
    with pytest.raises(Http404):
        scope.get_in_scope(Organization.objects.all(), personas.secretary_of_branch_1, pk=bureau.branch_2.pk)


def test_branch_secretary_reaches_related_records_through_scope_org(personas, bureau):
    from dangjian.orgs.actions import do_record_election

    do_record_election(bureau.branch_1, elected_on=bureau.member_1.admission_date, acting_user=None)
    do_record_election(bureau.branch_2, elected_on=bureau.member_1.admission_date, acting_user=None)
    StatusChange.objects.create(member=bureau.member_1, to_status="full", date=bureau.member_1.admission_date)
    StatusChange.objects.create(
        member=bureau.member_of_branch_2, to_status="full", date=bureau.member_1.admission_date
    )
    user = personas.secretary_of_branch_1
    assert [t.organization for t in scope.restrict(Term.objects.all(), user)] == [bureau.branch_1]
    assert [c.member for c in scope.restrict(StatusChange.objects.all(), user)] == [bureau.member_1]


def test_member_sees_only_their_own_record_and_organizations(personas, bureau):
    user = personas.member
    assert names(scope.restrict(Member.objects.all(), user)) == {"赵一明"}
    assert names(scope.restrict(Organization.objects.all(), user)) == {"第一党支部", "第一党小组"}
    with pytest.raises(Http404):
        scope.get_in_scope(Member.objects.all(), user, pk=bureau.members[1].pk)


@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_user_without_role_sees_nothing(personas, bureau, who):
    user = AnonymousUser() if who == "anonymous" else personas.outsider
    assert not scope.restrict(Member.objects.all(), user).exists()
    assert not scope.restrict(Organization.objects.all(), user).exists()
    assert scope.get_scope(user).reach == "none"
    with pytest.raises(Http404):
        scope.get_in_scope(Member.objects.all(), user, pk=bureau.member_1.pk)
    with pytest.raises(PermissionDenied):
        scope.require_write(user)


def test_superuser_without_role_counts_as_admin(bureau):
    root = get_user_model().objects.create_superuser("root", password="pw-root-123456")
    assert scope.get_scope(root).kind == "admin"
    assert names(scope.restrict(Member.objects.all(), root)) == ALL_MEMBERS
    assert scope.can_see_personal_data(root, bureau.member_of_branch_2)
    scope.require_write(root)


def test_staff_without_role_or_superuser_sees_nothing(bureau):
    staff = get_user_model().objects.create_user("staff", password="pw-staff-123456", is_staff=True)
    assert not scope.restrict(Member.objects.all(), staff).exists()


@pytest.mark.parametrize(
    ("who", "writes"),
    [
        ("admin", True),
        ("agency_officer", True),
        ("secretary_of_branch_1", True),
        ("discipline", False),
        ("member", False),
        ("outsider", False),
    ],
)
def test_only_officer_roles_may_write(personas, who, writes):
    user = getattr(personas, who)
    if writes:
        scope.require_write(user)
        assert scope.restrict(Member.objects.all(), user, action="change").exists()
    else:
        with pytest.raises(PermissionDenied):
            scope.require_write(user)
        assert not scope.restrict(Member.objects.all(), user, action="change").exists()


@pytest.mark.parametrize(
    ("who", "own_branch", "other_branch"),
    [
        ("admin", True, True),
        ("agency_officer", True, True),
        ("secretary_of_branch_1", True, False),
        ("discipline", False, False),  # 纪检 reads everything but sees ID numbers masked
        ("member", False, False),
        ("outsider", False, False),
    ],
)
def test_personal_data_is_shown_only_to_roles_that_cover_it(personas, bureau, who, own_branch, other_branch):
    user = getattr(personas, who)
    assert scope.can_see_personal_data(user, bureau.members[1]) is own_branch
    assert scope.can_see_personal_data(user, bureau.member_of_branch_2) is other_branch


def test_a_member_sees_their_own_personal_data(personas, bureau):
    assert scope.can_see_personal_data(personas.member, bureau.member_1)


def test_scope_is_worked_out_once_per_user_object(personas, django_assert_num_queries):
    user = personas.secretary_of_branch_1
    user = get_user_model().objects.get(pk=user.pk)
    first = scope.get_scope(user)
    with django_assert_num_queries(0):
        assert scope.get_scope(user) is first


def test_get_in_scope_treats_a_malformed_id_as_not_found(personas):
    with pytest.raises(Http404):
        scope.get_in_scope(Member.objects.all(), personas.admin, pk="abc")


def test_model_without_scope_declaration_is_refused(personas):
    with pytest.raises(TypeError):
        scope.restrict(get_user_model().objects.all(), personas.agency_officer)
