"""A member's own part: make-up study, confirming attendance, reflections and their review."""

from __future__ import annotations

import pytest

from dangjian.activities import actions
from dangjian.activities.models import Attendance, Reflection
from dangjian.activities.tests.conftest import all_present, at, recent_day
from dangjian.core.dates import today
from dangjian.core.models import AuditLog, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def missed(personas, bureau, make_plan, branch_1_members):  # type: ignore[no-untyped-def]
    """A theme day five days ago that member 1 (dy1) missed on leave, everyone else present."""
    activity = make_plan(bureau.branch_1, topic="学习全会精神", days_ago=5)
    rows = all_present(branch_1_members)
    rows[bureau.member_1.pk] = ("leave", "出差")
    actions.do_record(
        activity, acting_user=personas.secretary_of_branch_1, held_at=at(recent_day(5)), attendance=rows
    )
    return activity


def test_a_member_reports_make_up_study_for_what_they_missed(personas, bureau, missed, login):
    client = login(personas.member)
    page = client.get("/activities/mine/").content.decode()
    assert "待补学（1次）" in page and "学习全会精神" in page
    row = Attendance.objects.get(activity=missed, member=bureau.member_1)

    bad = client.post(
        "/activities/mine/", {"attendance": row.pk, "do": "makeup", "makeup_on": today().isoformat()}
    )
    assert bad.status_code == 302
    assert Attendance.objects.get(pk=row.pk).makeup_on is None
    assert "请填写补学内容" in client.get("/activities/mine/").content.decode()

    client.post(
        "/activities/mine/",
        {
            "attendance": row.pk,
            "do": "makeup",
            "makeup_on": today().isoformat(),
            "makeup_note": "自学会议记录",
        },
    )
    row.refresh_from_db()
    assert (row.makeup_on, row.makeup_note, row.makeup_by_member) == (today(), "自学会议记录", True)
    assert AuditLog.objects.filter(verb="本人登记补学").count() == 1
    assert Notification.objects.filter(
        user=personas.secretary_of_branch_1, title__contains="已登记补学"
    ).exists()
    assert "待补学（0次）" in client.get("/activities/mine/").content.decode()


def test_nobody_reports_for_someone_else(personas, bureau, missed, login):
    other = Attendance.objects.filter(activity=missed).exclude(member=bureau.member_1).first()
    response = login(personas.member).post("/activities/mine/", {"attendance": other.pk, "do": "confirm"})
    assert response.status_code == 404
    # The branch secretary reaches the record but is not its member: refused by the action too.
    with pytest.raises(Exception, match="本人"):
        actions.do_confirm_attendance(other, correct=True, acting_user=personas.secretary_of_branch_1)
    assert Attendance.objects.get(pk=other.pk).confirmed_at is None


def test_a_member_confirms_or_disputes_their_attendance(personas, bureau, missed, login):
    client = login(personas.member)
    row = Attendance.objects.get(activity=missed, member=bureau.member_1)
    client.post("/activities/mine/", {"attendance": row.pk, "do": "dispute", "note": ""})
    assert not Notification.objects.filter(title__contains="有误").exists()
    client.post("/activities/mine/", {"attendance": row.pk, "do": "dispute", "note": "当天出席了"})
    note = Notification.objects.get(user=personas.secretary_of_branch_1, title__contains="有误")
    assert "报告出勤记录有误" in note.title and "当天出席了" in note.body
    client.post("/activities/mine/", {"attendance": row.pk, "do": "confirm"})
    assert Attendance.objects.get(pk=row.pk).confirmed_at is not None


def test_reflection_submitted_reviewed_returned_and_resubmitted(personas, bureau, missed, login):
    member = login(personas.member)
    url = f"/activities/mine/reflection/?activity={missed.pk}"
    empty = member.post(url, {"activity": missed.pk, "title": "", "text": ""})
    assert "请填写题目" in empty.content.decode() and not Reflection.objects.exists()
    member.post(url, {"activity": missed.pk, "title": "学习体会", "text": "深受教育"})
    reflection = Reflection.objects.get()
    assert (reflection.member, reflection.status) == (bureau.member_1, "submitted")

    secretary = login(personas.secretary_of_branch_1)
    assert "学习体会" in secretary.get("/activities/reflections/?status=submitted").content.decode()
    secretary.post("/activities/reflections/review/", {"reflection": reflection.pk, "decision": "return"})
    assert Reflection.objects.get().status == "submitted"  # a return needs a comment
    secretary.post(
        "/activities/reflections/review/",
        {"reflection": reflection.pk, "decision": "return", "comment": "请结合本职工作谈体会"},
    )
    reflection.refresh_from_db()
    assert (reflection.status, reflection.review_comment) == ("returned", "请结合本职工作谈体会")
    assert Notification.objects.filter(user=personas.member, title__contains="被退回").exists()
    from dangjian.core.agenda import due_items

    assert "reflection_returned" in [i.kind for i in due_items(personas.member, today())]

    member = login(personas.member)
    member.post(url, {"activity": missed.pk, "title": "学习体会（修改）", "text": "结合岗位……"})
    assert Reflection.objects.count() == 1 and Reflection.objects.get().status == "submitted"
    secretary = login(personas.secretary_of_branch_1)
    secretary.post("/activities/reflections/review/", {"reflection": reflection.pk, "decision": "accept"})
    assert Reflection.objects.get().status == "accepted"


def test_a_read_only_role_cannot_review(personas, bureau, missed, login):
    reflection = actions.do_submit_reflection(missed, title="体会", text="内容", acting_user=personas.member)
    response = login(personas.discipline).post(
        "/activities/reflections/review/", {"reflection": reflection.pk, "decision": "accept"}
    )
    assert response.status_code == 403
    assert Reflection.objects.get().status == "submitted"
