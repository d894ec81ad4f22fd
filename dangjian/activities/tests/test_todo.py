"""The activities' to-do items (core/agenda.py) and the notifications a plan's steps send."""

from __future__ import annotations

import pytest

from dangjian.activities import actions
from dangjian.activities.tests.conftest import all_present, at, recent_day
from dangjian.core.agenda import due_items
from dangjian.core.dates import today
from dangjian.core.models import Notification

pytestmark = pytest.mark.django_db


def kinds(user) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(i.kind, i.title) for i in due_items(user, today()) if i.kind != "compliance"]


def submit(personas, bureau, types, topic: str = "学习会议精神", days: int = 3):  # type: ignore[no-untyped-def]
    return actions.do_plan(
        acting_user=personas.secretary_of_branch_1,
        organization=bureau.branch_1,
        activity_type=types.theme_day,
        topic=topic,
        planned_at=at(recent_day(-days)),
    )


def test_a_submitted_plan_waits_for_the_approver_not_the_planner(personas, bureau, types):
    plan = submit(personas, bureau, types)
    title = f"主题党日：{plan.topic}"
    assert ("plan_approval", title) in kinds(personas.agency_officer)
    assert ("plan_approval", title) in kinds(personas.admin)
    # The branch's own secretary does not approve their own plan; a member and 纪检 approve nothing.
    for who in (personas.secretary_of_branch_1, personas.member, personas.discipline):
        assert ("plan_approval", title) not in kinds(who)


def test_a_returned_plan_notifies_its_planner_and_goes_on_their_list(personas, bureau, types, client):
    plan = submit(personas, bureau, types)
    actions.do_return(plan, "时间与主题党日冲突", acting_user=personas.agency_officer)

    note = Notification.objects.get(user=personas.secretary_of_branch_1)
    assert "计划被退回" in note.title and plan.topic in note.title
    assert "时间与主题党日冲突" in note.body
    assert note.url == f"/activities/{plan.pk}/edit/"
    # The one who returned it is not told about their own step; nobody else hears of it.
    assert not Notification.objects.exclude(user=personas.secretary_of_branch_1).exists()

    items = [i for i in due_items(personas.secretary_of_branch_1, today()) if i.kind == "plan_returned"]
    assert [i.url for i in items] == [f"/activities/{plan.pk}/edit/"]
    assert "时间与主题党日冲突" in items[0].title
    assert not [i for i in due_items(personas.agency_officer, today()) if i.kind == "plan_approval"]


def test_the_header_badge_counts_unread_and_reading_clears_it(personas, bureau, types, login):
    plan = submit(personas, bureau, types)
    actions.do_return(plan, "请补充议程", acting_user=personas.agency_officer)
    client = login(personas.secretary_of_branch_1)
    page = client.get("/").content.decode()
    assert 'aria-label="1条未读"' in page
    assert "计划被退回" in page  # the to-do panel on the home page

    listing = client.get("/notifications/").content.decode()
    assert "请补充议程" in listing
    note = Notification.objects.get()
    response = client.post("/notifications/read/", {"id": note.pk, "go": "1"})
    assert response.status_code == 302 and response["Location"] == f"/activities/{plan.pk}/edit/"
    assert Notification.objects.get().read_at is not None
    assert "条未读" not in client.get("/").content.decode()


def test_nobody_marks_another_users_notification(personas, bureau, types, login):
    plan = submit(personas, bureau, types)
    actions.do_return(plan, "请补充议程", acting_user=personas.agency_officer)
    note = Notification.objects.get()
    login(personas.member).post("/notifications/read/", {"id": note.pk})
    assert Notification.objects.get().read_at is None
    login(personas.member).post("/notifications/read/", {"id": "all"})
    assert Notification.objects.get().read_at is None
    assert "请补充议程" not in login(personas.member).get("/notifications/").content.decode()


