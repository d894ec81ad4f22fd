"""Audited writes on the organizational-life ledger: plan → approve/return → record → verify.

Each ``do_<verb>`` checks who may take the step (role and organization), validates everything
before it writes, runs in one transaction and logs the transition with its from/to status.
"""

from __future__ import annotations

import datetime
import random
import secrets
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dangjian.activities import attachments as files
from dangjian.activities.choices import TALK_TYPES, ActivityStatus, AttachmentKind, AttendanceStatus
from dangjian.activities.models import (
    Activity,
    ActivityCredit,
    ActivityType,
    Attachment,
    Attendance,
    SpeakerDraw,
)
from dangjian.activities.roster import member_votes_on, roster, secretary_ids
from dangjian.core import audit
from dangjian.core.dates import today
from dangjian.core.scope import (
    check_oversee,
    check_supervisor,
    check_write,
    get_scope,
    require_write,
    restrict,
)
from dangjian.members.models import Member
from dangjian.members.voting import motion_passed, quorum_met  # noqa: F401 - re-exported
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization

QUORUM_SOURCE = "《中国共产党支部工作条例（试行）》第十一条"
GENERAL_MEETING = "general_meeting"
TALK = "talk"
BIWEEKLY_FORUM = "biweekly_forum"

# Which statuses each step starts from.
PLANNABLE = (ActivityStatus.DRAFT, ActivityStatus.RETURNED)
RECORDABLE = (ActivityStatus.APPROVED, ActivityStatus.HELD)
# An approver may record an activity that was never planned (recorded after the fact).
RECORDABLE_BY_SUPERVISOR = (
    *RECORDABLE,
    ActivityStatus.DRAFT,
    ActivityStatus.RETURNED,
    ActivityStatus.PLANNED,
)


# ---- who hears of a step ---------------------------------------------------------------------


def planners(activity: Activity) -> list[Any]:
    """Who answers for a plan: whoever submitted it, and the officers of its organization."""
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType

    from dangjian.core.choices import RoleKind
    from dangjian.core.models import AuditLog

    submitters = AuditLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Activity),
        object_id=str(activity.pk),
        verb__in=["报送计划", "登记召开情况"],
        actor__isnull=False,
    ).values("actor_id")
    users = get_user_model().objects.filter(is_active=True)
    return list(
        users.filter(pk__in=submitters)
        | users.filter(role__kind=RoleKind.ORG_OFFICER, role__organization=activity.organization)
    )


def _tell_planners(activity: Activity, title: str, body: str = "", url: str = "") -> None:
    from dangjian.core.notify import notify

    actor, _via = audit.current_actor()
    recipients = [u for u in planners(activity) if u != actor]
    notify(
        recipients,
        f"{title}：{activity.activity_type.name}“{activity.topic}”",
        body=f"{activity.organization.name}。{body}".strip(),
        url=url or activity.get_absolute_url(),
        kind="activities",
    )


# ---- who may do what -------------------------------------------------------------------------


def _require_org_write(user: Any, org: Organization) -> None:
    check_write(user, org, "登记")


def _require_supervise(user: Any, org: Organization, what: str) -> None:
    check_oversee(user, org, what)


def _require_status(activity: Activity, allowed: Iterable[str], what: str) -> None:
    if activity.status not in allowed:
        raise ValidationError(f"该活动当前状态为“{activity.get_status_display()}”，不能{what}。")


def _transition(activity: Activity, to: str, verb: str, **extra: Any) -> None:
    before = activity.status
    activity.status = to
    activity.save()
    audit.record(activity, verb, {"from_status": str(before), "to_status": str(to), **extra})


# ---- types and credits ---------------------------------------------------------------------


def check_also_counts_as(activity_type: ActivityType, also: Iterable[ActivityType]) -> list[ActivityType]:
    """The also-counted types, refused unless practice allows them for the primary type."""
    also = [t for t in also if t.pk != activity_type.pk]
    allowed = set(activity_type.may_also_count_as.values_list("pk", flat=True))
    refused = [t.name for t in also if t.pk not in allowed]
    if refused:
        raise ValidationError({"also_counts_as": f"{activity_type.name}不能同时计为{'、'.join(refused)}。"})
    return also


def sync_credits(activity: Activity, also: Iterable[ActivityType]) -> None:
    """Make the credit rows exactly the primary type plus the also-counted types."""
    wanted = {
        activity.activity_type_id: True,
        **{t.pk: False for t in also if t.pk != activity.activity_type_id},
    }
    activity.also_counts_as.set([pk for pk, primary in wanted.items() if not primary])
    existing = {c.activity_type_id: c for c in activity.credits.all()}
    ActivityCredit.objects.filter(activity=activity).exclude(activity_type_id__in=wanted).delete()
    for type_id, primary in wanted.items():
        credit = existing.get(type_id)
        if credit is None:
            ActivityCredit.objects.create(activity=activity, activity_type_id=type_id, is_primary=primary)
        elif credit.is_primary != primary:
            credit.is_primary = primary
            credit.save(update_fields=["is_primary"])


