"""Audited writes on admission cases: open, record a step, extend, cancel, close, transfer, plan.

Each function validates against the rules in ``rules.py`` and raises a Chinese ValidationError
before anything is written; the approval of admission (step 17) and of confirmation (step 24)
also write the roster in the same transaction, so the roster and the dues start the right month.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from dangjian.core import audit
from dangjian.core.dates import today
from dangjian.core.scope import check_write
from dangjian.members.actions import do_change_status, do_create_member, do_update_member
from dangjian.members.choices import MemberStatus
from dangjian.members.models import Member
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization
from dangjian.recruitment import rules
from dangjian.recruitment.choices import CaseStatus, StepKind
from dangjian.recruitment.models import Case, CaseTransfer, Plan, Step, StepDocument, validate_upload


@dataclass
class Vote:
    """The figures of a general-meeting vote on one person."""

    eligible: int | None = None
    present: int | None = None
    votes_for: int | None = None
    against: int | None = None
    abstain: int | None = None
    meeting: Any = None  # an activities.Activity (支部党员大会) the vote was taken at


@dataclass
class Recorded:
    """What recording a step did: the step, and any warnings (a limit passed, materials missing)."""

    step: Step
    warnings: list[str] = field(default_factory=list)


def refresh_case(case: Case) -> Case:
    """Recompute the stored summary (stage, next step, its dates, review due) from the steps."""
    timeline = case.timeline()
    nxt = rules.next_step(timeline)
    case.stage = timeline.stage
    case.next_number = nxt.rule.number if nxt else None
    case.next_earliest = nxt.earliest if nxt else None
    case.next_deadline = nxt.deadline if nxt else None
    case.review_due = rules.review_due(timeline)
    case.probation_ends = timeline.probation_end
    case.admitted_on = timeline.done.get(rules.ADMISSION_VOTE) if rules.APPROVAL in timeline.done else None
    if rules.CONFIRMATION_APPROVAL in timeline.done:
        case.confirmed_on = timeline.probation_end
    if case.status == CaseStatus.OPEN and rules.ARCHIVE in timeline.done:
        case.status = CaseStatus.COMPLETED
    case.save()
    return case


def _raise(errors: Sequence[str], field_name: str = "date") -> None:
    if errors:
        raise ValidationError({field_name: list(errors)})


@transaction.atomic
def do_open_case(
    *,
    application_date: datetime.date,
    acting_user: Any,
    notes: str = "",
    checklist: Iterable[str] = (),
    via: str = "web",
    **fields: Any,
) -> Case:
    """Open a case when an application is handed in: the case and its step 1 (递交入党申请书)."""
    with audit.acting(acting_user, via):
        case = Case(opened_on=application_date, **fields)
        check_write(acting_user, case.organization if case.organization_id else None, "登记")
        case.full_clean()
        check = rules.check_step(
            rules.build([]), rules.APPLICATION, application_date, today=today(), birth_date=case.birth_date
        )
        _raise(check.errors, "opened_on")
        case.save()
        Step.objects.create(
            case=case,
            number=rules.APPLICATION,
            date=application_date,
            notes=notes,
            checklist=list(checklist),
            organization=case.organization,
            recorded_by=_user(acting_user),
        )
        refresh_case(case)
    return case


def _user(acting_user: Any) -> Any:
    return acting_user if getattr(acting_user, "is_authenticated", False) else None


def _find_meeting(case: Case, day: datetime.date) -> Any:
    """The held 支部党员大会 of the case's branch on that day, when the ledger has exactly one."""
    from dangjian.activities.models import Activity

    found = list(
        Activity.objects.held()
        .of_type("general_meeting")
        .filter(organization=case.organization, held_on=day)[:2]
    )
    return found[0] if len(found) == 1 else None


