"""The status history has one writer (members.history) and one dating rule, whichever way a member came in."""

from __future__ import annotations

import datetime
import random

import pytest
from django.urls import reverse

from dangjian.core.dates import today
from dangjian.core.period import Period
from dangjian.members.actions import do_change_status, do_create_member, do_transfer_out, do_update_member
from dangjian.members.choices import MemberStatus
from dangjian.members.history import status_change_date
from dangjian.members.models import Member, StatusChange
from dangjian.members.roster_import import import_roster
from dangjian.members.tests.roster_helpers import make_id, row, xlsx
from dangjian.metrics.figures.members import member_counts

pytestmark = pytest.mark.django_db
D = datetime.date


def history(member: Member) -> list[tuple[str, str, datetime.date]]:
    return list(member.status_changes.order_by("date", "id").values_list("from_status", "to_status", "date"))


# --- the rule -----------------------------------------------------------------------------------


def test_the_rule_admission_for_a_new_probationary_member_confirmation_for_full_today_otherwise():
    m = Member(admission_date=D(2020, 7, 1), confirmation_date=D(2021, 7, 1))
    assert status_change_date(m, MemberStatus.PROBATIONARY) == D(2020, 7, 1)
    assert status_change_date(m, MemberStatus.FULL) == D(2021, 7, 1)
    assert status_change_date(m, MemberStatus.FULL, from_status=MemberStatus.PROBATIONARY) == D(2021, 7, 1)
    # A change with a date of its own (a transfer letter, a date on the status form) keeps it.
    assert status_change_date(m, MemberStatus.TRANSFERRED_OUT, from_status="full", on=D(2024, 3, 5)) == D(
        2024, 3, 5
    )
    # No date known: the day it is recorded.
    assert status_change_date(m, MemberStatus.DECEASED, from_status="full") == today()
    assert status_change_date(m, MemberStatus.TRANSFERRED_OUT) == today()
    # Back to full after leaving is not the confirmation: it must not land before the departure.
    assert status_change_date(m, MemberStatus.FULL, from_status=MemberStatus.REMOVED) == today()
    assert status_change_date(m, MemberStatus.PROBATIONARY, from_status=MemberStatus.FULL) == today()


# --- every way in dates the same way -------------------------------------------------------------


def test_a_member_added_by_the_form_is_dated_by_the_rule(bureau, personas, login):
    client = login(personas.secretary_of_branch_1)
    post = {
        "name": "表单新",
        "gender": "female",
        "ethnicity": "汉族",
        "birth_date": "1992-04-05",
        "organization": bureau.branch_1.pk,
        "status": "full",
        "admission_date": "2015-06-01",
        "confirmation_date": "2016-06-01",
        "dues_category": "in_service",
    }
    assert client.post(reverse("members:create"), post).status_code == 302
    member = Member.objects.get(name="表单新")
    assert history(member) == [("", "full", D(2016, 6, 1))]
    assert member.status_since == D(2016, 6, 1)
    post.update(name="表单预备", birth_date="1998-04-05", status="probationary", admission_date="2026-03-02")
    post.pop("confirmation_date")
    assert client.post(reverse("members:create"), post).status_code == 302
    probationary = Member.objects.get(name="表单预备")
    assert history(probationary) == [("", "probationary", D(2026, 3, 2))]


def test_imported_members_are_dated_by_the_rule_new_and_changed(bureau):
    pid, fid, gone = make_id("19950101", "333"), make_id("19900101", "444"), make_id("19800101", "555")
    admitted, confirmed = today() - datetime.timedelta(days=400), today() - datetime.timedelta(days=1)
    probationary = {"身份证号": pid, "出生日期": "1995-01-01", "入党时间": admitted.isoformat()}
    rows = [
        row(**probationary, 党员状态="预备党员", 转正时间=""),
        row(身份证号=fid, 出生日期="1990-01-01", 姓名="正式新", 入党时间="2012-07-01", 转正时间="2013-07-01"),
        row(身份证号=gone, 出生日期="1980-01-01", 姓名="已去世", 党员状态="已去世"),
    ]
    assert import_roster(xlsx(rows), filename="a.xlsx").ok
    assert history(Member.objects.get(id_number=pid)) == [("", "probationary", admitted)]
    assert history(Member.objects.get(id_number=fid)) == [("", "full", D(2013, 7, 1))]
    assert history(Member.objects.get(id_number=gone)) == [("", "deceased", today())]
    assert Member.objects.get(id_number=fid).status_since == D(2013, 7, 1)
    # Confirmed by a later import: dated by the confirmation date, not the day of the import.
    report = import_roster(xlsx([row(**probationary, 转正时间=confirmed.isoformat())]), filename="b.xlsx")
    assert report.ok and report.updated == 1, [str(p) for p in report.errors]
    member = Member.objects.get(id_number=pid)
    assert history(member) == [("", "probationary", admitted), ("probationary", "full", confirmed)]
    assert member.status_since == confirmed


