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
from dangjian.metrics.figures import member_counts

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
    figures = member_counts(root, Period.parse(str(today().year)))
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