def _check_cells(org: Organization, cells: Iterable[Organization]) -> list[Organization]:
    cells = list(cells)
    wrong = [c.name for c in cells if c.kind != OrgKind.CELL or c.parent_id != org.pk]
    if wrong:
        raise ValidationError({"cells": f"{'、'.join(wrong)}不是{org.name}的党小组。"})
    return cells


# ---- plan → approve / return ----------------------------------------------------------------

PLAN_FIELDS = (
    "organization",
    "activity_type",
    "topic",
    "planned_at",
    "place",
    "host",
    "lecturer",
    "lecturer_name",
    "is_first_agenda",
    "agenda",
)


@transaction.atomic
def do_plan(
    activity: Activity | None = None,
    *,
    acting_user: Any,
    submit: bool = True,
    also_counts_as: Iterable[ActivityType] = (),
    cells: Iterable[Organization] = (),
    via: str = "web",
    **fields: Any,
) -> Activity:
    """Save a plan as a draft, or submit it for approval (draft/returned → planned)."""
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"do_plan() got unexpected fields {sorted(unknown)}")
    with audit.acting(acting_user, via):
        new = activity is None
        activity = activity or Activity(status=ActivityStatus.DRAFT)
        if not new:
            _require_org_write(acting_user, activity.organization)
            _require_status(activity, PLANNABLE, "修改计划")
        for name, value in fields.items():
            setattr(activity, name, value)
        if not activity.organization_id:
            raise ValidationError({"organization": "请选择党组织。"})
        _require_org_write(acting_user, activity.organization)
        if not activity.planned_at:
            raise ValidationError({"planned_at": "请填写计划时间。"})
        also = check_also_counts_as(activity.activity_type, also_counts_as)
        cells = _check_cells(activity.organization, cells)
        activity.full_clean()
        before = "" if new else activity.status
        if submit:
            activity.status = ActivityStatus.PLANNED
        activity.save()
        activity.cells.set(cells)
        sync_credits(activity, also)
        if submit:
            audit.record(activity, "报送计划", {"from_status": str(before), "to_status": "planned"})
    return activity


@transaction.atomic
def do_approve(activity: Activity, *, acting_user: Any, via: str = "web") -> Activity:
    """The 机关党委 approves a submitted plan (planned → approved)."""
    with audit.acting(acting_user, via):
        _require_supervise(acting_user, activity.organization, "审批")
        _require_status(activity, (ActivityStatus.PLANNED,), "审批")
        activity.return_reason = ""
        _transition(activity, ActivityStatus.APPROVED, "审批通过")
        _tell_planners(activity, "计划已审批通过", "可按计划开展，开展后请及时登记。")
    return activity


@transaction.atomic
def do_return(activity: Activity, reason: str, *, acting_user: Any, via: str = "web") -> Activity:
    """The 机关党委 returns a submitted plan with a reason (planned → returned)."""
    reason = (reason or "").strip()
    with audit.acting(acting_user, via):
        _require_supervise(acting_user, activity.organization, "退回")
        _require_status(activity, (ActivityStatus.PLANNED,), "退回")
        if not reason:
            raise ValidationError({"return_reason": "退回须填写原因。"})
        activity.return_reason = reason[:200]
        _transition(activity, ActivityStatus.RETURNED, "退回计划", reason=reason)
        _tell_planners(
            activity,
            "计划被退回",
            f"退回原因：{reason}。请修改后重新报送。",
            reverse("activities:edit", args=[activity.pk]),
        )
    return activity


# ---- record ------------------------------------------------------------------------------

RECORD_FIELDS = (
    "topic",
    "held_at",
    "place",
    "host",
    "lecturer",
    "lecturer_name",
    "is_first_agenda",
    "agenda",
    "minutes",
    "decisions",
    "has_vote",
    "vote_subject",
    "votes_for",
    "votes_against",
    "votes_abstain",
    "is_highlight",
    "highlight_text",
)


def _day(value: datetime.datetime) -> datetime.date:
    return timezone.localdate(value) if timezone.is_aware(value) else value.date()