def _vote_from_meeting(vote: Vote, case: Case, day: datetime.date) -> Vote:
    """Take the meeting's voter snapshot (应到/实到) when the vote references a held meeting."""
    meeting = vote.meeting or _find_meeting(case, day)
    if meeting is None:
        return vote
    from dangjian.activities.choices import HELD_STATUSES

    if meeting.organization_id != case.organization_id or meeting.status not in HELD_STATUSES:
        raise ValidationError({"meeting": "所选会议不是本支部已召开的支部党员大会。"})
    if meeting.held_on != day:
        raise ValidationError(
            {"meeting": f"所选会议的召开日期（{rules.fmt(meeting.held_on)}）与表决日期不一致。"}
        )
    return Vote(
        eligible=meeting.eligible_voters if meeting.eligible_voters is not None else vote.eligible,
        present=meeting.present_voters if meeting.present_voters is not None else vote.present,
        votes_for=vote.votes_for if vote.votes_for is not None else meeting.votes_for,
        against=vote.against if vote.against is not None else meeting.votes_against,
        abstain=vote.abstain if vote.abstain is not None else meeting.votes_abstain,
        meeting=meeting,
    )


def _check_people(
    rule: rules.StepRule, people: Sequence[Member], case: Case, day: datetime.date
) -> list[str]:
    if not rule.people:
        return []
    errors = []
    label = "培养联系人" if rule.people == "mentors" else "入党介绍人"
    low, high = (
        (rules.MENTORS_MIN, rules.MENTORS_MAX)
        if rule.people == "mentors"
        else (rules.SPONSORS, rules.SPONSORS)
    )
    if not low <= len(people) <= high:
        need = f"{low}名" if low == high else f"{low}至{high}名"
        errors.append(f"{label}应为{need}正式党员（{rule.source}），现选了{len(people)}名。")
    for person in people:
        if person.status != MemberStatus.FULL:
            errors.append(f"{person.name}不是正式党员，不能担任{label}（{rule.source}）。")
    return errors


