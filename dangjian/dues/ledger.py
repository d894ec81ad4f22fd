"""Read-side questions the pages and sheets ask: who owes what, month by month, member by member.

Each answer is a handful of queries whatever the number of members (bases and reductions are
prefetched; arrears and streaks come from one GROUP BY in ``MonthlyDueQuerySet.member_standing``).
Totals by organization and month are metrics' dues figures (``dangjian.metrics.figures.dues``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet, Sum

from dangjian.core.dates import add_months
from dangjian.dues.actions import MemberDues
from dangjian.dues.allocation import ZERO, fen, month_start, months_between
from dangjian.dues.choices import DuesCategory
from dangjian.dues.models import DuesBase, MonthlyDue, PaymentAllocation
from dangjian.dues.rates import LAPSE_MONTHS
from dangjian.members.models import Member

CATEGORY_LABELS = dict(DuesCategory.choices)


@dataclass
class MemberMonth:
    """One row of the branch officer's monthly page."""

    member: Member
    category: str
    base: Decimal | None
    rate_label: str
    standard: Decimal | None
    due: Decimal | None
    paid: Decimal
    arrears: Decimal
    unpaid_months: int
    streak: int
    reduced: bool
    no_base: bool

    @property
    def red_flag(self) -> bool:
        return self.streak >= LAPSE_MONTHS

    @property
    def state(self) -> str:
        if self.due is None:
            return "none"
        if self.due == 0:
            return "exempt"
        if self.paid >= self.due:
            return "paid"
        return "partial" if self.paid > 0 else "unpaid"


def streak_of(month: datetime.date, last_ok: datetime.date | None, first: datetime.date | None) -> int:
    """Consecutive months with nothing paid, ending at ``month``."""
    if last_ok is not None:
        return max(0, months_between(last_ok, month))
    if first is not None:
        return max(0, months_between(first, month) + 1)
    return 0


def standing_by_member(member_ids: list[int], month: datetime.date) -> dict[int, dict[str, Any]]:
    rows = MonthlyDue.objects.filter(member_id__in=member_ids).member_standing(month)
    return {r["member_id"]: {**r, "arrears": fen(r["arrears"])} for r in rows}


def members_with_dues(members: QuerySet[Member]) -> QuerySet[Member]:
    return members.select_related("organization").prefetch_related(
        Prefetch("dues_bases", queryset=DuesBase.objects.order_by("effective_month")), "dues_reductions"
    )


def month_rows(members: QuerySet[Member], month: datetime.date) -> list[MemberMonth]:
    """Everyone in ``members`` who owes dues in ``month``: standard, paid, arrears, streak."""
    month = month_start(month)
    people = list(members_with_dues(members.filter(admission_date__lt=add_months(month, 1))))
    ids = [m.pk for m in people]
    lines = {r.member_id: r for r in MonthlyDue.objects.filter(member_id__in=ids, month=month)}
    standing = standing_by_member(ids, month)
    rows = []
    for member in people:
        line = lines.get(member.pk)
        info = standing.get(member.pk, {})
        if line is not None:
            category, base, rate, standard, due, paid = (
                line.category,
                line.base,
                line.rate_label,
                line.standard,
                line.due,
                line.paid,
            )
            reduced = line.reduction_id is not None
        else:
            calc = MemberDues(member).line(month)
            paid = ZERO
            if calc is None:
                category, base, rate, standard, due, reduced = (
                    member.dues_category,
                    None,
                    "—",
                    None,
                    None,
                    False,
                )
            else:
                category, base, rate = calc.base.category, calc.base.amount, calc.base.rate_label
                standard, due, reduced = calc.standard, calc.due, calc.reduction is not None
        arrears = info.get("arrears") or ZERO
        unpaid = info.get("unpaid_months") or 0
        if line is None and due:
            arrears += due  # this month is owed even before the monthly run writes its line
            unpaid += 1
        streak = streak_of(month, info.get("last_ok"), info.get("first"))
        if line is None and due and not info:
            streak = 1  # first month on the ledger, not yet paid
        rows.append(
            MemberMonth(
                member=member,
                category=CATEGORY_LABELS.get(category, category),
                base=base,
                rate_label=rate,
                standard=standard,
                due=due,
                paid=paid,
                arrears=arrears,
                unpaid_months=unpaid,
                streak=streak,
                reduced=reduced,
                no_base=standard is None,
            )
        )
    return rows


def _rate(paid: Decimal, due: Decimal) -> Decimal | None:
    if not due:
        return None
    return (min(paid, due) / due * 100).quantize(Decimal("0.1"))


def standard_lines(members: QuerySet[Member], year: int) -> list[dict[str, Any]]:
    """The year's standard per member (from the base in force in January, or since admission)."""
    lines = []
    for member in members_with_dues(members):
        calc = MemberDues(member)
        month = max(datetime.date(year, 1, 1), calc.first or datetime.date(year, 1, 1))
        line = calc.line(month) if month.year == year else None
        if line is None:
            lines.append(
                {
                    "name": member.name,
                    "category": CATEGORY_LABELS.get(member.dues_category, ""),
                    "base": None,
                    "rate": "",
                    "standard": None,
                    "note": "未录入交纳基数",
                }
            )
            continue
        note = f"{month.month}月起交纳" if month.month != 1 else ""
        lines.append(
            {
                "name": member.name,
                "category": CATEGORY_LABELS.get(line.base.category, ""),
                "base": line.base.amount,
                "rate": line.base.rate_label,
                "standard": line.standard,
                "note": note,
            }
        )
    return lines


def collection_lines(members: QuerySet[Member], month: datetime.date) -> list[dict[str, Any]]:
    """Per member for the year up to ``month``: standard, months fully paid, total paid."""
    month = month_start(month)
    first = month.replace(month=1)
    ids = list(members.values_list("pk", flat=True))
    full = {}
    for row in MonthlyDue.objects.filter(member_id__in=ids, month__gte=first, month__lte=month).values(
        "member_id", "due", "paid"
    ):
        if row["paid"] >= row["due"]:
            full[row["member_id"]] = full.get(row["member_id"], 0) + 1
    totals = dict(
        PaymentAllocation.objects.filter(member_id__in=ids, month__gte=first, month__lte=month)
        .values("member_id")
        .annotate(s=Sum("amount"))
        .values_list("member_id", "s")
    )
    totals = {k: fen(v) for k, v in totals.items()}
    lines = []
    for row in month_rows(members, month):
        lines.append(
            {
                "name": row.member.name,
                "category": row.category,
                "base": row.base,
                "rate": row.rate_label,
                "standard": row.standard,
                "months_paid": full.get(row.member.pk, 0),
                "total": totals.get(row.member.pk) or ZERO,
            }
        )
    return lines