@transaction.atomic
def do_record(
    activity: Activity,
    *,
    acting_user: Any,
    attendance: Mapping[int, tuple[str, str]] | None = None,
    guests: Iterable[str] = (),
    also_counts_as: Iterable[ActivityType] | None = None,
    cells: Iterable[Organization] | None = None,
    via: str = "web",
    **fields: Any,
) -> Activity:
    """Record that an activity was held: details, each member's attendance, guests and any vote.

    ``attendance`` maps member id → (status, leave reason) for every member of the organization
    (or of the chosen cells) on the day. A general meeting that votes is refused without a quorum.
    """
    unknown = set(fields) - set(RECORD_FIELDS)
    if unknown:
        raise TypeError(f"do_record() got unexpected fields {sorted(unknown)}")
    org = activity.organization
    with audit.acting(acting_user, via):
        _require_org_write(acting_user, org)
        if activity.status == ActivityStatus.VERIFIED:
            raise ValidationError("该活动已审核，修改须先由机关党委退回重新登记。")
        allowed = RECORDABLE_BY_SUPERVISOR if get_scope(acting_user).oversees(org) else RECORDABLE
        if activity.status not in allowed:
            raise ValidationError(
                f"该活动当前状态为“{activity.get_status_display()}”，须经机关党委审批后才能登记召开情况。"
            )
        before = activity.status
        for name, value in fields.items():
            setattr(activity, name, value)
        if not activity.held_at:
            raise ValidationError({"held_at": "请填写召开时间。"})
        activity.clean()  # the dates, before the roster of that day is read
        day = _day(activity.held_at)
        activity.topic = (activity.topic or "").strip()

        also = check_also_counts_as(
            activity.activity_type,
            activity.also_counts_as.all() if also_counts_as is None else also_counts_as,
        )
        cell_list = _check_cells(org, activity.cells.all() if cells is None else cells)

        duplicate = (
            Activity.objects.filter(
                organization=org, activity_type=activity.activity_type, held_on=day, topic=activity.topic
            )
            .exclude(pk=activity.pk)
            .first()
        )
        if duplicate:
            raise ValidationError(
                f"{org.name}已于{day.year}年{day.month}月{day.day}日登记过同一主题的"
                f"{activity.activity_type.name}“{activity.topic}”，请勿重复登记。"
            )

        members = roster(org, day, cell_list, activity.activity_type.code)
        by_id = {m.pk: m for m in members}
        rows = _check_attendance(activity, org, day, by_id, attendance or {})
        guest_names = [g.strip()[:50] for g in guests if g and g.strip()]

        _snapshot_vote(activity, day, by_id, rows)
        lecturer_id = activity.lecturer_id
        activity.lecturer_is_secretary = bool(lecturer_id and lecturer_id in secretary_ids(org, day))
        if activity.is_highlight and not activity.highlight_text.strip():
            raise ValidationError({"highlight_text": "标记为亮点工作须填写亮点说明。"})

        activity.status = ActivityStatus.HELD
        activity.full_clean()
        activity.save()
        activity.cells.set(cell_list)
        sync_credits(activity, also)
        _write_attendance(activity, rows, guest_names)
        audit.record(activity, "登记召开情况", {"from_status": str(before), "to_status": "held"})
    return activity


def _check_attendance(
    activity: Activity,
    org: Organization,
    day: datetime.date,
    by_id: dict[int, Member],
    attendance: Mapping[int, tuple[str, str]],
) -> dict[int, tuple[str, str]]:
    outsiders = [int(pk) for pk in attendance if int(pk) not in by_id]
    if outsiders:
        names = (
            "、".join(Member.objects.filter(pk__in=outsiders).values_list("name", flat=True)) or "所选人员"
        )
        who = "支部委员会成员" if activity.activity_type.code == "committee_meeting" else "在册党员"
        raise ValidationError(
            {
                "attendance": f"{names}不是{org.name}在{day.year}年{day.month}月{day.day}日的{who}，不能登记出勤。"
            }
        )
    rows: dict[int, tuple[str, str]] = {}
    errors: list[str] = []
    valid = set(AttendanceStatus.values)
    for pk, (status, reason) in attendance.items():
        member = by_id[int(pk)]
        reason = (reason or "").strip()[:100]
        if status not in valid:
            errors.append(f"{member.name}：出勤情况无效。")
        else:
            try:
                Attendance(activity=activity, member=member, status=status, leave_reason=reason).clean()
            except ValidationError as exc:
                errors.extend(f"{member.name}：{message}" for message in exc.messages)
        rows[int(pk)] = (status, reason)
    if activity.activity_type.takes_attendance:
        missing = [m.name for pk, m in by_id.items() if pk not in rows]
        if missing:
            errors.append(f"未登记出勤：{'、'.join(missing)}。")
    if errors:
        raise ValidationError({"attendance": errors})
    return rows


