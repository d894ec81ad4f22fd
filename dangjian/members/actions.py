"""Audited writes on the roster: one function per thing a user does, each in one transaction."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from dangjian.core import audit
from dangjian.core.dates import today
from dangjian.core.scope import check_write
from dangjian.members import extensions
from dangjian.members.choices import ACTIVE_STATUSES, MemberStatus, TransferDirection
from dangjian.members.history import record_status_change
from dangjian.members.models import Member, Post, StatusChange, Transfer
from dangjian.orgs.models import Organization


@transaction.atomic
def do_create_member(*, acting_user: Any, via: str = "web", **fields: Any) -> Member:
    """Add a member to the roster, with the first entry of their status history.

    Fields kept by other apps (the dues base, see ``members.extensions``) may be passed along
    and are written through their app; ``status_since`` follows from the history's dating rule.
    """
    extra = extensions.split(fields)
    with audit.acting(acting_user, via):
        member = Member(**fields)
        check_write(acting_user, member.organization if member.organization_id else None, "登记")
        record_status_change(member, member.status, from_status="", reason="录入花名册")
        extensions.save(member, extra, acting_user=acting_user, via=via)
    return member


@transaction.atomic
def do_update_member(member: Member, *, acting_user: Any, via: str = "web", **fields: Any) -> Member:
    """Edit roster fields (and fields kept by other apps); a status change is dated by the history's rule."""
    extra = extensions.split(fields)
    with audit.acting(acting_user, via):
        before = Member.objects.select_related("organization").get(pk=member.pk)
        check_write(acting_user, before.organization, "修改")
        old_status = before.status
        for name, value in fields.items():
            setattr(member, name, value)
        # Moving a member to another branch is the sending branch's act (as a transfer letter is),
        # so only the organization they leave must be the user's; the roster form offers only the
        # user's own organizations, a case transfer any branch of the agency.
        if member.status != old_status:
            record_status_change(member, member.status, from_status=old_status, reason="修改党员信息")
        else:
            member.full_clean()
            member.save()
        extensions.save(member, extra, acting_user=acting_user, via=via)
    return member


@transaction.atomic
def do_change_status(
    member: Member, status: str, *, date: datetime.date, reason: str, acting_user: Any, via: str = "web"
) -> StatusChange:
    """Record a dated status change (deceased, removed …) on the member and in their history."""
    check_write(acting_user, member.organization, "修改")
    if date > today():
        raise ValidationError({"date": "日期不能晚于今天。"})
    if status == member.status:
        raise ValidationError({"status": f"该党员已是“{member.get_status_display()}”状态。"})
    with audit.acting(acting_user, via):
        if status == MemberStatus.FULL and not member.confirmation_date:
            member.confirmation_date = date
        change = record_status_change(member, status, from_status=member.status, reason=reason, on=date)
    return change


@transaction.atomic
def do_transfer_out(
    member: Member,
    *,
    date: datetime.date,
    counterpart: str,
    acting_user: Any,
    letter_number: str = "",
    reason: str = "",
    via: str = "web",
) -> Transfer:
    """Transfer a member's membership out of the agency: a transfer record plus a status change."""
    check_write(acting_user, member.organization, "办理")
    if member.status not in ACTIVE_STATUSES:
        raise ValidationError({"status": f"该党员当前为“{member.get_status_display()}”，不能办理转出。"})
    if not counterpart.strip():
        raise ValidationError({"counterpart": "请填写转往的党组织。"})
    with audit.acting(acting_user, via):
        transfer = Transfer(
            member=member,
            direction=TransferDirection.OUT,
            date=date,
            counterpart=counterpart.strip(),
            letter_number=letter_number,
            reason=reason,
        )
        transfer.full_clean()
        transfer.save()
        # Not re-validated: a transfer must go through even for a record with old gaps in it.
        record_status_change(
            member,
            MemberStatus.TRANSFERRED_OUT,
            from_status=member.status,
            reason=f"转出至{transfer.counterpart}",
            on=date,
            validate=False,
        )
        audit.record(member, "转出", {"counterpart": transfer.counterpart, "date": date})
    return transfer


@transaction.atomic
def do_assign_post(
    organization: Organization,
    *,
    kind: str,
    member: Member,
    started_on: datetime.date,
    acting_user: Any,
    via: str = "web",
) -> Post:
    """Appoint a member to a committee post; validation refuses two secretaries at once."""
    check_write(acting_user, organization, "任命")
    with audit.acting(acting_user, via):
        post = Post(organization=organization, kind=kind, member=member, started_on=started_on)
        post.full_clean()
        post.save()
    return post


@transaction.atomic
def do_end_post(post: Post, *, ended_on: datetime.date, acting_user: Any, via: str = "web") -> Post:
    """End a committee post on a day (the member leaves the post, not the party)."""
    check_write(acting_user, post.organization, "免去")
    with audit.acting(acting_user, via):
        post.ended_on = ended_on
        post.full_clean()
        post.save()
    return post
