"""Bases, reductions and payments through the actions: the rules, and nothing written on bad input."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dangjian.core.models import AuditLog
from dangjian.dues.actions import MemberDues, do_add_reduction, do_set_base, first_due_month
from dangjian.dues.models import DuesBase, DuesPayment, MonthlyDue, PaymentAllocation
from dangjian.dues.tests.conftest import JAN, pay

D = Decimal
NOV = datetime.date(2026, 11, 1)


def months(payment: DuesPayment) -> list[tuple[str, Decimal]]:
    return [(f"{a.month:%Y-%m}", a.amount) for a in payment.allocations.order_by("month")]


def test_setting_a_base_computes_the_standard_and_is_audited(bureau) -> None:  # type: ignore[no-untyped-def]
    row = do_set_base(bureau.member_1, "3333.33", effective_month="2026-01", acting_user=None, via="test")
    assert (row.standard, row.rate, row.rate_label) == (D("33.33"), D("0.01"), "1%")
    assert AuditLog.objects.filter(object_id=str(row.pk), action="create").exists()


@pytest.mark.parametrize(("raw", "message"), [("-100", "负数"), ("abc", "不是数字")])
def test_a_bad_base_is_refused_and_nothing_is_written(bureau, raw: str, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as info:
        do_set_base(bureau.member_1, raw, effective_month=JAN, acting_user=None)
    assert message in info.value.message_dict["amount"][0]
    assert not DuesBase.objects.exists()


def test_a_base_change_applies_from_the_month_the_new_pay_is_received(bases, bureau) -> None:  # type: ignore[no-untyped-def]
    member = bureau.member_1  # 4500 from January → 45.00
    do_set_base(member, "5200", effective_month="2026-07", acting_user=None)  # 78.00 from July
    calc = MemberDues(member)
    assert calc.line(datetime.date(2026, 6, 1)).due == D("45.00")
    assert calc.line(datetime.date(2026, 7, 1)).due == D("78.00")
    assert calc.line(datetime.date(2026, 12, 1)).due == D("78.00")


def test_a_base_change_refreshes_ledger_lines_already_written(bases, bureau) -> None:  # type: ignore[no-untyped-def]
    member = bureau.member_1
    pay(member, "45.00", "R-1", on=datetime.date(2026, 8, 3), first_month="2026-08")
    assert MonthlyDue.objects.get(member=member, month=datetime.date(2026, 8, 1)).due == D("45.00")
    do_set_base(member, "5200", effective_month="2026-07", acting_user=None)
    line = MonthlyDue.objects.get(member=member, month=datetime.date(2026, 8, 1))
    assert (line.due, line.paid) == (D("78.00"), D("45.00"))


def test_a_probationary_member_pays_from_the_admission_month(bases, bureau) -> None:  # type: ignore[no-untyped-def]
    probationer = bureau.members[2]  # admitted 2026-03-01
    assert first_due_month(probationer) == datetime.date(2026, 3, 1)
    calc = MemberDues(probationer)
    assert calc.line(datetime.date(2026, 2, 1)) is None
    assert calc.line(datetime.date(2026, 3, 1)).due == D("14.00")


def test_a_payment_for_a_month_before_joining_is_refused(bases, bureau) -> None:  # type: ignore[no-untyped-def]
    probationer = bureau.members[2]
    with pytest.raises(ValidationError) as info:
        pay(probationer, "14.00", "R-early", first_month="2026-02")
    assert "2026年3月起交纳" in info.value.message_dict["first_month"][0]
    assert not DuesPayment.objects.exists() and not PaymentAllocation.objects.exists()


def test_a_duplicate_receipt_number_is_refused_and_nothing_is_written(bases, bureau) -> None:  # type: ignore[no-untyped-def]
    pay(bureau.member_1, "45.00", "DF-001", first_month="2026-11")
    with pytest.raises(ValidationError) as info:
        pay(bureau.members[1], "90.00", "DF-001", first_month="2026-11")
    assert "已经登记过" in info.value.message_dict["receipt_number"][0]
    assert DuesPayment.objects.count() == 1
    assert not MonthlyDue.objects.filter(member=bureau.members[1]).exists()


def test_a_back_payment_fills_the_oldest_unpaid_month_first_then_goes_forward(bases, bureau) -> None:  # type: ignore[no-untyped-def]
    member = bureau.member_1  # 45.00 a month
    pay(member, "45.00", "R-jun", on=datetime.date(2026, 6, 5), first_month="2026-06")
    # Jul–Oct unpaid; paying 5 months + 10 yuan in November covers Jul..Nov and starts December.
    payment = pay(member, str(45 * 5 + 10), "R-nov", on=datetime.date(2026, 11, 10), first_month="2026-07")
    assert months(payment) == [
        ("2026-07", D("45.00")),
        ("2026-08", D("45.00")),
        ("2026-09", D("45.00")),
        ("2026-10", D("45.00")),
        ("2026-11", D("45.00")),
        ("2026-12", D("10.00")),
    ]
    assert sum(a for _m, a in months(payment)) == payment.amount


def test_one_year_in_advance(bases, bureau) -> None:  # type: ignore[no-untyped-def]
    member = bureau.members[3]  # 3000 → 15.00
    payment = pay(member, "180.00", "R-year", on=datetime.date(2026, 11, 10), first_month="2026-11")
    assert [m for m, _a in months(payment)][0] == "2026-11"
    assert [m for m, _a in months(payment)][-1] == "2027-10"
    with pytest.raises(ValidationError, match="自愿多交"):
        pay(member, "15.00", "R-too-far", on=datetime.date(2026, 11, 10), first_month="2026-11")


def test_back_payment_beyond_six_months_needs_an_officers_reason(bases, bureau, personas) -> None:  # type: ignore[no-untyped-def]
    member = bureau.member_1
    # Nothing paid since January: paying in November, the oldest allowed back month is May.
    with pytest.raises(ValidationError) as info:
        pay(member, "45.00", "R-old", first_month="2026-02")
    assert "最多补交6个月" in info.value.message_dict["first_month"][0]
    with pytest.raises(ValidationError, match="超过补交期限"):
        pay(member, str(45 * 11), "R-all")  # auto: would need Jan–Apr too
    assert not DuesPayment.objects.exists()

    within = pay(member, str(45 * 7), "R-window")  # auto: fills May..Nov only
    assert months(within)[0][0] == "2026-05" and months(within)[-1][0] == "2026-11"

    officer = personas.secretary_of_branch_1
    late = pay(
        member, str(45 * 4), "R-override", override_reason="长期外派，经支部同意补交", acting_user=officer
    )
    assert [m for m, _a in months(late)] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert late.overridden_by == officer and late.override_reason
    assert AuditLog.objects.filter(verb="越限补交", object_id=str(late.pk)).exists()


def test_a_voluntary_extra_of_1000_or_more_goes_to_the_centre(bases, bureau) -> None:  # type: ignore[no-untyped-def]
    big = pay(bureau.member_1, "1000.00", "R-big", is_extra=True)
    small = pay(bureau.member_1, "999.99", "R-small", is_extra=True)
    assert (big.extra_amount, big.to_centre) == (D("1000.00"), True)
    assert (small.extra_amount, small.to_centre) == (D("999.99"), False)
    assert not PaymentAllocation.objects.exists()  # an extra never pays a month


def test_a_hardship_reduction_lowers_or_waives_the_due_with_its_approval_record(bases, bureau) -> None:  # type: ignore[no-untyped-def]
    member = bureau.members[1]  # 6000 → 90.00
    reduction = do_add_reduction(
        member,
        kind="reduced",
        amount=D("10.00"),
        first_month=datetime.date(2026, 9, 1),
        last_month=datetime.date(2026, 12, 1),
        reason="家属重病",
        approved_by="测试局机关党委",
        approver="王书记",
        approved_on=datetime.date(2026, 8, 28),
        document_number="机党〔2026〕12号",
        acting_user=None,
    )
    calc = MemberDues(member)
    assert calc.line(datetime.date(2026, 8, 1)).due == D("90.00")
    assert calc.line(datetime.date(2026, 9, 1)).due == D("10.00")
    assert AuditLog.objects.filter(verb="批准党费减免", object_id=str(reduction.pk)).exists()
    with pytest.raises(ValidationError, match="已有减免"):
        do_add_reduction(
            member,
            kind="exempt",
            amount=None,
            first_month=datetime.date(2026, 12, 1),
            last_month=datetime.date(2027, 3, 1),
            reason="x",
            approved_by="x",
            approved_on=datetime.date(2026, 11, 1),
            document_number="x",
            acting_user=None,
        )