def _snapshot_vote(
    activity: Activity, day: datetime.date, by_id: dict[int, Member], rows: dict[int, tuple[str, str]]
) -> None:
    """Freeze who could vote and who was present; refuse a vote without quorum (Art 11)."""
    if not activity.has_vote:
        activity.vote_subject = ""
        activity.eligible_voters = activity.present_voters = None
        activity.votes_for = activity.votes_against = activity.votes_abstain = None
        return
    if activity.activity_type.code != GENERAL_MEETING:
        raise ValidationError({"has_vote": "只有支部党员大会登记表决事项。"})
    if not activity.vote_subject.strip():
        raise ValidationError({"vote_subject": "请填写表决事项。"})
    voters = [pk for pk, m in by_id.items() if member_votes_on(m, day)]
    present = [pk for pk in voters if rows.get(pk, ("",))[0] == AttendanceStatus.PRESENT]
    activity.eligible_voters, activity.present_voters = len(voters), len(present)
    if not quorum_met(len(present), len(voters)):
        raise ValidationError(
            {
                "has_vote": f"有表决权的党员应到{len(voters)}人、实到{len(present)}人，未超过半数，不能进行表决"
                f"（{QUORUM_SOURCE}：有表决权的党员到会人数超过半数，方可召开党员大会进行表决）。"
            }
        )
    if activity.votes_for is None:
        raise ValidationError({"votes_for": "请填写赞成票数。"})
    cast = (activity.votes_for or 0) + (activity.votes_against or 0) + (activity.votes_abstain or 0)
    if cast > len(present):
        raise ValidationError(
            {"votes_for": f"赞成、反对、弃权合计{cast}票，超过实到有表决权党员{len(present)}人。"}
        )


def _write_attendance(activity: Activity, rows: dict[int, tuple[str, str]], guests: list[str]) -> None:
    """Update rows in place (so make-up records survive a correction), add new ones, drop the rest."""
    existing = {a.member_id: a for a in activity.attendances.filter(member__isnull=False)}
    for member_id, (status, reason) in rows.items():
        row = existing.pop(member_id, None) or Attendance(activity=activity, member_id=member_id)
        row.status, row.leave_reason = status, reason if status == AttendanceStatus.LEAVE else ""
        if status == AttendanceStatus.PRESENT:
            row.makeup_on, row.makeup_note = None, ""
        else:
            row.late = False  # marked absent or on leave after all: no longer "late"
        row.save()
    for row in existing.values():
        row.delete()
    activity.attendances.filter(member__isnull=True).exclude(guest_name__in=guests).delete()
    have = set(activity.attendances.filter(member__isnull=True).values_list("guest_name", flat=True))
    for name in dict.fromkeys(guests):
        if name not in have:
            Attendance.objects.create(activity=activity, guest_name=name, status=AttendanceStatus.PRESENT)


# ---- verify / reopen / make-up ------------------------------------------------------------


@transaction.atomic
def do_verify(activity: Activity, *, acting_user: Any, via: str = "web") -> Activity:
    """The 机关党委 checks a record and marks it verified (held → verified)."""
    with audit.acting(acting_user, via):
        _require_supervise(acting_user, activity.organization, "审核")
        _require_status(activity, (ActivityStatus.HELD,), "审核")
        _transition(activity, ActivityStatus.VERIFIED, "审核通过")
        _tell_planners(activity, "活动记录已审核通过")
    return activity


@transaction.atomic
def do_reopen(activity: Activity, reason: str, *, acting_user: Any, via: str = "web") -> Activity:
    """Reopen a verified record for correction (verified → held), with the reason logged."""
    reason = (reason or "").strip()
    with audit.acting(acting_user, via):
        _require_supervise(acting_user, activity.organization, "退回修改")
        _require_status(activity, (ActivityStatus.VERIFIED,), "退回修改")
        if not reason:
            raise ValidationError({"reason": "退回修改须填写原因。"})
        _transition(activity, ActivityStatus.HELD, "退回修改", reason=reason)
        _tell_planners(
            activity,
            "活动记录被退回修改",
            f"原因：{reason}。请修改记录后再报审核。",
            reverse("activities:record", args=[activity.pk]),
        )
    return activity


@transaction.atomic
def do_record_makeup(
    attendance: Attendance, *, makeup_on: datetime.date, note: str, acting_user: Any, via: str = "web"
) -> Attendance:
    """Record that a member who missed an activity made up the study (补学)."""
    activity = attendance.activity
    with audit.acting(acting_user, via):
        _require_org_write(acting_user, activity.organization)
        who = attendance.member.name if attendance.member_id else attendance.guest_name
        if not activity.is_held:
            raise ValidationError("活动尚未召开，不能登记补学。")
        if not attendance.member_id or attendance.status == AttendanceStatus.PRESENT:
            raise ValidationError(f"{who}已出席，无需补学。")
        if not makeup_on:
            raise ValidationError({"makeup_on": "请填写补学日期。"})
        if makeup_on > today():
            raise ValidationError({"makeup_on": "补学日期不能晚于今天。"})
        if activity.held_on and makeup_on < activity.held_on:
            raise ValidationError({"makeup_on": "补学日期不能早于活动召开日期。"})
        if not (note or "").strip():
            raise ValidationError({"makeup_note": "请填写补学内容。"})
        attendance.makeup_on, attendance.makeup_note = makeup_on, note.strip()[:200]
        attendance.full_clean()
        attendance.save()
        audit.record(activity, "登记补学", {"member": who, "makeup_on": makeup_on})
    return attendance