@transaction.atomic
def do_record_step(
    case: Case,
    number: int,
    *,
    date: datetime.date,
    acting_user: Any,
    notes: str = "",
    checklist: Iterable[str] = (),
    people: Sequence[Member] = (),
    vote: Vote | None = None,
    training_days: int | None = None,
    training_hours: int | None = None,
    special_case: bool = False,
    cell: Organization | None = None,
    documents: Iterable[Any] = (),
    via: str = "web",
) -> Recorded:
    """Record flowchart step ``number`` on ``date``; refuse it (nothing written) if the rules say no.

    Step 17 (approval of admission) creates the probationary member, admitted on the vote's date;
    step 24 (approval of confirmation) makes them a full member from the end of probation.
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    check_write(acting_user, case.organization, "登记")
    timeline = case.timeline()
    check = rules.check_step(
        timeline, number, date, today=today(), birth_date=case.birth_date, special=special_case
    )
    _raise(check.errors)
    rule = rules.RULES[number]
    errors = _check_people(rule, people, case, date)
    _raise(errors, "people")
    passed = None
    if rule.vote:
        vote = _vote_from_meeting(vote or Vote(), case, date)
        _raise(
            rules.vote_errors(vote.eligible, vote.present, vote.votes_for, vote.against, vote.abstain),
            "votes_for",
        )
        passed = rules.vote_result(vote.eligible or 0, vote.present or 0, vote.votes_for or 0).passed
    if number == rules.TRAINING:
        if not (
            (training_days or 0) >= rules.TRAINING_MIN_DAYS
            or (training_hours or 0) >= rules.TRAINING_MIN_HOURS
        ):
            _raise(
                [
                    f"集中培训应不少于{rules.TRAINING_MIN_DAYS}天或{rules.TRAINING_MIN_HOURS}学时（细则第十七条）。"
                ],
                "training_days",
            )
    uploads = list(documents)
    content_types = []
    for upload in uploads:
        try:
            content_types.append(validate_upload(upload))
        except ValidationError as exc:
            raise ValidationError({"documents": exc.messages}) from exc

    with audit.acting(acting_user, via):
        step = Step.objects.create(
            case=case,
            number=number,
            date=date,
            notes=notes,
            checklist=list(checklist),
            meeting=vote.meeting if vote else None,
            eligible_voters=vote.eligible if vote else None,
            present_voters=vote.present if vote else None,
            votes_for=vote.votes_for if vote else None,
            votes_against=vote.against if vote else None,
            votes_abstain=vote.abstain if vote else None,
            passed=passed,
            training_days=training_days,
            training_hours=training_hours,
            special_case=special_case,
            organization=case.organization,
            recorded_by=_user(acting_user),
        )
        if people:
            step.people.set(people)
        for upload, content_type in zip(uploads, content_types, strict=True):
            StepDocument.objects.create(
                step=step,
                file=upload,
                original_name=upload.name[:200],
                size=upload.size,
                content_type=content_type,
            )
        if rule.vote:
            audit.record(
                case,
                "支部大会表决" + ("通过" if passed else "未通过"),
                {
                    "step": number,
                    "eligible": vote.eligible,
                    "present": vote.present,  # type: ignore[union-attr]
                    "for": vote.votes_for,
                    "against": vote.against,
                    "abstain": vote.abstain,  # type: ignore[union-attr]
                },
            )
        if number == rules.APPROVAL:
            _admit(case, acting_user, via)
        elif number == rules.CONFIRMATION_APPROVAL:
            _confirm(case, date, acting_user, via)
        elif number == rules.ASSIGN and cell is not None and case.member_id:
            do_update_member(case.member, cell=cell, acting_user=acting_user, via=via)
        refresh_case(case)
    warnings = list(check.warnings)
    if rule.vote and not passed:
        warnings.append(
            f"表决未通过：赞成票未超过应到会有表决权的正式党员的半数（{rules.VOTE_SOURCE}）。"
            "已记录，可在以后再次提交支部大会讨论。"
        )
    missing = [item for item in rule.checklist if item not in step.checklist]
    if missing:
        warnings.append("尚缺材料：" + "、".join(missing) + "。")
    return Recorded(step=step, warnings=warnings)


def _admit(case: Case, acting_user: Any, via: str) -> None:
    """Approval of admission: the person goes on the roster as a probationary member (one action)."""
    vote_day = case.timeline().done[rules.ADMISSION_VOTE]
    member = do_create_member(
        acting_user=acting_user,
        via=via,
        name=case.name,
        gender=case.gender,
        birth_date=case.birth_date,
        id_number=case.id_number or None,
        phone=case.phone,
        department=case.department,
        organization=case.organization,
        status=MemberStatus.PROBATIONARY,
        status_since=vote_day,
        admission_date=vote_day,
    )
    case.member = member
    case.save()
    audit.record(case, "接收为预备党员", {"member": member.pk, "admission_date": vote_day})


def _confirm(case: Case, approved_on: datetime.date, acting_user: Any, via: str) -> None:
    """Approval of confirmation: full member from the day probation ended (党章第七条)."""
    end = case.timeline().probation_end
    if case.member is None or end is None:
        raise ValidationError({"date": "该档案没有对应的预备党员记录，不能办理转正。"})
    do_change_status(
        case.member,
        MemberStatus.FULL,
        date=end,
        reason=f"按期转正（{rules.fmt(approved_on)}上级党委批准）",
        acting_user=acting_user,
        via=via,
    )
    audit.record(case, "转为正式党员", {"member": case.member_id, "confirmation_date": end})


@transaction.atomic
def do_extend_probation(
    case: Case, *, months: int, date: datetime.date, acting_user: Any, notes: str = "", via: str = "web"
) -> Step:
    """Extend probation by 6–12 months (党章第七条); the confirmation steps start again."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    check_write(acting_user, case.organization, "办理")
    check = rules.check_extension(case.timeline(), date, months, today=today())
    _raise(check.errors)
    with audit.acting(acting_user, via):
        step = Step.objects.create(
            case=case,
            kind=StepKind.EXTENSION,
            months=months,
            date=date,
            notes=notes,
            organization=case.organization,
            recorded_by=_user(acting_user),
        )
        audit.record(case, "延长预备期", {"months": months, "date": date})
        refresh_case(case)
    return step