def test_status_changes_and_transfers_keep_their_own_date(bureau, personas):
    m1, m2 = bureau.member_1, bureau.members[1]
    do_change_status(
        m1, MemberStatus.DECEASED, date=D(2026, 2, 3), reason="病故", acting_user=personas.agency_officer
    )
    do_transfer_out(m2, date=D(2026, 4, 5), counterpart="外单位党委", acting_user=personas.agency_officer)
    assert history(m1) == [("full", "deceased", D(2026, 2, 3))]
    assert history(m2) == [("full", "transferred_out", D(2026, 4, 5))]
    m1.refresh_from_db()
    assert m1.status_since == D(2026, 2, 3)
    m3 = do_create_member(
        acting_user=None,
        name="待转正",
        gender="male",
        birth_date=D(1996, 1, 1),
        organization=bureau.branch_1,
        status=MemberStatus.PROBATIONARY,
        admission_date=D(2024, 6, 1),
    )
    do_change_status(m3, MemberStatus.FULL, date=D(2025, 6, 1), reason="按期转正", acting_user=None)
    m3.refresh_from_db()
    assert history(m3) == [("", "probationary", D(2024, 6, 1)), ("probationary", "full", D(2025, 6, 1))]
    assert m3.confirmation_date == m3.status_since == D(2025, 6, 1)


def test_a_status_changed_through_an_edit_is_dated_by_the_rule(bureau):
    member = do_create_member(
        acting_user=None,
        name="编辑中",
        gender="male",
        birth_date=D(1990, 1, 1),
        organization=bureau.branch_1,
        status=MemberStatus.FULL,
        admission_date=D(2015, 6, 1),
        confirmation_date=D(2016, 6, 1),
    )
    do_update_member(member, acting_user=None, status=MemberStatus.REMOVED)
    assert history(member) == [("", "full", D(2016, 6, 1)), ("full", "removed", today())]
    assert StatusChange.objects.filter(member=member).count() == 2


# --- the metrics read the same story the status column tells --------------------------------------


def counts_by_history(root) -> dict[str, set[int]]:  # type: ignore[no-untyped-def]
    figures = member_counts(root, Period.year(today().year))
    return {s.value: set(figures[f"members.status.{s.value}"].evidence_ids) for s in MemberStatus}


def counts_by_column(root) -> dict[str, set[int]]:  # type: ignore[no-untyped-def]
    members = Member.objects.filter(organization__path__startswith=root.path, admission_date__lte=today())
    return {s.value: set(members.filter(status=s).values_list("pk", flat=True)) for s in MemberStatus}


def test_the_demo_bureaus_dated_history_agrees_with_its_status_column_today():
    from dangjian.demo.context import DemoContext
    from dangjian.members import demo

    ctx = DemoContext(today=today(), rng=random.Random(7), password="demo-pass-test", log=lambda _: None)
    demo.build(ctx)
    by_history, by_column = counts_by_history(ctx.leading_group), counts_by_column(ctx.leading_group)
    assert by_history == by_column
    assert len(by_column["full"]) > 50 and by_column["probationary"] and by_column["transferred_out"]
    # Every member's last history row is their current status, dated no later than today.
    for member in Member.objects.all():
        last = member.status_changes.order_by("date", "id").last()
        assert last.to_status == member.status and last.date <= today() and last.date == member.status_since


def test_members_recorded_every_way_agree_with_the_metrics_today(bureau, personas):
    do_change_status(
        bureau.member_1, MemberStatus.DECEASED, date=D(2026, 2, 3), reason="病故", acting_user=None
    )
    do_transfer_out(bureau.members[1], date=D(2026, 4, 5), counterpart="外单位党委", acting_user=None)
    rows = [
        row(),
        row(姓名="已出党", 身份证号=make_id("19800101", "555"), 出生日期="1980-01-01", 党员状态="已出党"),
    ]
    assert import_roster(xlsx(rows), filename="a.xlsx").ok
    assert counts_by_history(bureau.leading_group) == counts_by_column(bureau.leading_group)