# ---- a member's own part: make-up study, confirming attendance, reflections ----------------------


def _require_own(acting_user: Any, member_id: int | None, what: str) -> None:
    """A member acts on their own records only (the system itself, None, acts on any)."""
    if acting_user is None:
        return
    own = get_scope(acting_user).member_id
    if own is None or own != member_id:
        raise PermissionDenied(f"只能由党员本人{what}。")


def _member_user(member: Member) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(role__member=member, is_active=True).first()


@transaction.atomic
def do_member_makeup(
    attendance: Attendance, *, makeup_on: datetime.date | None, note: str, acting_user: Any, via: str = "web"
) -> Attendance:
    """A member reports the make-up study (补学) of an activity they missed; the officers hear of it."""
    activity = attendance.activity
    with audit.acting(acting_user, via):
        _require_own(acting_user, attendance.member_id, "登记补学")
        if not activity.is_held:
            raise ValidationError("活动尚未召开，不能登记补学。")
        if attendance.status == AttendanceStatus.PRESENT:
            raise ValidationError("您出席了这次活动，无需补学。")
        if attendance.makeup_on:
            raise ValidationError(f"已于{attendance.makeup_on:%Y-%m-%d}登记过补学。")
        if not makeup_on:
            raise ValidationError({"makeup_on": "请填写补学日期。"})
        if makeup_on > today():
            raise ValidationError({"makeup_on": "补学日期不能晚于今天。"})
        if activity.held_on and makeup_on < activity.held_on:
            raise ValidationError({"makeup_on": "补学日期不能早于活动召开日期。"})
        if not (note or "").strip():
            raise ValidationError({"makeup_note": "请填写补学内容（学了什么、怎么学的）。"})
        attendance.makeup_on, attendance.makeup_note = makeup_on, note.strip()[:200]
        attendance.makeup_by_member = True
        attendance.full_clean()
        attendance.save()
        audit.record(activity, "本人登记补学", {"member": attendance.member.name, "makeup_on": makeup_on})
        _tell_planners(activity, f"{attendance.member.name}已登记补学", f"补学内容：{attendance.makeup_note}")
    return attendance


@transaction.atomic
def do_confirm_attendance(
    attendance: Attendance, *, correct: bool, note: str = "", acting_user: Any, via: str = "web"
) -> Attendance:
    """A member confirms their attendance record, or reports it wrong (the officers are told why)."""
    activity = attendance.activity
    with audit.acting(acting_user, via):
        _require_own(acting_user, attendance.member_id, "确认出勤记录")
        if not activity.is_held:
            raise ValidationError("活动尚未召开，没有出勤记录可确认。")
        if correct:
            attendance.confirmed_at = timezone.now()
            attendance.save()
            audit.record(activity, "本人确认出勤", {"member": attendance.member.name})
            return attendance
        note = (note or "").strip()
        if not note:
            raise ValidationError({"note": "请说明哪里有误（例如：当天出席了，记成了缺席）。"})
        attendance.confirmed_at = None
        attendance.save()
        audit.record(activity, "本人报告出勤有误", {"member": attendance.member.name, "note": note[:200]})
        _tell_planners(
            activity,
            f"{attendance.member.name}报告出勤记录有误",
            f"记录为“{attendance.get_status_display()}”。说明：{note[:200]}",
            reverse("activities:record", args=[activity.pk]),
        )
    return attendance


@transaction.atomic
def do_submit_reflection(
    activity: Activity, *, title: str, text: str, acting_user: Any, via: str = "web"
) -> Any:
    """A member submits (or, once returned, resubmits) a reflection on an activity they attended."""
    from dangjian.activities.choices import ReflectionStatus
    from dangjian.activities.models import Reflection

    member_id = get_scope(acting_user).member_id
    if member_id is None:
        raise PermissionDenied("只有党员本人可以提交心得体会。")
    with audit.acting(acting_user, via):
        if not activity.is_held or not activity.attendances.filter(member_id=member_id).exists():
            raise ValidationError("只能为本人参加（或应参加）的已召开活动提交心得体会。")
        title, text = (title or "").strip(), (text or "").strip()
        errors = {}
        if not title:
            errors["title"] = "请填写题目。"
        if not text:
            errors["text"] = "请填写内容。"
        if errors:
            raise ValidationError(errors)
        reflection = (
            Reflection.objects.filter(member_id=member_id, activity=activity)
            .exclude(status=ReflectionStatus.ACCEPTED)
            .first()
        )
        if reflection is None:
            if Reflection.objects.filter(member_id=member_id, activity=activity).exists():
                raise ValidationError("这次活动的心得体会已审阅通过，无需再提交。")
            reflection = Reflection(member_id=member_id, activity=activity)
        reflection.title, reflection.text = title[:200], text
        reflection.submitted_on = today()
        reflection.status = ReflectionStatus.SUBMITTED
        reflection.review_comment, reflection.reviewed_at = "", None
        reflection.full_clean()
        reflection.save()
        _tell_planners(
            activity,
            f"{reflection.member.name}提交了心得体会，请审阅",
            f"题目：{reflection.title}",
            reverse("activities:reflections") + "?status=submitted",
        )
    return reflection


