"""Writes to the responsibility ledgers: each checks its own permission and is audited.

A record belongs to one organization (``owner_org``): the list's organization, the branch a
leader liaises with, the signer's branch. Only a writer whose reach covers that organization may
save or delete it, whether the call comes from a page, an import or the CLI.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model

from dangjian.core import audit
from dangjian.core.scope import check_oversee, check_write
from dangjian.duties.choices import ItemStatus
from dangjian.duties.models import BusinessResult, Letter, Liaison, ResponsibilityItem


def owner_org(obj: Model) -> Any:
    """The organization whose writers may change ``obj``."""
    if isinstance(obj, Liaison):
        return obj.branch if obj.branch_id else None
    if isinstance(obj, Letter):
        return obj.signer.organization if obj.signer_id else None
    return obj.organization if getattr(obj, "organization_id", None) else None  # type: ignore[attr-defined]


def do_save(obj: Model, *, acting_user: Any, via: str = "web", what: str = "登记") -> Model:
    """Validate and save a new or changed record of the ledgers (the generic write).

    The permission is checked on the organization the record will belong to and, for a change,
    also on the one it belonged to, so a record cannot be moved out of another branch.
    """
    if obj.pk:
        before = type(obj).objects.get(pk=obj.pk)
        check_write(acting_user, owner_org(before), "修改")
    org = owner_org(obj)
    if org is None:
        raise ValidationError({"organization": "请选择所属党组织。"})
    check_write(acting_user, org, what)
    if isinstance(obj, BusinessResult) and not obj.pk:
        obj.entered_by = acting_user
    obj.full_clean()
    with audit.acting(acting_user, via), transaction.atomic():
        obj.save()
    return obj


def do_delete(obj: Model, *, acting_user: Any, via: str = "web") -> None:
    check_write(acting_user, owner_org(obj), "删除")
    with audit.acting(acting_user, via), transaction.atomic():
        obj.delete()


def do_complete_item(
    item: ResponsibilityItem,
    *,
    done_on: datetime.date,
    evidence: str = "",
    evidence_activity: Any = None,
    acting_user: Any,
    via: str = "web",
) -> ResponsibilityItem:
    """Mark a list item done with its evidence (a text or the activity that proves it)."""
    check_write(acting_user, item.organization, "办结")
    item.status = ItemStatus.DONE
    item.done_on = done_on
    item.evidence = evidence or item.evidence
    if evidence_activity is not None:
        item.evidence_activity = evidence_activity
    item.full_clean()
    with audit.acting(acting_user, via), transaction.atomic():
        item.save()
        audit.record(item, "办结", {"done_on": done_on})
    return item


def do_reopen_item(
    item: ResponsibilityItem, *, reason: str, acting_user: Any, via: str = "web"
) -> ResponsibilityItem:
    """Send a done item back (the one who oversees the list finds the evidence wanting)."""
    check_oversee(acting_user, item.organization, "退回")
    if item.status != ItemStatus.DONE:
        raise ValidationError({"status": "只有已完成的事项可以退回重办。"})
    if not (reason or "").strip():
        raise ValidationError({"reason": "请写明退回原因。"})
    item.status = ItemStatus.IN_PROGRESS
    item.done_on = None
    item.reopened_count = (item.reopened_count or 0) + 1
    with audit.acting(acting_user, via), transaction.atomic():
        item.save()
        audit.record(item, "退回重办", {"reason": reason.strip()})
    return item


def do_end_liaison(
    liaison: Liaison, *, ended_on: datetime.date, acting_user: Any, via: str = "web"
) -> Liaison:
    check_write(acting_user, liaison.branch, "调整")
    liaison.ended_on = ended_on
    liaison.full_clean()
    with audit.acting(acting_user, via), transaction.atomic():
        liaison.save()
    return liaison
