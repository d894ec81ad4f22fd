"""Demo dues: bases for everyone, two years of payments, some arrears, one 6-month lapse."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from dangjian.core.dates import add_months
from dangjian.dues.actions import MemberDues, do_add_reduction, do_record_payment, do_set_base
from dangjian.dues.allocation import iter_months, month_start
from dangjian.dues.choices import BaseSource, PaymentMethod, ReductionKind
from dangjian.dues.models import MonthlyDue
from dangjian.dues.rates import LAPSE_MONTHS
from dangjian.dues.roster_field import bases_in_force
from dangjian.dues.run import run_month
from dangjian.members.models import Member


def build(ctx: Any) -> None:
    rng = ctx.rng
    this_month = month_start(ctx.today)
    start = datetime.date(ctx.today.year - 1, 1, 1)
    members = list(
        Member.objects.active().select_related("organization").order_by("organization__path", "id")
    )
    if not members:
        return
    dy1 = getattr(ctx.users.get("dy1"), "member", None)
    protected = {m.pk for m in ctx.extra.get("secretaries", [])} | ({dy1.pk} if dy1 else set())
    candidates = [m for m in members if m.pk not in protected and m.status == "full"]
    lapsed = candidates[len(candidates) // 2] if candidates else None
    in_arrears = set(
        rng.sample([m.pk for m in candidates if m != lapsed], k=min(4, max(0, len(candidates) - 1)))
    )
    hardship = next((m for m in candidates if m != lapsed and m.pk not in in_arrears), None)
    donor = next((m for m in reversed(candidates) if m not in (lapsed, hardship)), None)

    receipt = 0

    def next_receipt(day: datetime.date) -> str:
        nonlocal receipt
        receipt += 1
        return f"DF{day:%Y%m}{receipt:05d}"

    payments = 0
    # The roster builder entered each member's base with the member (it is kept as a DuesBase from
    # the admission month): roster and dues read the same rows, so they agree by construction.
    held = bases_in_force([m.pk for m in members])
    for member in members:
        first = max(start, month_start(member.admission_date))
        if member.pk in held:
            base = held[member.pk].amount
        else:
            base = Decimal("0.00")
            do_set_base(
                member,
                base,
                effective_month=first,
                category=member.dues_category,
                source=BaseSource.ROSTER,
                acting_user=None,
                via="demo",
            )
        if first.year < ctx.today.year and member.dues_category == "in_service" and base:
            # The January import of the new year's bases: most received a small raise.
            raised = (base * Decimal(str(1 + rng.choice([0, 0.02, 0.03, 0.05])))).quantize(Decimal("1"))
            do_set_base(
                member,
                raised,
                effective_month=datetime.date(ctx.today.year, 1, 1),
                source=BaseSource.IMPORT,
                acting_user=None,
                via="demo",
            )
        if member == hardship:
            do_add_reduction(
                member,
                kind=ReductionKind.REDUCED,
                amount=Decimal("5.00"),
                first_month=add_months(this_month, -5),
                last_month=add_months(this_month, 6),
                reason="配偶重病住院，家庭经济困难",
                approved_by=ctx.organ_committee.name if ctx.organ_committee else "机关党委",
                approver="机关党委书记",
                approved_on=add_months(this_month, -5) - datetime.timedelta(days=3),
                document_number=f"机党〔{add_months(this_month, -5).year}〕7号",
                acting_user=None,
                via="demo",
            )
        # Everyone pays by the quarter, in advance, at the start of the quarter's first month.
        stop = this_month
        if member == lapsed:
            stop = add_months(this_month, -(LAPSE_MONTHS + 2))
        elif member.pk in in_arrears:
            stop = add_months(this_month, -rng.randint(1, 3))
        for month in iter_months(first, stop):
            if month != first and month.month not in (1, 4, 7, 10):
                continue
            quarter_end = min(
                add_months(datetime.date(month.year, (month.month - 1) // 3 * 3 + 1, 1), 2), stop
            )
            months = list(iter_months(month, quarter_end))
            calc = MemberDues(member)
            amount = sum((line.due for m in months if (line := calc.line(m)) is not None), Decimal("0.00"))
            if amount <= 0:
                continue
            day = min(month.replace(day=rng.randint(3, 12)), ctx.today)
            do_record_payment(
                member,
                amount,
                paid_on=day,
                method=rng.choice(
                    [PaymentMethod.WECHAT, PaymentMethod.TRANSFER, PaymentMethod.CASH, PaymentMethod.PAYROLL]
                ),
                receipt_number=next_receipt(day),
                first_month=month,
                acting_user=None,
                via="demo",
            )
            payments += 1
    if donor is not None:
        day = add_months(this_month, -2).replace(day=18)
        do_record_payment(
            donor,
            Decimal("2000.00"),
            paid_on=day,
            method=PaymentMethod.TRANSFER,
            receipt_number=next_receipt(day),
            is_extra=True,
            note="自愿多交党费",
            acting_user=None,
            via="demo",
        )
    for month in iter_months(start, this_month):
        run_month(month)
    flags = MonthlyDue.objects.red_flags(this_month).count()
    ctx.extra["dues_lapsed_member"] = lapsed
    ctx.log(
        f"党费：{len(members)}人的交纳基数，{payments}笔交纳，{len(in_arrears)}人近期欠交，"
        f"{flags}人连续{LAPSE_MONTHS}个月以上未交，1项困难减免，1笔自愿多交。"
    )