@transaction.atomic
def do_review_reflection(
    reflection: Any, *, accept: bool, comment: str = "", acting_user: Any, via: str = "web"
) -> Any:
    """An officer accepts a member's reflection or returns it with a comment; the member is told."""
    from dangjian.activities.choices import ReflectionStatus

    comment = (comment or "").strip()
    with audit.acting(acting_user, via):
        check_write(acting_user, reflection.member.organization, "审阅")
        if reflection.status != ReflectionStatus.SUBMITTED:
            raise ValidationError(f"该心得体会当前为“{reflection.get_status_display()}”，不是待审阅。")
        if not accept and not comment:
            raise ValidationError({"comment": "退回须填写意见，告诉党员怎么修改。"})
        reflection.status = ReflectionStatus.ACCEPTED if accept else ReflectionStatus.RETURNED
        reflection.review_comment, reflection.reviewed_at = comment[:200], timezone.now()
        reflection.save()
        from dangjian.core.notify import notify

        notify(
            [_member_user(reflection.member)],
            f"心得体会“{reflection.title}”{'已审阅通过' if accept else '被退回，请修改后重新提交'}",
            body=f"审阅意见：{comment}" if comment else "",
            url=reverse("activities:mine"),
            kind="reflection",
        )
    return reflection


# ---- talks ---------------------------------------------------------------------------------


@transaction.atomic
def do_record_talk(
    *,
    party_a: Member,
    party_b: Member,
    held_on: datetime.date,
    topic: str,
    place: str = "",
    kind: str = "",
    acting_user: Any,
    via: str = "web",
) -> Activity:
    """Record a talk: who with whom, when, about what. ``kind`` is one of the talk types — a
    heart-to-heart talk (谈心谈话, the default) or an integrity, reminder or admonishment talk."""
    require_write(acting_user)
    visible = restrict(Member.objects.all(), acting_user)
    errors: dict[str, str] = {}
    if party_a is None or not visible.filter(pk=party_a.pk).exists():
        errors["party_a"] = "谈话人须是您权限范围内的党员。"
    if party_b is None or not visible.filter(pk=party_b.pk).exists():
        errors["party_b"] = "谈话对象须是您权限范围内的党员。"
    if not errors and party_a.pk == party_b.pk:
        errors["party_b"] = "谈话人与谈话对象不能是同一人。"
    if held_on is None:
        errors["held_on"] = "请填写谈话日期。"
    elif held_on > today():
        errors["held_on"] = "谈话日期不能晚于今天。"
    if not (topic or "").strip():
        errors["topic"] = "请填写谈话主题。"
    kind = kind or TALK
    if kind not in TALK_TYPES:
        errors["kind"] = "请选择谈话类别。"
    if errors:
        raise ValidationError(errors)
    org = (
        party_a.organization if get_scope(acting_user).covers(party_a.organization) else party_b.organization
    )
    _require_org_write(acting_user, org)
    talk_type = ActivityType.objects.get(code=kind)
    noon = timezone.make_aware(datetime.datetime.combine(held_on, datetime.time(12, 0)))
    with audit.acting(acting_user, via):
        activity = Activity(
            organization=org,
            activity_type=talk_type,
            status=ActivityStatus.HELD,
            topic=topic.strip()[:200],
            held_at=min(noon, timezone.now()),
            place=place,
            talk_party_a=party_a,
            talk_party_b=party_b,
        )
        activity.full_clean()
        activity.save()
        sync_credits(activity, ())
        audit.record(activity, "登记谈心谈话", {"from_status": "", "to_status": "held"})
    return activity


# ---- speaker draw (双周讲坛) --------------------------------------------------------------


def draw_pick(seed: str, candidate_ids: list[int], count: int) -> list[int]:
    """The pick a seed gives: anyone can rerun this with the stored seed and get the same names."""
    return random.Random(f"dangjian-draw:{seed}").sample(sorted(candidate_ids), count)


def verify_draw(draw: SpeakerDraw) -> bool:
    """Recompute a stored draw from its seed and candidates; True when it matches what was recorded."""
    return draw_pick(draw.seed, list(draw.candidate_ids), draw.count) == list(draw.picked_ids)


