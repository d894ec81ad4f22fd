"""Audited writes for dues: set a base, approve a reduction, record a payment.

The web forms, the Excel imports, the CLI and the demo all call these, so every rule (the
calculator, the admission month, the back-pay limit, unique receipts) is enforced once. Errors
are ``ValidationError`` with a Chinese message per field; nothing is written when one is raised.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.dates import add_months, today
from dangjian.core.period import Period
from dangjian.core.scope import check_write
from dangjian.dues.allocation import (
    ZERO,
    AllocationError,
    Slot,
    allocate,
    iter_months,
    month_label,
    month_start,
)
from dangjian.dues.choices import BaseSource, PaymentMethod
from dangjian.dues.models import (
    DuesBase,
    DuesPayment,
    HardshipReduction,
    MonthlyDue,
    PaymentAllocation,
)
from dangjian.dues.rates import (
    BACK_PAY_MAX_MONTHS,
    BACK_PAY_SOURCE,
    CENTRE_EXTRA_THRESHOLD,
    PROBATION_SOURCE,
    DuesInputError,
    monthly_standard,
    parse_amount,
    table_for,
)
from dangjian.members.models import Member

# How far ahead a payment in advance may reach: the paying month and the 11 after it.
ADVANCE_MAX_MONTHS = 12


def first_due_month(member: Member) -> datetime.date | None:
    """Dues start in the month the general meeting admitted the member (党费规定第八条)."""
    return month_start(member.admission_date) if member.admission_date else None


def ledger_start(member: Member) -> datetime.date | None:
    """The first month this system keeps dues for: the admission month or the first base on record."""
    first = first_due_month(member)
    earliest = member.dues_bases.order_by("effective_month").values_list("effective_month", flat=True).first()
    if first is None or earliest is None:
        return first
    return max(first, earliest)


@dataclass(frozen=True)
class DueLine:
    """What one member owes for one month, before anything is paid."""

    month: datetime.date
    base: DuesBase
    standard: Decimal
    due: Decimal
    reduction: HardshipReduction | None


class MemberDues:
    """A member's bases and reductions loaded once, answering 'what is due in month M' in Python."""

    def __init__(self, member: Member) -> None:
        self.member = member
        self.bases = sorted(member.dues_bases.all(), key=lambda b: b.effective_month)
        self.reductions = list(member.dues_reductions.all())
        self.first = first_due_month(member)

    def base_for(self, month: datetime.date) -> DuesBase | None:
        found = [b for b in self.bases if b.effective_month <= month]
        return found[-1] if found else None

    def line(self, month: datetime.date) -> DueLine | None:
        month = month_start(month)
        if self.first is None or month < self.first:
            return None
        base = self.base_for(month)
        if base is None:
            return None
        standard = base.standard
        table = table_for(month)
        if base.rates_from != table.valid_from:
            # A newer regulation is in force for this month: recompute without touching the row.
            standard = monthly_standard(base.category, base.amount, on=month).amount
        reduction = next((r for r in self.reductions if r.first_month <= month <= r.last_month), None)
        due = reduction.due_after(standard) if reduction else standard
        return DueLine(month, base, standard, due, reduction)

    def monthly_row(self, month: datetime.date, now: datetime.datetime) -> MonthlyDue | None:
        line = self.line(month)
        if line is None:
            return None
        row = MonthlyDue(member=self.member, month=line.month)
        self.fill(row, line, now)
        return row

    def fill(self, row: MonthlyDue, line: DueLine, now: datetime.datetime) -> None:
        row.organization_id = self.member.organization_id
        row.category = line.base.category
        row.base = line.base.amount
        row.rate = line.base.rate
        row.standard = line.standard
        row.due = line.due
        row.reduction = line.reduction
        row.rates_from = table_for(line.month).valid_from
        row.computed_at = now


def refresh_member_months(member: Member, from_month: datetime.date | None = None) -> int:
    """Recompute due for the member's existing ledger lines (after a base or reduction changes)."""
    calc = MemberDues(member)
    now = timezone.now()
    rows = MonthlyDue.objects.filter(member=member)
    if from_month:
        rows = rows.filter(month__gte=month_start(from_month))
    changed = []
    for row in rows:
        line = calc.line(row.month)
        if line is None:
            continue
        calc.fill(row, line, now)
        changed.append(row)
    MonthlyDue.objects.bulk_update(
        changed,
        [
            "organization",
            "category",
            "base",
            "rate",
            "standard",
            "due",
            "reduction",
            "rates_from",
            "computed_at",
        ],
    )
    return len(changed)