@transaction.atomic
def do_cancel_probation(
    case: Case, *, date: datetime.date, reason: str, acting_user: Any, via: str = "web"
) -> Step:
    """Cancel probationary membership (取消预备党员资格): the case ends, the member leaves the roll."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    check_write(acting_user, case.organization, "办理")
    check = rules.check_cancellation(case.timeline(), date, today=today())
    if not reason.strip():
        check.errors.append("请填写取消预备党员资格的原因。")
    _raise(check.errors)
    with audit.acting(acting_user, via):
        step = Step.objects.create(
            case=case,
            kind=StepKind.CANCELLATION,
            date=date,
            notes=reason,
            organization=case.organization,
            recorded_by=_user(acting_user),
        )
        if case.member is not None:
            do_change_status(
                case.member,
                MemberStatus.REMOVED,
                date=date,
                reason="取消预备党员资格：" + reason,
                acting_user=acting_user,
                via=via,
            )
        case.status = CaseStatus.CANCELLED
        audit.record(case, "取消预备党员资格", {"date": date, "reason": reason})
        refresh_case(case)
    return step


@transaction.atomic
def do_close_case(
    case: Case, *, date: datetime.date, reason: str, acting_user: Any, via: str = "web"
) -> Step:
    """Stop a case before admission (the applicant withdrew, left the agency, was not approved)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    check_write(acting_user, case.organization, "办理")
    errors = []
    if case.status != CaseStatus.OPEN:
        errors.append("该档案已不在进行中。")
    elif rules.APPROVAL in case.timeline().done:
        errors.append("已接收为预备党员，应办理转正、延长预备期或取消预备党员资格。")
    if not reason.strip():
        errors.append("请填写终止原因。")
    if date > today():
        errors.append("日期不能晚于今天。")
    _raise(errors)
    with audit.acting(acting_user, via):
        step = Step.objects.create(
            case=case,
            kind=StepKind.CLOSURE,
            date=date,
            notes=reason,
            organization=case.organization,
            recorded_by=_user(acting_user),
        )
        case.status = CaseStatus.CLOSED
        audit.record(case, "终止发展", {"date": date, "reason": reason})
        refresh_case(case)
    return step


@transaction.atomic
def do_transfer_case(
    case: Case, *, to: Organization, date: datetime.date, acting_user: Any, reason: str = "", via: str = "web"
) -> CaseTransfer:
    """Move a case to another branch; its steps and documents go with it (细则第十二条 practice).

    The sending branch acts, so the receiving branch may lie outside the user's own subtree.
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    check_write(acting_user, case.organization, "转出")
    errors = []
    if case.status != CaseStatus.OPEN:
        errors.append("该档案已不在进行中，不能转接。")
    if to.kind not in (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH):
        errors.append("只能转入党支部（或党总支）。")
    if to.pk == case.organization_id:
        errors.append("转入的党支部与原党支部相同。")
    if date > today():
        errors.append("转接日期不能晚于今天。")
    last = case.steps.order_by("-date").values_list("date", flat=True).first()
    if last and date < last:
        errors.append(f"转接日期早于最近一个步骤的日期（{rules.fmt(last)}）。")
    if errors:
        raise ValidationError({"to": errors})
    with audit.acting(acting_user, via):
        transfer = CaseTransfer.objects.create(
            case=case, from_organization=case.organization, to_organization=to, date=date, reason=reason
        )
        case.organization = to
        case.save()
        if case.member is not None and case.member.is_active:
            do_update_member(case.member, organization=to, cell=None, acting_user=acting_user, via=via)
        audit.record(case, "转接", {"from": transfer.from_organization.name, "to": to.name, "date": date})
    return transfer


@transaction.atomic
def do_save_plan(
    *, organization: Organization, year: int, planned: int, acting_user: Any, note: str = "", via: str = "web"
) -> Plan:
    """Set an organization's recruitment plan for a year (one per organization and year)."""
    check_write(acting_user, organization, "制定")
    with audit.acting(acting_user, via):
        plan = Plan.objects.filter(organization=organization, year=year).first() or Plan(
            organization=organization, year=year
        )
        plan.planned = planned
        plan.note = note
        plan.full_clean()
        plan.save()
    return plan
