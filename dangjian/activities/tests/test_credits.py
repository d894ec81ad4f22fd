"""An activity counts once for each type it is credited with, and only where practice allows."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from dangjian.activities import actions
from dangjian.activities.models import Activity, ActivityCredit
from dangjian.activities.tests.conftest import all_present, at, recent_day

pytestmark = pytest.mark.django_db


def test_theme_day_with_a_lecture_counts_once_for_each_type(
    personas, bureau, make_plan, branch_1_members, types
):
    day = make_plan(bureau.branch_1, "theme_day", topic="重温入党誓词并上党课", also=("party_lecture",))
    actions.do_record(
        day,
        acting_user=personas.secretary_of_branch_1,
        held_at=at(recent_day()),
        attendance=all_present(branch_1_members),
    )
    held = Activity.objects.held()
    assert held.of_type("theme_day").count() == 1
    assert held.of_type("party_lecture").count() == 1
    assert held.of_type("theme_day", "party_lecture").count() == 1  # still one activity
    assert ActivityCredit.objects.filter(activity=day).count() == 2
    assert set(
        ActivityCredit.objects.filter(activity=day).values_list("activity_type__code", "is_primary")
    ) == {("theme_day", True), ("party_lecture", False)}


def test_a_disallowed_combination_is_refused(personas, bureau, types):
    with pytest.raises(ValidationError) as exc:
        actions.do_plan(
            acting_user=personas.secretary_of_branch_1,
            organization=bureau.branch_1,
            activity_type=types.party_lecture,
            topic="党课",
            planned_at=at(recent_day(-3)),
            also_counts_as=[types.committee_meeting],
        )
    assert "党课不能同时计为支部委员会会议" in str(exc.value)
    assert not Activity.objects.exists() and not ActivityCredit.objects.exists()


def test_credits_follow_a_change_at_recording(personas, bureau, make_plan, branch_1_members, types):
    day = make_plan(bureau.branch_1, "theme_day", also=("party_lecture",))
    actions.do_record(
        day,
        acting_user=personas.secretary_of_branch_1,
        held_at=at(recent_day()),
        attendance=all_present(branch_1_members),
        also_counts_as=[types.volunteer_service],
    )
    assert set(day.credits.values_list("activity_type__code", flat=True)) == {
        "theme_day",
        "volunteer_service",
    }
    assert list(day.also_counts_as.values_list("code", flat=True)) == ["volunteer_service"]


def test_builtin_types_are_created_with_their_links(types):
    assert types.theme_day.is_builtin
    assert set(types.theme_day.may_also_count_as.values_list("code", flat=True)) >= {
        "party_lecture",
        "volunteer_service",
    }
    assert set(types.org_life_meeting.may_also_count_as.values_list("code", flat=True)) == {
        "member_appraisal"
    }


def test_builtin_type_cannot_be_deleted_but_a_user_type_can(personas, types):
    with pytest.raises(ValidationError) as exc:
        actions.do_delete_type(types.party_lecture, acting_user=personas.agency_officer)
    assert "内置" in str(exc.value)
    added = actions.do_save_type(
        None,
        acting_user=personas.agency_officer,
        code="reading_club",
        name="读书分享会",
        counts_as_org_life=True,
        takes_attendance=True,
        order=200,
        active=True,
        description="",
    )
    actions.do_delete_type(added, acting_user=personas.agency_officer)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.do_save_type(
            None,
            acting_user=personas.secretary_of_branch_1,
            code="x",
            name="x",
            counts_as_org_life=True,
            takes_attendance=True,
            order=1,
            active=True,
            description="",
        )