def _month_arg(value: datetime.date | str | None, field: str) -> datetime.date | None:
    if value in (None, ""):
        return None
    try:
        return Period.parse_month(value).start
    except ValueError as exc:
        raise ValidationError({field: str(exc)}) from exc


@transaction.atomic
def do_set_base(
    member: Member,
    amount: Any,
    *,
    effective_month: datetime.date | str,
    category: str | None = None,
    source: str = BaseSource.MANUAL,
    note: str = "",
    acting_user: Any,
    via: str = "web",
) -> DuesBase:
    """Record a member's base (or a farmer's chosen amount) from a month on; refresh the ledger."""
    check_write(acting_user, member.organization, "登记")
    try:
        value = parse_amount(amount)
    except DuesInputError as exc:
        raise ValidationError({"amount": str(exc)}) from exc
    month = _month_arg(effective_month, "effective_month")
    if month is None:
        raise ValidationError({"effective_month": "请填写新基数的起始月份。"})
    with audit.acting(acting_user, via):
        row = DuesBase.objects.filter(member=member, effective_month=month).first() or DuesBase(
            member=member, effective_month=month
        )
        row.category = category or member.dues_category
        row.amount = value
        row.source = source
        row.note = note
        row.full_clean(exclude=["member"], validate_unique=False)
        row.save()
        refresh_member_months(member, month)
    return row


ROSTER_BASE_VERB = "按花名册设定交纳基数"


def roster_base_month(member: Member, *, has_base: bool, on: datetime.date) -> datetime.date:
    """The month a base arriving with the roster (import, member form) takes effect.

    A member with no base on record yet: the month dues start, the admission month (党费规定第八条),
    so the ledger has no gap — as the monthly run did when it took the base from the roster. A
    member with a base already: the month of ``on`` (the import or the edit), since a new base
    applies from the month the new pay is received (党费规定第十条) and the roster says so now.
    """
    if not has_base and member.admission_date:
        return month_start(min(member.admission_date, on))
    return month_start(on)


@transaction.atomic
def do_set_roster_bases(
    items: Sequence[tuple[Member, Decimal]], *, acting_user: Any, via: str = "import"
) -> list[DuesBase]:
    """Record bases that came with the roster, in bulk: the dues module's one home for a member's base.

    ``items`` are saved members with the amount the roster gives (already parsed and checked
    against the member's category). Each becomes a ``DuesBase`` with the member's current dues
    category, from ``roster_base_month``; a row already there for that month is updated. Ledger
    lines computed for those months are refreshed. Refuses (403) members outside the user's reach.
    """
    if not items:
        return []
    for org in {m.organization_id: m.organization for m, _a in items}.values():
        check_write(acting_user, org)
    on = today()
    ids = [m.pk for m, _a in items]
    with_base: set[int] = set()
    existing: dict[tuple[int, datetime.date], DuesBase] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        with_base.update(DuesBase.objects.filter(member_id__in=chunk).values_list("member_id", flat=True))
    months = {m.pk: roster_base_month(m, has_base=m.pk in with_base, on=on) for m, _a in items}
    for start in range(0, len(ids), 500):
        chunk = [i for i in ids[start : start + 500] if i in with_base]
        for row in DuesBase.objects.filter(member_id__in=chunk, effective_month__in=set(months.values())):
            existing[(row.member_id, row.effective_month)] = row
    created, updated = [], []
    now = timezone.now()
    for member, amount in items:
        row = existing.get((member.pk, months[member.pk]))
        if row is None:
            row = DuesBase(member=member, effective_month=months[member.pk])
            created.append(row)
        else:
            row.updated_at = now
            updated.append(row)
        row.category = member.dues_category
        row.amount = amount
        row.source = BaseSource.ROSTER
        row.compute()
    with audit.acting(acting_user, via):
        DuesBase.objects.bulk_create(created, batch_size=1000)
        audit.record_bulk_create(created, ROSTER_BASE_VERB)
        DuesBase.objects.bulk_update(
            updated, ["category", "amount", "standard", "rate", "rates_from", "source", "updated_at"]
        )
        audit.record_bulk_update(updated, ROSTER_BASE_VERB)
        # Ledger lines already computed from the old base (a member with a history of dues).
        first = min(months.values())
        with_lines: set[int] = set()
        for start in range(0, len(ids), 500):
            chunk = [i for i in ids[start : start + 500] if i in with_base]
            with_lines.update(
                MonthlyDue.objects.filter(member_id__in=chunk, month__gte=first).values_list(
                    "member_id", flat=True
                )
            )
        for member, _amount in items:
            if member.pk in with_lines:
                refresh_member_months(member, months[member.pk])
    return created + updated


