"""The dated status history (StatusChange): every row is made here, under one dating rule.

Metrics read a member's status on any day from this history (``metrics.figures.member_status_at``,
``members_active_on``), so every writer — the member form, a status change, a transfer, the
roster import — must date its rows the same way, or counts on a past day would depend on how
a member was recorded.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from dangjian.core import audit
from dangjian.core.dates import today
from dangjian.members.choices import MemberStatus
from dangjian.members.models import Member, StatusChange


def status_change_date(
    member: Member, to_status: str, *, from_status: str = "", on: datetime.date | None = None
) -> datetime.date:
    """The date a change of ``member`` from ``from_status`` to ``to_status`` carries — the one rule.

    1. A change with a date of its own keeps it (``on``): the day a death or removal happened as
       entered on the status form, the transfer letter's date for a transfer out.
    2. A new member entering as probationary: the admission date — probation runs from the
       general meeting's vote (党章第七条).
    3. Becoming full (a new full member, or a probationary member confirmed): the confirmation
       date, from which party standing counts (党章第七条). Only for a confirmation: a member
       coming back to full from another status gets rule 1 or 4, so the row never lands before
       the change it undoes.
    4. Otherwise today: the day the change was recorded is the best the ledger knows (an
       imported roster that says 已去世 without a date).
    """
    if on is not None:
        return on
    if to_status == MemberStatus.PROBATIONARY and not from_status and member.admission_date:
        return member.admission_date
    if (
        to_status == MemberStatus.FULL
        and from_status in ("", MemberStatus.PROBATIONARY)
        and member.confirmation_date
    ):
        return member.confirmation_date
    return today()


def status_change(
    member: Member,
    to_status: str,
    *,
    from_status: str,
    reason: str,
    on: datetime.date | None = None,
) -> StatusChange:
    """Put ``member`` in ``to_status`` (status and status_since) and return the unsaved history row.

    ``from_status`` is "" for a member entering the roster. The caller saves the member; the row
    is saved by ``record_status_change`` (one) or ``record_status_changes`` (an import's many),
    after the member has its primary key.
    """
    date = status_change_date(member, to_status, from_status=from_status, on=on)
    member.status = to_status
    member.status_since = date
    return StatusChange(member=member, from_status=from_status, to_status=to_status, date=date, reason=reason)


def record_status_change(
    member: Member,
    to_status: str,
    *,
    from_status: str,
    reason: str,
    on: datetime.date | None = None,
    validate: bool = True,
) -> StatusChange:
    """Change ``member``'s status: ``status_change``, then save the member (after ``full_clean()``
    unless ``validate`` is False) and its dated history row. Callers hold the transaction and audit context."""
    change = status_change(member, to_status, from_status=from_status, reason=reason, on=on)
    if validate:
        member.full_clean()
    member.save()
    change.save()
    return change


def record_status_changes(changes: Sequence[StatusChange], verb: str) -> None:
    """Save rows made by ``status_change`` in bulk (after their members are saved), with audit rows."""
    StatusChange.objects.bulk_create(changes, batch_size=1000)
    audit.record_bulk_create(changes, verb)
