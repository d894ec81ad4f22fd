"""Audited actions: opening a case, steps, admission, confirmation, extension, transfer, due list."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.core.models import AuditLog
from dangjian.members.choices import MemberStatus
from dangjian.members.models import StatusChange
from dangjian.recruitment import actions, rules
from dangjian.recruitment.choices import CaseStatus, DueReason, Stage
from dangjian.recruitment.due import due_items
from dangjian.recruitment.models import Case, CaseTransfer, Step, StepDocument
from dangjian.recruitment.tests.conftest import happy_dates, make_id

D = datetime.date
pytestmark = pytest.mark.django_db


def test_opening_a_case_records_the_application_and_the_talk_deadline(open_case) -> None:  # type: ignore[no-untyped-def]
    case = open_case(start=D(2024, 1, 31))
    assert case.steps.get().number == 1
    assert (case.stage, case.next_number, case.next_deadline) == (Stage.APPLICATION, 2, D(2024, 2, 29))


def test_an_applicant_under_18_is_refused_and_nothing_is_written(open_case) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        open_case(start=D(2024, 5, 19), born=D(2006, 5, 20))
    assert "未满18周岁" in str(exc.value)
    assert not Case.objects.exists() and not Step.objects.exists()


def test_a_bad_id_number_is_refused_in_chinese(bureau, personas) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        actions.do_open_case(
            application_date=D(2024, 1, 2),
            acting_user=personas.admin,
            name="甲",
            gender="male",
            birth_date=D(1990, 1, 1),
            id_number="110105199001011230",
            organization=bureau.branch_1,
        )
    assert "校验位" in str(exc.value)


def test_a_second_open_case_for_the_same_person_is_refused(open_case) -> None:  # type: ignore[no-untyped-def]
    open_case()
    with pytest.raises(ValidationError, match="已有进行中"):
        open_case(name="吴小青")


def test_a_step_dated_before_its_prerequisite_is_refused_and_nothing_written(open_case, personas) -> None:  # type: ignore[no-untyped-def]
    case = open_case(start=D(2024, 3, 10))
    with pytest.raises(ValidationError) as exc:
        actions.do_record_step(case, 2, date=D(2024, 3, 9), acting_user=personas.secretary_of_branch_1)
    assert "第2步“党组织派人谈话”的日期（2024年3月9日）早于其前置步骤第1步“递交入党申请书”" in str(exc.value)
    assert case.steps.count() == 1


def test_a_step_with_missing_prerequisites_is_refused_naming_the_step_and_rule(open_case, personas) -> None:  # type: ignore[no-untyped-def]
    case = open_case()
    with pytest.raises(ValidationError) as exc:
        actions.do_record_step(case, 7, date=D(2025, 1, 1), acting_user=personas.secretary_of_branch_1)
    assert (
        "不能登记第7步“确定发展对象”：尚未完成第4步“上级党委备案”、第6步“培养教育考察”（细则第十三条）"
        in str(exc.value)
    )


def test_mentors_must_be_full_members(open_case, walk, bureau, personas) -> None:  # type: ignore[no-untyped-def]
    case = walk(open_case(), 4)
    probationary = bureau.members[2]
    with pytest.raises(ValidationError, match="不是正式党员"):
        actions.do_record_step(case, 5, date=D(2023, 7, 3), acting_user=personas.admin, people=[probationary])
    with pytest.raises(ValidationError, match="入党介绍人应为2名"):
        walk(case, 8)
        actions.do_record_step(
            case,
            9,
            date=happy_dates(case.opened_on)[9],
            acting_user=personas.admin,
            people=[bureau.members[0]],
        )


def test_training_must_last_three_days_or_24_hours(open_case, walk, personas) -> None:  # type: ignore[no-untyped-def]
    case = walk(open_case(), 10)
    day = happy_dates(case.opened_on)[11]
    with pytest.raises(ValidationError, match="不少于3天或24学时"):
        actions.do_record_step(
            case, 11, date=day, acting_user=personas.admin, training_days=2, training_hours=20
        )
    actions.do_record_step(case, 11, date=day, acting_user=personas.admin, training_hours=24)


def test_a_vote_without_quorum_is_refused_and_nothing_written(open_case, walk, personas) -> None:  # type: ignore[no-untyped-def]
    case = walk(open_case(), 14)
    before = Step.objects.count()
    with pytest.raises(ValidationError) as exc:
        actions.do_record_step(
            case,
            15,
            date=happy_dates(case.opened_on)[15],
            acting_user=personas.admin,
            vote=actions.Vote(eligible=4, present=2, votes_for=2, against=0, abstain=0),
        )
    assert "不足法定人数" in str(exc.value)
    assert Step.objects.count() == before


def test_a_failed_vote_is_recorded_and_the_case_can_go_on_later(open_case, walk, personas) -> None:  # type: ignore[no-untyped-def]
    case = walk(open_case(), 14)
    day = happy_dates(case.opened_on)[15]
    result = actions.do_record_step(
        case,
        15,
        date=day,
        acting_user=personas.admin,
        vote=actions.Vote(eligible=5, present=4, votes_for=2, against=2, abstain=0),
    )
    assert result.step.passed is False and "表决未通过" in result.warnings[0]
    case.refresh_from_db()
    assert case.next_number == 15 and case.status == CaseStatus.OPEN
    later = day + datetime.timedelta(days=60)
    actions.do_record_step(
        case,
        15,
        date=later,
        acting_user=personas.admin,
        vote=actions.Vote(eligible=5, present=4, votes_for=4, against=0, abstain=0),
    )
    case.refresh_from_db()
    assert case.next_number == 16 and case.next_deadline == rules.add_months(later, 3)


def test_vote_takes_the_voters_from_the_held_general_meeting(open_case, walk, bureau, personas) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from dangjian.activities.models import Activity, ActivityType

    case = walk(open_case(), 14)
    day = happy_dates(case.opened_on)[15]
    gm = ActivityType.objects.get(code="general_meeting")
    held_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(15)))
    meeting = Activity.objects.create(
        organization=bureau.branch_1,
        activity_type=gm,
        status="held",
        topic="接收预备党员",
        held_at=held_at,
        has_vote=True,
    )
    meeting.credits.create(activity_type=gm, is_primary=True)
    Activity.objects.filter(pk=meeting.pk).update(eligible_voters=6, present_voters=3)  # snapshot: no quorum
    with pytest.raises(ValidationError, match="不足法定人数"):
        actions.do_record_step(
            case,
            15,
            date=day,
            acting_user=personas.admin,
            vote=actions.Vote(eligible=2, present=2, votes_for=2, against=0, abstain=0),
        )
    Activity.objects.filter(pk=meeting.pk).update(eligible_voters=6, present_voters=5)
    result = actions.do_record_step(
        case, 15, date=day, acting_user=personas.admin, vote=actions.Vote(votes_for=4, against=1, abstain=0)
    )
    assert result.step.meeting_id == meeting.pk and result.step.eligible_voters == 6 and result.step.passed


def test_admission_creates_a_probationary_member_dated_by_the_vote(open_case, walk) -> None:  # type: ignore[no-untyped-def]
    case = walk(open_case(), 17)
    vote_day = happy_dates(case.opened_on)[15]
    member = case.member
    assert member is not None
    assert (member.status, member.admission_date, member.confirmation_date) == (
        MemberStatus.PROBATIONARY,
        vote_day,
        None,
    )
    assert member.organization == case.organization and member.id_number == case.id_number
    assert case.stage == Stage.PROBATION and case.admitted_on == vote_day
    assert AuditLog.objects.filter(verb="接收为预备党员", object_id=str(case.pk)).count() == 1


def test_confirmation_makes_a_full_member_from_the_end_of_probation(open_case, walk) -> None:  # type: ignore[no-untyped-def]
    case = walk(open_case(), 25)
    vote_day = happy_dates(case.opened_on)[15]
    member = case.member
    member.refresh_from_db()
    end = rules.add_months(vote_day, 12)
    assert (member.status, member.confirmation_date) == (MemberStatus.FULL, end)
    assert StatusChange.objects.filter(member=member, to_status=MemberStatus.FULL, date=end).count() == 1
    assert case.status == CaseStatus.COMPLETED and case.confirmed_on == end and case.next_number is None
    assert AuditLog.objects.filter(verb="转为正式党员", object_id=str(case.pk)).count() == 1


def test_extension_then_confirmation_counts_standing_from_the_extended_end(open_case, walk, personas) -> None:  # type: ignore[no-untyped-def]
    case = walk(open_case(start=D(2022, 6, 1)), 22)
    dates = happy_dates(case.opened_on)
    actions.do_record_step(
        case,
        23,
        date=dates[23],
        acting_user=personas.admin,
        vote=actions.Vote(eligible=5, present=5, votes_for=1, against=4, abstain=0),
    )
    actions.do_extend_probation(case, months=6, date=dates[23], acting_user=personas.admin)
    case.refresh_from_db()
    end = rules.add_months(dates[15], 18)
    assert case.probation_ends == end and case.next_number == 22 and case.next_earliest == end
    with pytest.raises(ValidationError, match="不能再次延长"):
        actions.do_extend_probation(case, months=6, date=dates[23], acting_user=personas.admin)
    for number, day in (
        (22, end),
        (23, end + datetime.timedelta(days=3)),
        (24, end + datetime.timedelta(days=20)),
    ):
        actions.do_record_step(
            case,
            number,
            date=day,
            acting_user=personas.admin,
            vote=actions.Vote(eligible=3, present=3, votes_for=3, against=0, abstain=0)
            if number == 23
            else None,
        )
    case.member.refresh_from_db()
    assert case.member.confirmation_date == end and case.member.status == MemberStatus.FULL


def test_cancelling_probation_takes_the_member_off_the_roll(open_case, walk, personas) -> None:  # type: ignore[no-untyped-def]
    case = walk(open_case(), 20)
    actions.do_cancel_probation(case, date=D(2025, 1, 5), reason="不履行党员义务", acting_user=personas.admin)
    case.refresh_from_db()
    case.member.refresh_from_db()
    assert case.status == CaseStatus.CANCELLED and case.member.status == MemberStatus.REMOVED
    with pytest.raises(ValidationError):
        actions.do_record_step(case, 21, date=D(2025, 2, 1), acting_user=personas.admin)


def test_a_case_transferred_between_branches_keeps_its_history_and_dates(
    open_case, walk, bureau, personas
) -> None:  # type: ignore[no-untyped-def]
    case = walk(open_case(), 6)
    deadline_before = case.review_due
    actions.do_transfer_case(
        case, to=bureau.branch_2, date=D(2024, 1, 10), reason="调动", acting_user=personas.admin
    )
    case.refresh_from_db()
    assert case.organization == bureau.branch_2 and case.steps.count() == 6
    assert CaseTransfer.objects.get(case=case).from_organization == bureau.branch_1
    assert case.review_due == deadline_before
    # The receiving branch goes on from where the first one stopped; candidate still a year after activist.
    with pytest.raises(ValidationError, match="细则第十三条"):
        actions.do_record_step(case, 7, date=D(2024, 6, 1), acting_user=personas.admin)
    step = actions.do_record_step(case, 7, date=D(2024, 7, 6), acting_user=personas.admin).step
    assert step.organization == bureau.branch_2
    assert set(case.steps.values_list("organization", flat=True)) == {bureau.branch_1.pk, bureau.branch_2.pk}


def test_transfer_to_the_same_branch_or_before_the_last_step_is_refused(open_case, bureau, personas) -> None:  # type: ignore[no-untyped-def]
    case = open_case(start=D(2024, 3, 1))
    with pytest.raises(ValidationError, match="相同"):
        actions.do_transfer_case(case, to=bureau.branch_1, date=D(2024, 3, 2), acting_user=personas.admin)
    with pytest.raises(ValidationError, match="早于最近一个步骤"):
        actions.do_transfer_case(case, to=bureau.branch_2, date=D(2024, 2, 1), acting_user=personas.admin)


def test_documents_are_checked_for_type_and_size(open_case, personas, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    case = open_case(start=D(2024, 3, 1))
    bad = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationError, match="类型不支持"):
        actions.do_record_step(case, 2, date=D(2024, 3, 5), acting_user=personas.admin, documents=[bad])
    assert case.steps.count() == 1
    renamed = SimpleUploadedFile("谈话记录.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError, match="内容与扩展名不符"):
        actions.do_record_step(case, 2, date=D(2024, 3, 5), acting_user=personas.admin, documents=[renamed])
    assert case.steps.count() == 1
    good = SimpleUploadedFile("谈话记录.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    actions.do_record_step(case, 2, date=D(2024, 3, 5), acting_user=personas.admin, documents=[good])
    doc = StepDocument.objects.get()
    assert doc.original_name == "谈话记录.pdf" and doc.size == 13 and (tmp_path / doc.file.name).exists()


def test_due_list_shows_talks_reviews_approvals_and_probation_ends(open_case, walk, bureau) -> None:  # type: ignore[no-untyped-def]
    from dangjian.recruitment.models import Case as C

    talk = open_case(start=D(2026, 10, 31), name="甲", seq="111")  # talk due 2026-11-30
    late = open_case(start=D(2026, 8, 15), name="乙", seq="112")  # talk overdue since 2026-09-15
    review = walk(
        open_case(start=D(2026, 3, 20), name="丙", seq="113", born=D(1999, 1, 1)), 5
    )  # review due 2026-10-20
    admitted = walk(open_case(start=D(2024, 6, 1), name="丁", seq="114", born=D(1997, 1, 1)), 21)
    later = open_case(start=D(2026, 11, 20), name="戊", seq="115")  # talk due in December
    items = due_items(C.objects.all(), month_end=D(2026, 11, 30), on=D(2026, 11, 22))
    by_case = {(i.case.pk, i.reason): i for i in items}
    assert by_case[(talk.pk, DueReason.TALK)].overdue is False
    assert by_case[(late.pk, DueReason.TALK)].overdue is True
    assert by_case[(review.pk, DueReason.REVIEW)].date == D(2026, 10, 20)
    assert (admitted.pk, DueReason.PROBATION_END) in by_case
    assert all(i.case.pk != later.pk for i in items)
    assert [i.date for i in items] == sorted(i.date for i in items)


def test_due_list_is_scoped(open_case, bureau, personas) -> None:  # type: ignore[no-untyped-def]
    from dangjian.core.scope import restrict

    open_case(start=D(2026, 10, 25), org=bureau.branch_2)
    mine = restrict(Case.objects.all(), personas.secretary_of_branch_1)
    assert due_items(mine, month_end=D(2026, 11, 30), on=D(2026, 11, 22)) == []
    assert (
        len(
            due_items(
                restrict(Case.objects.all(), personas.agency_officer),
                month_end=D(2026, 11, 30),
                on=D(2026, 11, 22),
            )
        )
        == 1
    )


def test_plan_is_saved_once_per_organization_and_year(bureau, personas) -> None:  # type: ignore[no-untyped-def]
    actions.do_save_plan(organization=bureau.branch_1, year=2026, planned=2, acting_user=personas.admin)
    plan = actions.do_save_plan(
        organization=bureau.branch_1, year=2026, planned=3, acting_user=personas.admin
    )
    assert plan.planned == 3 and plan.__class__.objects.count() == 1


def test_make_id_is_valid() -> None:
    from dangjian.members.validators import validate_id_number

    validate_id_number(make_id(D(2000, 2, 29)))