@transaction.atomic
def do_add_reduction(
    member: Member, *, acting_user: Any, via: str = "web", **fields: Any
) -> HardshipReduction:
    """Record an approved hardship reduction or exemption (党费规定第七条); refresh those months."""
    check_write(acting_user, member.organization, "登记")
    with audit.acting(acting_user, via):
        reduction = HardshipReduction(member=member, **fields)
        for name in ("first_month", "last_month"):
            value = getattr(reduction, name)
            if value:
                setattr(reduction, name, month_start(value))
        reduction.full_clean()
        reduction.save()
        audit.record(
            reduction,
            "批准党费减免",
            {
                "文号": reduction.document_number,
                "月份": reduction.months_label,
                "方式": reduction.get_kind_display(),
            },
        )
        refresh_member_months(member, reduction.first_month)
    return reduction


def _ledger(member: Member, months: list[datetime.date], calc: MemberDues) -> dict[datetime.date, Slot]:
    rows = {r.month: r for r in MonthlyDue.objects.filter(member=member, month__in=months)}
    slots: dict[datetime.date, Slot] = {}
    for month in months:
        if month in rows:
            slots[month] = Slot(month, rows[month].due, rows[month].paid)
            continue
        line = calc.line(month)
        if line is not None:
            slots[month] = Slot(month, line.due, ZERO)
    return slots


def plan_payment(
    member: Member,
    amount: Decimal,
    *,
    paid_on: datetime.date,
    first_month: datetime.date | None = None,
    is_extra: bool = False,
    override_reason: str = "",
) -> tuple[list[tuple[datetime.date, Decimal]], Decimal]:
    """Work out which months a payment covers (oldest unpaid first, then ahead); raise if it can't."""
    if is_extra:
        # A voluntary extra is on top of the dues: it never pays a month (党费规定第十一条).
        return [], amount
    first = first_due_month(member)
    if first is None:
        raise ValidationError({"member": f"{member.name}没有入党时间，无法计算党费。"})
    paid_month = month_start(paid_on)
    window = add_months(paid_month, -BACK_PAY_MAX_MONTHS)
    override = bool(override_reason.strip())
    if first_month is not None:
        if first_month < first:
            raise ValidationError(
                {
                    "first_month": f"{member.name}于{member.admission_date:%Y年%-m月%-d日}入党，党费从"
                    f"{month_label(first)}起交纳（{PROBATION_SOURCE}），不能交纳{month_label(first_month)}的党费。"
                }
            )
        start = first_month
    else:
        start = ledger_start(member) or first
    last = add_months(paid_month, ADVANCE_MAX_MONTHS - 1)
    if start > last:
        raise ValidationError({"first_month": f"最多只能提前交纳到{month_label(last)}。"})
    calc = MemberDues(member)
    months = list(iter_months(start, last))
    ledger = _ledger(member, months, calc)
    if first_month is not None and first_month not in ledger:
        raise ValidationError(
            {"first_month": f"{member.name}在{month_label(first_month)}没有交纳基数，请先录入基数。"}
        )
    old = [s.month for s in ledger.values() if s.month < window and s.open > 0]
    if old and not override:
        if first_month is not None:
            raise ValidationError(
                {
                    "first_month": f"补交党费最多补交{BACK_PAY_MAX_MONTHS}个月（{BACK_PAY_SOURCE}），"
                    f"{month_label(first_month)}早于可补交的最早月份{month_label(window)}；"
                    "确需补交的，请填写越限补交原因。"
                }
            )
        offered = [s for s in ledger.values() if window <= s.month <= paid_month]
    else:
        offered = list(ledger.values())
    try:
        result = allocate(amount, offered, allow_extra=False)
    except AllocationError as exc:
        if old and not override:
            raise ValidationError(
                {
                    "amount": f"{member.name}自{month_label(old[0])}起的欠交已超过补交期限"
                    f"（最多补交{BACK_PAY_MAX_MONTHS}个月，{BACK_PAY_SOURCE}），本次只能计入"
                    f"{month_label(window)}至{month_label(paid_month)}的党费；确需补交更早月份的，"
                    "请填写越限补交原因。"
                }
            ) from exc
        raise ValidationError({"amount": str(exc)}) from exc
    return result.parts, result.extra