def test_held_records_wait_for_verification_and_unrecorded_plans_for_recording(
    personas, bureau, types, branch_1_members, make_plan
):
    late = make_plan(bureau.branch_1, topic="逾期未登记", days_ago=4)
    held = make_plan(bureau.branch_1, topic="已开展待审核", days_ago=6)
    actions.do_record(
        held,
        acting_user=personas.secretary_of_branch_1,
        held_at=at(recent_day(6)),
        attendance=all_present(branch_1_members),
    )
    secretary = kinds(personas.secretary_of_branch_1)
    assert ("record_due", f"主题党日：{late.topic}") in secretary
    assert ("record_verify", f"主题党日：{held.topic}") not in secretary
    assert ("record_verify", f"主题党日：{held.topic}") in kinds(personas.agency_officer)


def test_a_member_sees_their_missed_activities_to_make_up(personas, bureau, make_plan, branch_1_members):
    activity = make_plan(bureau.branch_1, topic="缺席的学习", days_ago=5)
    rows = all_present(branch_1_members)
    rows[bureau.member_1.pk] = ("leave", "出差")
    actions.do_record(
        activity, acting_user=personas.secretary_of_branch_1, held_at=at(recent_day(5)), attendance=rows
    )
    assert [k for k, _ in kinds(personas.member)] == ["makeup"]
    attendance = activity.attendances.get(member=bureau.member_1)
    actions.do_record_makeup(
        attendance, makeup_on=today(), note="自学会议精神", acting_user=personas.secretary_of_branch_1
    )
    assert kinds(personas.member) == []


def test_the_daily_digest_goes_once_a_day_with_links_to_where_things_are_done(
    personas, bureau, types, settings, monkeypatch
):
    from django.core import mail
    from django.core.management import call_command

    from dangjian.core import agenda

    # This test is about plans: the other ledgers' due items (compliance by the calendar, an
    # unsigned 责任书, a branch without 纪检委员 …) would mail the secretary too.
    monkeypatch.setattr(
        agenda, "_sources", [s for s in agenda._sources if s.__module__.startswith("dangjian.activities")]
    )

    settings.EMAIL_URL = "console://"
    settings.BASE_URL = "https://dj.example.cn"
    personas.agency_officer.email = "jgdw@example.cn"
    personas.agency_officer.save()
    personas.secretary_of_branch_1.email = "zb1@example.cn"
    personas.secretary_of_branch_1.save()
    plan = submit(personas, bureau, types, topic="学习新党章")

    call_command("digest", verbosity=0)
    assert [m.to for m in mail.outbox] == [["jgdw@example.cn"]]  # the secretary has nothing to do
    body = mail.outbox[0].body
    assert f"【待审批计划】主题党日：{plan.topic}（第一党支部" in body
    assert "https://dj.example.cn/activities/approvals/" in body

    actions.do_return(plan, "请补充议程", acting_user=personas.agency_officer)
    call_command("digest", verbosity=0)  # the same day: the officer is not mailed again
    assert [m.to for m in mail.outbox] == [["jgdw@example.cn"], ["zb1@example.cn"]]
    second = mail.outbox[1].body
    assert f"https://dj.example.cn/activities/{plan.pk}/edit/" in second
    assert "未读通知 1 条" in second

    call_command("digest", verbosity=0)
    assert len(mail.outbox) == 2


def test_no_digest_without_a_configured_mail_server(personas, bureau, types, settings):
    from django.core import mail
    from django.core.management import call_command

    settings.EMAIL_URL = ""
    personas.agency_officer.email = "jgdw@example.cn"
    personas.agency_officer.save()
    submit(personas, bureau, types)
    call_command("digest", verbosity=0)
    assert mail.outbox == []


def test_the_kept_home_panels_follow_the_ledger(personas, bureau, types, login):
    """The home page's panels are kept per user and ledger version: a new step shows at once."""
    approver = login(personas.agency_officer)
    approver.get("/")  # kept before the plan exists
    plan = submit(personas, bureau, types, topic="学习新修订的条例")
    assert plan.topic in approver.get("/").content.decode()
    assert plan.topic not in login(personas.discipline).get("/").content.decode()
    actions.do_return(plan, "请补充议程", acting_user=personas.agency_officer)
    secretary = login(personas.secretary_of_branch_1).get("/").content.decode()
    assert "计划被退回" in secretary and "请补充议程" in secretary
