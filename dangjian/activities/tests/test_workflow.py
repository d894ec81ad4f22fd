"""Who may take each step of plan → approve/return → record → verify → reopen, and the audit trail."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangjian.activities import actions
from dangjian.activities.models import Activity
from dangjian.activities.tests.conftest import all_present, at, recent_day
from dangjian.core.models import AuditLog

pytestmark = pytest.mark.django_db


def status_of(activity: Activity) -> str:
    return Activity.objects.values_list("status", flat=True).get(pk=activity.pk)


def transitions(activity: Activity) -> list[list[str]]:
    return [
        [e.changes["from_status"], e.changes["to_status"]]
        for e in AuditLog.objects.filter(object_id=str(activity.pk), action="action").order_by("id")
        if "to_status" in e.changes
    ]


def test_secretary_plans_for_own_branch_and_submits(personas, bureau, types):
    activity = actions.do_plan(
        acting_user=personas.secretary_of_branch_1,
        organization=bureau.branch_1,
        activity_type=types.committee_meeting,
        topic="研究发展党员工作",
        planned_at=at(recent_day(-5)),
    )
    assert activity.status == "planned"
    assert transitions(activity) == [["", "planned"]]
    assert list(activity.credits.values_list("activity_type__code", "is_primary")) == [
        ("committee_meeting", True)
    ]


def test_a_draft_is_saved_without_submitting(personas, bureau, types):
    activity = actions.do_plan(
        acting_user=personas.secretary_of_branch_1,
        submit=False,
        organization=bureau.branch_1,
        activity_type=types.party_lecture,
        topic="党课",
        planned_at=at(recent_day(-5)),
    )
    assert activity.status == "draft"
    actions.do_plan(activity, acting_user=personas.secretary_of_branch_1)
    assert status_of(activity) == "planned"


@pytest.mark.parametrize("persona", ["secretary_of_branch_1", "discipline", "member", "outsider"])
def test_cannot_plan_for_another_branch_or_read_only(persona, personas, bureau, types):
    with pytest.raises(PermissionDenied):
        actions.do_plan(
            acting_user=getattr(personas, persona),
            organization=bureau.branch_2,
            activity_type=types.committee_meeting,
            topic="x",
            planned_at=at(recent_day(-5)),
        )
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    "persona, allowed",
    [
        ("admin", True),
        ("agency_officer", True),
        ("secretary_of_branch_1", False),
        ("discipline", False),
        ("member", False),
        ("outsider", False),
    ],
)
def test_approve_per_role(persona, allowed, personas, bureau, make_plan):
    activity = make_plan(bureau.branch_1, status="planned")
    user = getattr(personas, persona)
    if allowed:
        actions.do_approve(activity, acting_user=user)
        assert status_of(activity) == "approved"
        assert transitions(activity)[-1] == ["planned", "approved"]
    else:
        with pytest.raises(PermissionDenied) as exc:
            actions.do_approve(activity, acting_user=user)
        assert "机关党委" in str(exc.value)
        assert status_of(activity) == "planned"


def test_officer_of_a_higher_org_approves_below_but_not_own_org(org_officer_of_committee, bureau, make_plan):
    below = make_plan(bureau.branch_1, status="planned")
    actions.do_approve(below, acting_user=org_officer_of_committee)
    assert status_of(below) == "approved"
    own = make_plan(bureau.organ_committee, status="planned", topic="机关党委会议")
    with pytest.raises(PermissionDenied):
        actions.do_approve(own, acting_user=org_officer_of_committee)
    assert status_of(own) == "planned"


@pytest.mark.parametrize(
    "persona, allowed",
    [
        ("agency_officer", True),
        ("secretary_of_branch_1", False),
        ("discipline", False),
        ("member", False),
    ],
)
def test_return_with_reason_per_role(persona, allowed, personas, bureau, make_plan):
    activity = make_plan(bureau.branch_1, status="planned")
    user = getattr(personas, persona)
    if allowed:
        actions.do_return(activity, "议题不具体", acting_user=user)
        activity.refresh_from_db()
        assert (activity.status, activity.return_reason) == ("returned", "议题不具体")
        # The secretary fixes the plan and submits it again.
        actions.do_plan(activity, acting_user=user, topic="研究2024年发展党员计划")
        assert status_of(activity) == "planned"
    else:
        with pytest.raises(PermissionDenied):
            actions.do_return(activity, "议题不具体", acting_user=user)
        assert status_of(activity) == "planned"


def test_return_needs_a_reason(personas, bureau, make_plan):
    activity = make_plan(bureau.branch_1, status="planned")
    with pytest.raises(ValidationError) as exc:
        actions.do_return(activity, "  ", acting_user=personas.agency_officer)
    assert "原因" in str(exc.value)
    assert status_of(activity) == "planned"


def test_approve_only_from_planned(personas, bureau, make_plan):
    activity = make_plan(bureau.branch_1, status="approved")
    with pytest.raises(ValidationError) as exc:
        actions.do_approve(activity, acting_user=personas.agency_officer)
    assert "已审批" in str(exc.value)


@pytest.mark.parametrize(
    "persona, allowed",
    [
        ("secretary_of_branch_1", True),
        ("agency_officer", True),
        ("admin", True),
        ("discipline", False),
        ("member", False),
        ("outsider", False),
    ],
)
def test_record_per_role(persona, allowed, personas, bureau, make_plan, branch_1_members):
    activity = make_plan(bureau.branch_1)
    user = getattr(personas, persona)
    if allowed:
        actions.do_record(
            activity, acting_user=user, held_at=at(recent_day()), attendance=all_present(branch_1_members)
        )
        assert status_of(activity) == "held"
        assert transitions(activity)[-1] == ["approved", "held"]
    else:
        with pytest.raises(PermissionDenied):
            actions.do_record(
                activity, acting_user=user, held_at=at(recent_day()), attendance=all_present(branch_1_members)
            )
        assert status_of(activity) == "approved"
        assert not activity.attendances.exists()


def test_secretary_cannot_record_an_unapproved_plan(personas, bureau, make_plan, branch_1_members):
    activity = make_plan(bureau.branch_1, status="planned")
    with pytest.raises(ValidationError) as exc:
        actions.do_record(
            activity,
            acting_user=personas.secretary_of_branch_1,
            held_at=at(recent_day()),
            attendance=all_present(branch_1_members),
        )
    assert "审批" in str(exc.value)
    assert status_of(activity) == "planned"


def test_approver_may_record_an_unplanned_activity_after_the_fact(
    personas, bureau, make_plan, branch_1_members
):
    activity = make_plan(bureau.branch_1, status="draft")
    actions.do_record(
        activity,
        acting_user=personas.agency_officer,
        held_at=at(recent_day()),
        attendance=all_present(branch_1_members),
    )
    assert status_of(activity) == "held"


@pytest.mark.parametrize(
    "persona, allowed",
    [
        ("agency_officer", True),
        ("admin", True),
        ("secretary_of_branch_1", False),
        ("discipline", False),
        ("member", False),
        ("outsider", False),
    ],
)
def test_verify_per_role(persona, allowed, personas, bureau, make_plan, branch_1_members):
    activity = make_plan(bureau.branch_1)
    actions.do_record(
        activity,
        acting_user=personas.secretary_of_branch_1,
        held_at=at(recent_day()),
        attendance=all_present(branch_1_members),
    )
    user = getattr(personas, persona)
    if allowed:
        actions.do_verify(activity, acting_user=user)
        assert status_of(activity) == "verified"
        assert transitions(activity)[-1] == ["held", "verified"]
    else:
        with pytest.raises(PermissionDenied) as exc:
            actions.do_verify(activity, acting_user=user)
        assert "审核" in str(exc.value)
        assert status_of(activity) == "held"


def test_verify_only_held(personas, bureau, make_plan):
    activity = make_plan(bureau.branch_1)
    with pytest.raises(ValidationError):
        actions.do_verify(activity, acting_user=personas.agency_officer)
    assert status_of(activity) == "approved"


def test_verified_record_changes_only_after_logged_reopen(personas, bureau, make_plan, branch_1_members):
    activity = make_plan(bureau.branch_1)
    actions.do_record(
        activity,
        acting_user=personas.secretary_of_branch_1,
        held_at=at(recent_day()),
        attendance=all_present(branch_1_members),
    )
    actions.do_verify(activity, acting_user=personas.agency_officer)
    with pytest.raises(ValidationError) as exc:
        actions.do_record(
            activity,
            acting_user=personas.secretary_of_branch_1,
            held_at=at(recent_day()),
            attendance=all_present(branch_1_members),
            minutes="改了",
        )
    assert "已审核" in str(exc.value)
    with pytest.raises(PermissionDenied):
        actions.do_reopen(activity, "记录有误", acting_user=personas.secretary_of_branch_1)
    with pytest.raises(ValidationError):
        actions.do_reopen(activity, "", acting_user=personas.agency_officer)
    actions.do_reopen(activity, "会议记录不完整", acting_user=personas.agency_officer)
    log = AuditLog.objects.filter(object_id=str(activity.pk), verb="退回修改").get()
    assert log.changes == {"from_status": "verified", "to_status": "held", "reason": "会议记录不完整"}
    assert log.actor == personas.agency_officer
    activity.refresh_from_db()
    actions.do_record(
        activity,
        acting_user=personas.secretary_of_branch_1,
        held_at=activity.held_at,
        attendance=all_present(branch_1_members),
        minutes="补充完整",
    )
    assert Activity.objects.get(pk=activity.pk).minutes == "补充完整"


def test_full_audit_trail(personas, bureau, make_plan, branch_1_members):
    activity = make_plan(bureau.branch_1, status="planned")
    actions.do_approve(activity, acting_user=personas.agency_officer)
    actions.do_record(
        activity,
        acting_user=personas.secretary_of_branch_1,
        held_at=at(recent_day()),
        attendance=all_present(branch_1_members),
    )
    actions.do_verify(activity, acting_user=personas.agency_officer)
    assert transitions(activity) == [
        ["", "planned"],
        ["planned", "approved"],
        ["approved", "held"],
        ["held", "verified"],
    ]


def test_makeup_recorded_for_an_absentee(personas, bureau, make_plan, branch_1_members):

    activity = make_plan(bureau.branch_1)
    attendance = all_present(branch_1_members)
    attendance[bureau.member_1.pk] = ("leave", "出差")
    actions.do_record(
        activity, acting_user=personas.secretary_of_branch_1, held_at=at(recent_day()), attendance=attendance
    )
    row = activity.attendances.get(member=bureau.member_1)
    with pytest.raises(ValidationError):
        actions.do_record_makeup(
            row, makeup_on=recent_day(20), note="自学", acting_user=personas.secretary_of_branch_1
        )
    with pytest.raises(PermissionDenied):
        actions.do_record_makeup(row, makeup_on=recent_day(2), note="自学", acting_user=personas.member)
    actions.do_record_makeup(
        row, makeup_on=recent_day(2), note="自学会议精神", acting_user=personas.secretary_of_branch_1
    )
    row.refresh_from_db()
    assert row.makeup_on == recent_day(2)
    present = activity.attendances.get(member=branch_1_members[1])
    with pytest.raises(ValidationError):
        actions.do_record_makeup(
            present, makeup_on=recent_day(0), note="x", acting_user=personas.secretary_of_branch_1
        )


def test_lecturer_is_secretary_derived_from_posts(personas, bureau, make_plan, branch_1_members):
    from dangjian.members.models import Post

    Post.objects.create(
        organization=bureau.branch_1, kind="secretary", member=bureau.member_1, started_on=recent_day(400)
    )
    lecture = make_plan(bureau.branch_1, "party_lecture", topic="书记讲党课")
    actions.do_record(
        lecture,
        acting_user=personas.secretary_of_branch_1,
        held_at=at(recent_day()),
        lecturer=bureau.member_1,
        attendance=all_present(branch_1_members),
    )
    assert Activity.objects.get(pk=lecture.pk).lecturer_is_secretary is True
    other = make_plan(bureau.branch_1, "party_lecture", topic="党员讲党课")
    actions.do_record(
        other,
        acting_user=personas.secretary_of_branch_1,
        held_at=at(recent_day()),
        lecturer=branch_1_members[1],
        attendance=all_present(branch_1_members),
    )
    assert Activity.objects.get(pk=other.pk).lecturer_is_secretary is False


def test_talk_recorded_between_two_members_in_scope(personas, bureau):
    talk = actions.do_record_talk(
        party_a=bureau.member_1,
        party_b=bureau.members[1],
        held_on=recent_day(3),
        topic="思想工作谈心",
        acting_user=personas.secretary_of_branch_1,
    )
    assert talk.status == "held" and talk.organization == bureau.branch_1
    assert list(talk.credits.values_list("activity_type__code", flat=True)) == ["talk"]
    with pytest.raises(ValidationError) as exc:
        actions.do_record_talk(
            party_a=bureau.member_1,
            party_b=bureau.member_of_branch_2,
            held_on=recent_day(3),
            topic="谈心",
            acting_user=personas.secretary_of_branch_1,
        )
    assert "权限范围" in str(exc.value)
    with pytest.raises(PermissionDenied):
        actions.do_record_talk(
            party_a=bureau.member_1,
            party_b=bureau.members[1],
            held_on=recent_day(3),
            topic="谈心",
            acting_user=personas.member,
        )
    assert Activity.objects.count() == 1


def test_committee_meeting_attendance_is_the_committee_of_the_day(
    personas, bureau, make_plan, branch_1_members
):
    from dangjian.members.models import Post

    Post.objects.create(
        organization=bureau.branch_1, kind="secretary", member=bureau.member_1, started_on=recent_day(400)
    )
    Post.objects.create(
        organization=bureau.branch_1,
        kind="organization_commissioner",
        member=branch_1_members[1],
        started_on=recent_day(400),
    )
    meeting = make_plan(bureau.branch_1, "committee_meeting")
    with pytest.raises(ValidationError) as exc:
        actions.do_record(
            meeting,
            acting_user=personas.secretary_of_branch_1,
            held_at=at(recent_day()),
            attendance=all_present(branch_1_members),
        )
    assert "孙三立不是第一党支部" in " ".join(exc.value.messages)
    actions.do_record(
        meeting,
        acting_user=personas.secretary_of_branch_1,
        held_at=at(recent_day()),
        attendance=all_present(branch_1_members[:2]),
    )
    assert meeting.attendances.count() == 2