@transaction.atomic
def do_record_payment(
    member: Member,
    amount: Any,
    *,
    paid_on: datetime.date,
    method: str,
    receipt_number: str,
    first_month: datetime.date | str | None = None,
    is_extra: bool = False,
    override_reason: str = "",
    note: str = "",
    acting_user: Any,
    via: str = "web",
) -> DuesPayment:
    """Record one payment and spread it over months; refuse a bad one with nothing written."""
    check_write(acting_user, member.organization, "登记")
    try:
        value = parse_amount(amount, "交纳金额")
    except DuesInputError as exc:
        raise ValidationError({"amount": str(exc)}) from exc
    if value <= 0:
        raise ValidationError({"amount": "交纳金额必须大于0。"})
    receipt_number = (receipt_number or "").strip()
    if not receipt_number:
        raise ValidationError({"receipt_number": "请填写收据号。"})
    if DuesPayment.objects.filter(receipt_number=receipt_number).exists():
        raise ValidationError({"receipt_number": f"收据号“{receipt_number}”已经登记过，不能重复使用。"})
    if method not in PaymentMethod.values:
        raise ValidationError({"method": f"交纳方式“{method}”不在可选范围内（现金、转账、微信等）。"})
    if paid_on is None:
        raise ValidationError({"paid_on": "请填写交纳日期。"})
    month = _month_arg(first_month, "first_month")
    parts, extra = plan_payment(
        member, value, paid_on=paid_on, first_month=month, is_extra=is_extra, override_reason=override_reason
    )
    back_limit = add_months(month_start(paid_on), -BACK_PAY_MAX_MONTHS)
    overridden = bool(override_reason.strip()) and any(m < back_limit for m, _a in parts)
    with audit.acting(acting_user, via):
        payment = DuesPayment(
            member=member,
            paid_on=paid_on,
            amount=value,
            method=method,
            receipt_number=receipt_number,
            is_extra=is_extra,
            extra_amount=extra,
            to_centre=extra >= CENTRE_EXTRA_THRESHOLD,
            override_reason=override_reason.strip() if overridden else "",
            overridden_by=acting_user
            if overridden and getattr(acting_user, "is_authenticated", False)
            else None,
            note=note,
        )
        payment.full_clean()
        payment.save()
        _apply_allocations(payment, parts)
        if overridden:
            audit.record(
                payment,
                "越限补交",
                {"原因": payment.override_reason, "最早月份": month_label(min(m for m, _a in parts))},
            )
    return payment


def _apply_allocations(payment: DuesPayment, parts: list[tuple[datetime.date, Decimal]]) -> None:
    if not parts:
        return
    member = payment.member
    PaymentAllocation.objects.bulk_create(
        [PaymentAllocation(payment=payment, member=member, month=m, amount=a) for m, a in parts]
    )
    months = [m for m, _a in parts]
    rows = {
        r.month: r for r in MonthlyDue.objects.select_for_update().filter(member=member, month__in=months)
    }
    calc = MemberDues(member)
    now = timezone.now()
    new_rows = []
    for month, part in parts:
        row = rows.get(month)
        if row is None:
            row = calc.monthly_row(month, now)
            assert row is not None, "plan_payment only offers months with a due line"
            row.paid = part
            new_rows.append(row)
        else:
            row.paid += part
    MonthlyDue.objects.bulk_create(new_rows)
    MonthlyDue.objects.bulk_update([r for r in rows.values()], ["paid"])