@transaction.atomic
def do_draw_speakers(
    activity: Activity, count: int, *, seed: str | None = None, acting_user: Any, via: str = "web"
) -> SpeakerDraw:
    """Pick ``count`` speakers at random among the members present, keeping the seed."""
    with audit.acting(acting_user, via):
        _require_org_write(acting_user, activity.organization)
        if not activity.credits.filter(activity_type__code=BIWEEKLY_FORUM).exists():
            raise ValidationError("只有双周讲坛可以随机抽取发言人。")
        if not activity.is_held:
            raise ValidationError("请先登记出勤，再从到会党员中抽取发言人。")
        candidates = sorted(
            activity.attendances.filter(member__isnull=False, status=AttendanceStatus.PRESENT).values_list(
                "member_id", flat=True
            )
        )
        if not 1 <= count <= len(candidates):
            raise ValidationError(
                {"count": f"抽取人数应在1至{len(candidates)}人之间（到会党员{len(candidates)}人）。"}
            )
        seed = seed or secrets.token_hex(8)
        picked = draw_pick(seed, candidates, count)
        draw = SpeakerDraw.objects.create(
            activity=activity, seed=seed, count=count, candidate_ids=candidates, picked_ids=picked
        )
        audit.record(activity, "随机抽取发言人", {"seed": seed, "picked": ",".join(map(str, picked))})
    return draw


# ---- attachments ---------------------------------------------------------------------------


@transaction.atomic
def do_add_attachment(
    activity: Activity,
    upload: UploadedFile,
    *,
    kind: str = AttachmentKind.PHOTO,
    acting_user: Any,
    via: str = "web",
) -> Attachment:
    """Keep a file with an activity after checking its size and what its bytes say it is."""
    name = (upload.name or "未命名文件").rsplit("/", 1)[-1][:200]
    with audit.acting(acting_user, via):
        _require_org_write(acting_user, activity.organization)
        if activity.status == ActivityStatus.VERIFIED:
            raise ValidationError("该活动已审核，添加附件须先由机关党委退回修改。")
        limit = files.max_bytes()
        if upload.size is None or upload.size > limit:
            raise ValidationError(
                {
                    "file": f"文件“{name}”大小为{files.human_size(upload.size or 0)}，超过上限{files.human_size(limit)}。"
                }
            )
        if upload.size == 0:
            raise ValidationError({"file": f"文件“{name}”是空文件。"})
        content_type = files.sniff(upload.file)
        if content_type not in files.ALLOWED_TYPES:
            raise ValidationError(
                {"file": f"文件“{name}”不是允许的类型（只接受{files.ALLOWED_LABEL}），已拒收。"}
            )
        if kind not in AttachmentKind.values:
            raise ValidationError({"kind": "附件类别无效。"})
        ext = files.ALLOWED_TYPES[content_type][0]
        upload.name = f"{uuid.uuid4().hex}{ext}"  # never trust the user's file name on disk
        attachment = Attachment(
            activity=activity,
            kind=kind,
            file=upload,
            original_name=name,
            size=upload.size,
            content_type=content_type,
        )
        attachment.save()
        audit.record(activity, "上传附件", {"file": name, "size": upload.size, "content_type": content_type})
    return attachment


@transaction.atomic
def do_delete_attachment(attachment: Attachment, *, acting_user: Any, via: str = "web") -> None:
    activity = attachment.activity
    with audit.acting(acting_user, via):
        _require_org_write(acting_user, activity.organization)
        if activity.status == ActivityStatus.VERIFIED:
            raise ValidationError("该活动已审核，删除附件须先由机关党委退回修改。")
        name = attachment.original_name
        storage, path = attachment.file.storage, attachment.file.name
        attachment.delete()
        audit.record(activity, "删除附件", {"file": name})
        transaction.on_commit(lambda: storage.delete(path))


# ---- user-added types ----------------------------------------------------------------------


def _require_type_admin(user: Any) -> None:
    check_supervisor(user, "维护活动类型")


@transaction.atomic
def do_save_type(
    activity_type: ActivityType | None,
    *,
    acting_user: Any,
    may_also_count_as: Iterable[ActivityType] = (),
    via: str = "web",
    **fields: Any,
) -> ActivityType:
    """Add or change an activity type; built-in types keep their code."""
    _require_type_admin(acting_user)
    with audit.acting(acting_user, via):
        activity_type = activity_type or ActivityType()
        if activity_type.is_builtin and fields.get("code", activity_type.code) != activity_type.code:
            raise ValidationError({"code": "内置类型的代码不能修改。"})
        for name, value in fields.items():
            setattr(activity_type, name, value)
        activity_type.full_clean()
        activity_type.save()
        activity_type.may_also_count_as.set([t for t in may_also_count_as if t.pk != activity_type.pk])
    return activity_type


