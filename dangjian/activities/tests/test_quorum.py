"""The general meeting quorum (支部工作条例 Art 11): more than half of the members with a vote."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from dangjian.activities import actions
from dangjian.activities.models import Activity
from dangjian.activities.tests.conftest import at, recent_day
from dangjian.members.models import Member

pytestmark = pytest.mark.django_db


@pytest.fixture
def branch_2_roster(bureau):  # type: ignore[no-untyped-def]
    """Branch 2: four full members with a vote, one probationary member, one mobile member."""

    def make(name: str, status: str = "full", **kw):  # type: ignore[no-untyped-def]
        return Member.objects.create(
            name=name,
            gender="male",
            birth_date=datetime.date(1988, 1, 1),
            organization=bureau.branch_2,
            status=status,
            admission_date=datetime.date(2015, 7, 1),
            confirmation_date=None if status == "probationary" else datetime.date(2016, 7, 1),
            **kw,
        )

    full = [bureau.members[3], bureau.members[4], make("吴六安"), make("郑七星")]
    probationary = make("王八方", status="probationary")
    mobile = make("冯九州", is_mobile=True)
    return full, probationary, mobile


def attendance(full, probationary, mobile, present_full: int) -> dict[int, tuple[str, str]]:
    rows = {m.pk: ("present" if i < present_full else "absent", "") for i, m in enumerate(full)}
    rows[probationary.pk] = ("present", "")
    rows[mobile.pk] = ("present", "")
    return rows


def record_vote(activity, user, rows, votes_for=3):  # type: ignore[no-untyped-def]
    return actions.do_record(
        activity,
        acting_user=user,
        held_at=at(recent_day()),
        attendance=rows,
        has_vote=True,
        vote_subject="接收预备党员",
        votes_for=votes_for,
        votes_against=0,
        votes_abstain=0,
    )


def test_exactly_half_present_is_refused_citing_article_11(personas, bureau, make_plan, branch_2_roster):
    full, probationary, mobile = branch_2_roster
    meeting = make_plan(bureau.branch_2, "general_meeting", topic="讨论接收预备党员")
    with pytest.raises(ValidationError) as exc:
        record_vote(meeting, personas.agency_officer, attendance(full, probationary, mobile, 2), votes_for=2)
    message = " ".join(exc.value.messages)
    assert "应到4人、实到2人" in message
    assert "《中国共产党支部工作条例（试行）》第十一条" in message
    fresh = Activity.objects.get(pk=meeting.pk)
    assert fresh.status == "approved" and fresh.eligible_voters is None
    assert not fresh.attendances.exists()


def test_half_plus_one_present_is_a_quorum(personas, bureau, make_plan, branch_2_roster):
    full, probationary, mobile = branch_2_roster
    meeting = make_plan(bureau.branch_2, "general_meeting", topic="讨论接收预备党员")
    record_vote(meeting, personas.agency_officer, attendance(full, probationary, mobile, 3), votes_for=3)
    fresh = Activity.objects.get(pk=meeting.pk)
    assert (fresh.eligible_voters, fresh.present_voters) == (4, 3)
    assert actions.quorum_met(fresh.present_voters, fresh.eligible_voters)
    assert actions.motion_passed(fresh.votes_for, fresh.eligible_voters)


def test_probationary_and_mobile_members_are_not_counted(personas, bureau, make_plan, branch_2_roster):
    full, probationary, mobile = branch_2_roster
    meeting = make_plan(bureau.branch_2, "general_meeting", topic="讨论接收预备党员")
    # 2 full + the probationary + the mobile member present: 4 people, but only 2 of 4 voters.
    with pytest.raises(ValidationError):
        record_vote(meeting, personas.agency_officer, attendance(full, probationary, mobile, 2), votes_for=2)


def test_motion_needs_more_than_half_of_those_who_should_attend(personas, bureau, make_plan, branch_2_roster):
    full, probationary, mobile = branch_2_roster
    meeting = make_plan(bureau.branch_2, "general_meeting", topic="讨论接收预备党员")
    # 3 of 4 present; 2 "for" is most of those present but not more than half of the 4 who should attend.
    record_vote(meeting, personas.agency_officer, attendance(full, probationary, mobile, 3), votes_for=2)
    fresh = Activity.objects.get(pk=meeting.pk)
    assert not actions.motion_passed(fresh.votes_for, fresh.eligible_voters)


def test_votes_cannot_exceed_voters_present(personas, bureau, make_plan, branch_2_roster):
    full, probationary, mobile = branch_2_roster
    meeting = make_plan(bureau.branch_2, "general_meeting", topic="讨论接收预备党员")
    with pytest.raises(ValidationError) as exc:
        record_vote(meeting, personas.agency_officer, attendance(full, probationary, mobile, 3), votes_for=4)
    assert "超过实到" in str(exc.value)


def test_a_meeting_without_a_vote_needs_no_quorum(personas, bureau, make_plan, branch_2_roster):
    full, probationary, mobile = branch_2_roster
    meeting = make_plan(bureau.branch_2, "general_meeting", topic="学习党章")
    actions.do_record(
        meeting,
        acting_user=personas.agency_officer,
        held_at=at(recent_day()),
        attendance=attendance(full, probationary, mobile, 1),
    )
    fresh = Activity.objects.get(pk=meeting.pk)
    assert fresh.status == "held" and fresh.eligible_voters is None


def test_only_a_general_meeting_records_a_vote(personas, bureau, make_plan, branch_1_members):
    from dangjian.activities.tests.conftest import all_present

    meeting = make_plan(bureau.branch_1, "committee_meeting")
    with pytest.raises(ValidationError):
        actions.do_record(
            meeting,
            acting_user=personas.agency_officer,
            held_at=at(recent_day()),
            attendance=all_present(branch_1_members),
            has_vote=True,
            vote_subject="x",
            votes_for=1,
        )


def test_member_confirmed_after_the_meeting_had_no_vote_on_the_day(
    personas, bureau, make_plan, branch_2_roster
):
    full, probationary, mobile = branch_2_roster
    late = full[3]
    late.confirmation_date = recent_day(5)  # confirmed five days after the meeting below
    late.save()
    meeting = make_plan(bureau.branch_2, "general_meeting", topic="讨论接收预备党员")
    record_vote(meeting, personas.agency_officer, attendance(full, probationary, mobile, 2), votes_for=2)
    fresh = Activity.objects.get(pk=meeting.pk)
    assert (fresh.eligible_voters, fresh.present_voters) == (3, 2)
