"""The dues base has one home: 交纳基数 from the roster (import, form) becomes the DuesBase the
monthly standard uses, and the roster shows the base in force from the same rows."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

import pytest
from django.urls import reverse

from dangjian.core.dates import today
from dangjian.core.models import AuditLog
from dangjian.dues.actions import MemberDues, do_set_base
from dangjian.dues.allocation import month_start
from dangjian.dues.models import DuesBase, MonthlyDue
from dangjian.dues.rates import monthly_standard
from dangjian.dues.run import run_month
from dangjian.members.models import Member
from dangjian.members.roster_export import export_roster
from dangjian.members.roster_import import import_roster
from dangjian.members.tests.roster_helpers import HEADER, make_id, read_xlsx, row, xlsx

pytestmark = pytest.mark.django_db
D = Decimal
WU = make_id("19880506")  # the ID number of roster_helpers.row()


def run(data: bytes, **kw):  # type: ignore[no-untyped-def]
    return import_roster(data, filename="花名册.xlsx", **kw)


def exported_bases(user=None) -> dict[str, object]:  # type: ignore[no-untyped-def]
    rows = read_xlsx(export_roster(Member.objects.all(), user=user))
    return {r[0]: r[HEADER.index("交纳基数")] for r in rows[1:]}


def test_an_imported_base_is_the_base_of_the_monthly_standard(bureau, personas):
    report = run(xlsx([row(交纳基数="6543.21")]), user=personas.secretary_of_branch_1)
    assert report.ok, [str(p) for p in report.errors]
    wu = Member.objects.get(id_number=WU)
    (base,) = DuesBase.objects.filter(member=wu)
    # No base on record before: from the admission month, when dues start (党费规定第八条).
    assert (base.amount, base.category, base.effective_month) == (
        D("6543.21"),
        "in_service",
        datetime.date(2012, 7, 1),
    )
    assert base.source == "roster" and base.standard == D("98.15")  # 6543.21 × 1.5%
    line = MemberDues(wu).line(today())
    assert line.base == base and line.standard == D("98.15")
    run_month(month_start(today()))
    assert MonthlyDue.objects.get(member=wu, month=month_start(today())).standard == D("98.15")
    log = AuditLog.objects.get(content_type__model="duesbase", object_id=str(base.pk))
    assert log.actor == personas.secretary_of_branch_1


def test_the_export_shows_the_base_in_force_from_dues(bureau, personas):
    run(xlsx([row(交纳基数="5000")]))
    wu = Member.objects.get(id_number=WU)
    assert exported_bases()["吴六安"] == 5000
    do_set_base(
        wu, "5200", effective_month=month_start(today()), acting_user=None
    )  # a raise, entered in dues
    do_set_base(
        wu, "9999", effective_month=month_start(today()).replace(year=today().year + 1), acting_user=None
    )
    assert exported_bases()["吴六安"] == 5200  # the base in force this month, not next year's
    assert exported_bases()["赵一明"] is None  # no base on record: the cell stays empty


def test_re_importing_the_export_writes_no_base_and_a_new_amount_applies_from_this_month(bureau, personas):
    run(xlsx([row(交纳基数="5000")]))
    data = export_roster(Member.objects.filter(id_number=WU))  # the bureau's others have no ID numbers
    bases, logs = DuesBase.objects.count(), AuditLog.objects.count()
    again = run(data)
    assert again.ok and again.updated == 0 and again.unchanged == 1, [str(p) for p in again.errors]
    assert (DuesBase.objects.count(), AuditLog.objects.count()) == (bases, logs)

    changed = run(xlsx([row(交纳基数="5600")]))
    assert changed.ok and changed.updated == 1, [str(p) for p in changed.errors]
    rows = dict(DuesBase.objects.filter(member__id_number=WU).values_list("effective_month", "amount"))
    # A new base applies from the month the roster says so (党费规定第十条); the past keeps the old one.
    assert rows == {datetime.date(2012, 7, 1): D("5000.00"), month_start(today()): D("5600.00")}
    assert exported_bases()["吴六安"] == D("5600")


def test_a_changed_category_with_the_same_amount_is_a_new_base(bureau):
    run(xlsx([row(交纳基数="5000")]))
    report = run(xlsx([row(交纳基数="5000", 党费类别="离退休")]))
    assert report.ok and report.updated == 1
    current = DuesBase.objects.get(member__id_number=WU, effective_month=month_start(today()))
    assert (current.category, current.standard) == ("retired", D("25.00"))  # 5000 × 0.5%


def test_a_base_the_dues_rules_refuse_is_named_by_row_and_column_and_nothing_is_written(bureau):
    rows = [
        row(),
        row(
            姓名="郑八",
            身份证号=make_id("19900101", "222"),
            出生日期="1990-01-01",
            党费类别="农民",
            交纳基数="5",
        ),
        row(姓名="王九", 身份证号=make_id("19900101", "333"), 出生日期="1990-01-01", 交纳基数="-1"),
    ]
    report = run(xlsx(rows))
    assert [str(p) for p in report.errors] == [
        "第3行 Q列（交纳基数）：农民党员每月交纳0.2元至1元，由本人选定（党费规定第六条）；填写的是 5 元。",
        "第4行 Q列（交纳基数）：交纳基数不能为负数（填写的是 -1）。",
    ]
    assert not Member.objects.filter(id_number=WU).exists() and not DuesBase.objects.exists()


def test_a_dry_run_writes_no_base_and_an_empty_cell_changes_none(bureau):
    assert run(xlsx([row()]), dry_run=True).created == 1
    assert not DuesBase.objects.exists()
    run(xlsx([row()]))
    report = run(xlsx([row(交纳基数="")]))
    assert report.ok and report.unchanged == 1
    assert DuesBase.objects.get(member__id_number=WU).amount == D("5000.00")


def test_the_member_form_writes_and_shows_the_base_through_dues(bureau, personas, login):
    client = login(personas.secretary_of_branch_1)
    member = bureau.member_1
    page = client.get(reverse("members:edit", args=[member.pk])).content.decode()
    assert "党费交纳基数" in page
    form = client.get(reverse("members:edit", args=[member.pk])).context["form"]
    post = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    post.update(organization=member.organization_id, cell=member.cell_id, dues_base="4800")
    post = {k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in post.items()}
    response = client.post(reverse("members:edit", args=[member.pk]), post)
    assert response.status_code == 302, response.context["form"].errors
    assert DuesBase.objects.get(member=member).amount == D("4800.00")
    detail = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert "4800.00" in detail
    assert client.get(reverse("members:edit", args=[member.pk])).context["form"].initial["dues_base"] == D(
        "4800"
    )


def test_the_demo_roster_and_dues_agree_on_every_members_base():
    from dangjian.demo.context import DemoContext
    from dangjian.dues import demo as dues_demo
    from dangjian.members import demo as members_demo

    ctx = DemoContext(today=today(), rng=random.Random(11), password="demo-pass-test", log=lambda _: None)
    members_demo.build(ctx)
    dues_demo.build(ctx)
    this_month = month_start(today())
    on_roster = {
        r[HEADER.index("身份证号")]: r[HEADER.index("交纳基数")]
        for r in read_xlsx(export_roster(Member.objects.all()))[1:]
    }
    lines = {d.member_id: d for d in MonthlyDue.objects.filter(month=this_month)}
    raised = 0
    for member in Member.objects.all():
        shown = on_roster[member.id_number]
        in_force = MemberDues(member).base_for(this_month)
        assert shown is not None and D(str(shown)) == in_force.amount, member
        if member.is_active:
            line = lines[member.pk]  # what the monthly run charged
            assert line.base == in_force.amount
            assert line.standard == monthly_standard(member.dues_category, D(str(shown))).amount
        raised += in_force.effective_month == this_month.replace(month=1)
    assert raised > 10  # the January raise reached the roster too