@transaction.atomic
def do_delete_type(activity_type: ActivityType, *, acting_user: Any, via: str = "web") -> None:
    _require_type_admin(acting_user)
    if activity_type.is_builtin:
        raise ValidationError(f"“{activity_type.name}”是内置类型，不能删除（可停用）。")
    if (
        ActivityCredit.objects.filter(activity_type=activity_type).exists()
        or Activity.objects.filter(activity_type=activity_type).exists()
    ):
        raise ValidationError(f"已有活动使用“{activity_type.name}”，不能删除（可停用）。")
    with audit.acting(acting_user, via):
        activity_type.delete()


# ---- reflections ---------------------------------------------------------------------------


@transaction.atomic
def do_add_reflection(*, acting_user: Any, via: str = "web", **fields: Any) -> Any:
    """File a member's written study reflection (心得体会)."""
    from dangjian.activities.models import Reflection

    require_write(acting_user)
    reflection = Reflection(**fields)
    if not restrict(Member.objects.all(), acting_user).filter(pk=reflection.member_id).exists():
        raise ValidationError({"member": "所选党员不在您的权限范围内。"})
    if reflection.submitted_on and reflection.submitted_on > today():
        raise ValidationError({"submitted_on": "提交日期不能晚于今天。"})
    with audit.acting(acting_user, via):
        reflection.full_clean()
        reflection.save()
    return reflection


# ---- 扫码签到 (sign-in at the meeting) -----------------------------------------------------

# A sign-in screen serves activities that are still to be recorded or have just been; a
# verified record is changed only through 退回修改.
SIGNIN_STATUSES = (ActivityStatus.PLANNED, ActivityStatus.APPROVED, ActivityStatus.HELD)


def signin_roster(activity: Activity) -> list[Member]:
    """Who may sign in: the roster of the activity's organization (or cells, or committee) today."""
    day = timezone.localdate(activity.held_at) if activity.held_at else today()
    return roster(activity.organization, day, list(activity.cells.all()), activity.activity_type.code)


def _check_signin_open(activity: Activity) -> None:
    if not activity.activity_type.takes_attendance:
        raise ValidationError(f"{activity.activity_type.name}不登记出勤，无需签到。")
    _require_status(activity, SIGNIN_STATUSES, "签到")


def is_late(activity: Activity, at: datetime.datetime) -> bool:
    """Later than the start (召开时间, else the planned time) plus the configured grace."""
    from django.conf import settings

    start = activity.held_at or activity.planned_at
    if start is None:
        return False
    return at > start + datetime.timedelta(minutes=settings.SIGNIN_GRACE_MINUTES)


@transaction.atomic
def do_sign_in(
    activity: Activity, *, acting_user: Any, at: datetime.datetime | None = None, via: str = "web"
) -> Attendance:
    """A member signs themselves in by scanning the meeting's code: present, late if after the grace.

    Only the member themselves (the logged-in user's own member record) signs in, and only onto
    an activity whose roster includes them. Signing in twice keeps the first time.
    """
    at = at or timezone.now()
    scope = get_scope(acting_user)
    with audit.acting(acting_user, via):
        _check_signin_open(activity)
        if not scope.member_id:
            raise PermissionDenied("只有党员本人可以扫码签到（当前账号未关联党员）。")
        member = Member.objects.get(pk=scope.member_id)
        if member.pk not in {m.pk for m in signin_roster(activity)}:
            raise ValidationError(f"{member.name}不在{activity.organization.name}本次活动的参会名单中。")
        row = Attendance.objects.select_for_update().filter(activity=activity, member=member).first()
        if row is not None and row.signed_in_at:
            return row
        row = row or Attendance(activity=activity, member=member)
        row.status, row.leave_reason = AttendanceStatus.PRESENT, ""
        row.signed_in_at, row.late = at, is_late(activity, at)
        row.makeup_on, row.makeup_note = None, ""
        row.save()
    return row


@transaction.atomic
def do_correct_sign_in(
    activity: Activity, member: Member, status: str, *, acting_user: Any, via: str = "web"
) -> Attendance | None:
    """The officer corrects the sign-in list: ``present``, ``late``, or ``clear`` (not signed in)."""
    with audit.acting(acting_user, via):
        _require_org_write(acting_user, activity.organization)
        _check_signin_open(activity)
        if member.pk not in {m.pk for m in signin_roster(activity)}:
            raise ValidationError(f"{member.name}不在本次活动的参会名单中。")
        if status not in ("present", "late", "clear"):
            raise ValidationError("更正项只能是“出席”“迟到”或“未签到”。")
        row = Attendance.objects.filter(activity=activity, member=member).first()
        if status == "clear":
            if row is not None:
                row.delete()
            return None
        row = row or Attendance(activity=activity, member=member)
        row.status, row.leave_reason = AttendanceStatus.PRESENT, ""
        row.signed_in_at = row.signed_in_at or timezone.now()
        row.late = status == "late"
        row.save()
    return row
