"""The monthly run: standards for everyone, arrears and the 6-month red flag, rate tables as data."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

from dangjian.core.dates import add_months
from dangjian.dues import rates
from dangjian.dues.models import DuesBase, MonthlyDue
from dangjian.dues.run import run_month
from dangjian.dues.tests.conftest import pay

D = Decimal


def run_year(upto: datetime.date) -> None:
    month = datetime.date(upto.year, 1, 1)
    while month <= upto:
        run_month(month)
        month = add_months(month, 1)


def test_the_run_writes_every_due_members_line(bases, bureau) -> None:  # type: ignore[no-untyped-def]
    summary = run_month(datetime.date(2026, 2, 1))
    # The probationary member (admitted in March) owes nothing in February.
    assert summary.lines == 4
    dues = dict(MonthlyDue.objects.filter(month="2026-02-01").values_list("member__name", "due"))
    assert dues == {"赵一明": D("45.00"), "钱二华": D("90.00"), "李四清": D("15.00"), "周五平": D("240.00")}
    assert summary.total_due == D("390.00")
    again = run_month(datetime.date(2026, 3, 1))
    assert again.lines == 5


def test_the_run_keeps_what_was_paid_and_applies_reductions(bases, bureau) -> None:  # type: ignore[no-untyped-def]
    from dangjian.dues.actions import do_add_reduction

    pay(bureau.member_1, "45.00", "R-1", first_month="2026-11")
    do_add_reduction(
        bureau.members[1],
        kind="exempt",
        amount=None,
        first_month=datetime.date(2026, 11, 1),
        last_month=datetime.date(2026, 11, 1),
        reason="困难",
        approved_by="机关党委",
        approved_on=datetime.date(2026, 10, 30),
        document_number="机党〔2026〕9号",
        acting_user=None,
    )
    run_month(datetime.date(2026, 11, 1))
    run_month(datetime.date(2026, 11, 1))  # idempotent
    lines = {r.member.name: r for r in MonthlyDue.objects.filter(month="2026-11-01").select_related("member")}
    assert (lines["赵一明"].due, lines["赵一明"].paid) == (D("45.00"), D("45.00"))
    assert lines["钱二华"].due == D("0.00") and lines["钱二华"].reduction_id


def test_arrears_and_the_six_month_red_flag(bases, bureau) -> None:  # type: ignore[no-untyped-def]
    m1, m2 = bureau.member_1, bureau.members[1]
    pay(m1, "45.00", "R-m1", on=datetime.date(2026, 5, 6), first_month="2026-05")  # then nothing Jun–Nov
    pay(
        m2,
        str(90 * 11),
        "R-m2",
        on=datetime.date(2026, 11, 1),
        first_month="2026-01",
        override_reason="补交",
        acting_user=None,
    )
    run_year(datetime.date(2026, 11, 1))
    flags = {r["member_id"] for r in MonthlyDue.objects.red_flags(datetime.date(2026, 11, 1))}
    assert m1.pk in flags  # Jun..Nov = 6 months
    assert m2.pk not in flags
    assert m1.pk not in {r["member_id"] for r in MonthlyDue.objects.red_flags(datetime.date(2026, 10, 1))}
    standing = {r["member_id"]: r for r in MonthlyDue.objects.member_standing(datetime.date(2026, 11, 1))}
    assert standing[m1.pk]["arrears"] == D("45.00") * 10  # Jan–Apr and Jun–Nov
    assert standing[m2.pk]["arrears"] is None
    summary = run_month(datetime.date(2026, 11, 1))
    assert summary.red_flags >= 1 and summary.members_in_arrears >= 1


def test_the_roster_base_is_the_runs_base_and_fixed_categories_need_none(bureau) -> None:  # type: ignore[no-untyped-def]
    from dangjian.members.actions import do_update_member

    m, student = bureau.member_1, bureau.members[1]
    do_update_member(m, acting_user=None, dues_base=D("8000"))  # the member form's 交纳基数
    do_update_member(student, acting_user=None, dues_category="student")
    summary = run_month(datetime.date(2026, 11, 1))
    assert summary.bases_created == 1  # the student's fixed amount needs no base from anyone
    assert summary.missing_base == 3  # in service, no base anywhere: the officer must enter one
    assert MonthlyDue.objects.get(member=m, month="2026-11-01").due == D("120.00")
    assert MonthlyDue.objects.get(member=student, month="2026-11-01").due == D("0.20")


def test_a_new_rate_table_is_a_data_change(bases, bureau, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    old = rates.RATE_TABLES[0]
    new = dataclasses.replace(
        old,
        valid_from=datetime.date(2026, 10, 1),
        in_service=(rates.Bracket(None, D("0.01")),),
    )
    monkeypatch.setattr(rates, "RATE_TABLES", (old, new))
    run_month(datetime.date(2026, 9, 1))
    run_month(datetime.date(2026, 10, 1))
    due = dict(MonthlyDue.objects.filter(member=bureau.members[4]).values_list("month", "due"))
    assert due[datetime.date(2026, 9, 1)] == D("240.00")  # 12000 × 2%
    assert due[datetime.date(2026, 10, 1)] == D("120.00")  # 12000 × 1% under the new table
    assert DuesBase.objects.get(member=bureau.members[4]).standard == D("240.00")  # the row is untouched


def test_the_run_reads_only_the_lines_that_matter_and_gets_the_same_answer(bases, bureau) -> None:  # type: ignore[no-untyped-def]
    m1, m2, m4 = bureau.member_1, bureau.members[1], bureau.members[3]
    pay(m1, "45.00", "R-a", on=datetime.date(2026, 2, 6), first_month="2026-02")  # then nothing
    pay(m2, str(90 * 4), "R-b", on=datetime.date(2026, 4, 1), first_month="2026-01")
    pay(m2, "45.00", "R-c", on=datetime.date(2026, 9, 1), first_month="2026-05")  # partial May
    pay(m4, "15.00", "R-d", on=datetime.date(2026, 5, 1), first_month="2026-05")
    run_year(datetime.date(2026, 11, 1))
    for month in (datetime.date(2026, m, 1) for m in range(6, 12)):
        full = MonthlyDue.objects.member_standing(month)
        slim = MonthlyDue.objects.standing_rows(month).member_standing(month)
        flag = MonthlyDue.objects.red_flag_q(month)
        assert {r["member_id"] for r in full.filter(flag)} == {r["member_id"] for r in slim.filter(flag)}
        assert {r["member_id"]: r["arrears"] for r in full if r["arrears"]} == {
            r["member_id"]: r["arrears"] for r in slim if r["arrears"]
        }
