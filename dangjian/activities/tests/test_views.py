"""Pages: no access (404), read-only (403 on write), allowed; and what each user sees."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dangjian.activities import actions
from dangjian.activities.models import Activity, Attachment
from dangjian.activities.tests.conftest import all_present, at, recent_day
from dangjian.testing import factories

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def held(personas, bureau, make_plan, branch_1_members):  # type: ignore[no-untyped-def]
    activity = make_plan(bureau.branch_1, "general_meeting", topic="学习党章")
    rows = all_present(branch_1_members)
    rows[branch_1_members[1].pk] = ("leave", "外出培训")
    actions.do_record(
        activity, acting_user=personas.secretary_of_branch_1, held_at=at(recent_day()), attendance=rows
    )
    return activity


@pytest.fixture
def other_branch(personas, bureau, make_plan):  # type: ignore[no-untyped-def]
    return make_plan(bureau.branch_2, status="planned", topic="第二支部的计划")


@pytest.mark.parametrize(
    "persona", ["admin", "agency_officer", "secretary_of_branch_1", "discipline", "member"]
)
@pytest.mark.parametrize(
    "name, title",
    [
        ("list", "组织生活台账"),
        ("calendar", "组织生活日历"),
        ("reflections", "心得体会"),
        ("types", "活动类型"),
    ],
)
def test_list_pages_render_for_every_role(name, title, persona, login, personas, held, other_branch):
    response = login(getattr(personas, persona)).get(reverse(f"activities:{name}"))
    assert response.status_code == 200
    assert f"<title>{title} · 党建台账</title>" in response.content.decode()


def test_list_is_limited_to_scope(login, personas, held, other_branch):
    body = login(personas.secretary_of_branch_1).get(reverse("activities:list")).content.decode()
    assert "学习党章" in body and "第二支部的计划" not in body
    body = login(personas.agency_officer).get(reverse("activities:list")).content.decode()
    assert "学习党章" in body and "第二支部的计划" in body


def test_list_filters(login, personas, held, other_branch, bureau):
    client = login(personas.agency_officer)
    body = client.get(reverse("activities:list"), {"org": bureau.branch_2.pk}).content.decode()
    assert "第二支部的计划" in body and "学习党章" not in body
    body = client.get(
        reverse("activities:list"), {"type": "general_meeting", "status": "held"}
    ).content.decode()
    assert "学习党章" in body and "第二支部的计划" not in body
    body = client.get(reverse("activities:list"), {"period": "1999"}).content.decode()
    assert "学习党章" not in body
    body = client.get(reverse("activities:list"), {"period": "bad"}).content.decode()
    assert "无法识别的期间“bad”" in body


def test_detail_no_access_read_only_allowed(login, personas, held, other_branch):
    url = reverse("activities:detail", args=[other_branch.pk])
    assert login(personas.secretary_of_branch_1).get(url).status_code == 404
    assert login(personas.discipline).get(url).status_code == 200
    body = login(personas.agency_officer).get(url).content.decode()
    assert "审批通过" in body and "退回计划" in body


def test_member_sees_only_activities_they_attended_and_only_their_own_line(
    login, personas, held, other_branch
):
    client = login(personas.member)
    body = client.get(reverse("activities:detail", args=[held.pk])).content.decode()
    assert "赵一明" in body and "钱二华" not in body and "外出培训" not in body
    assert client.get(reverse("activities:detail", args=[other_branch.pk])).status_code == 404


@pytest.mark.parametrize("name", ["approve", "return", "verify", "reopen", "submit"])
def test_workflow_posts_are_403_for_read_only_and_404_outside_scope(name, login, personas, other_branch):
    url = reverse(f"activities:{name}", args=[other_branch.pk])
    assert login(personas.discipline).post(url, {"reason": "x"}).status_code == 403
    assert login(personas.secretary_of_branch_1).post(url, {"reason": "x"}).status_code == 404
    assert Activity.objects.get(pk=other_branch.pk).status == "planned"


def test_secretary_is_refused_approving_own_branch_plan(login, personas, make_plan, bureau):
    own = make_plan(bureau.branch_1, status="planned", topic="本支部计划")
    response = login(personas.secretary_of_branch_1).post(reverse("activities:approve", args=[own.pk]))
    assert response.status_code == 403
    assert Activity.objects.get(pk=own.pk).status == "planned"


def test_approve_and_return_from_the_queue(login, personas, other_branch, make_plan, bureau):
    client = login(personas.agency_officer)
    body = client.get(reverse("activities:approvals")).content.decode()
    assert "第二支部的计划" in body
    response = client.post(
        reverse("activities:return", args=[other_branch.pk]),
        {"reason": "时间与主题党日冲突", "next": reverse("activities:approvals")},
    )
    assert response.status_code == 302 and response["Location"] == reverse("activities:approvals")
    other_branch.refresh_from_db()
    assert (other_branch.status, other_branch.return_reason) == ("returned", "时间与主题党日冲突")
    assert login(personas.member).get(reverse("activities:approvals")).status_code == 403


def test_plan_form_creates_and_submits(login, personas, bureau, types):
    client = login(personas.secretary_of_branch_1)
    assert client.get(reverse("activities:plan")).status_code == 200
    response = client.post(
        reverse("activities:plan"),
        {
            "organization": bureau.branch_1.pk,
            "activity_type": types.theme_day.pk,
            "topic": "重温入党誓词",
            "planned_at": "2099-05-08T09:00",
            "also_counts_as": [types.party_lecture.pk],
            "submit": "1",
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get(topic="重温入党誓词")
    assert activity.status == "planned"
    assert set(activity.credits.values_list("activity_type__code", flat=True)) == {
        "theme_day",
        "party_lecture",
    }


def test_plan_form_shows_chinese_error_for_disallowed_combination(login, personas, bureau, types):
    response = login(personas.secretary_of_branch_1).post(
        reverse("activities:plan"),
        {
            "organization": bureau.branch_1.pk,
            "activity_type": types.party_lecture.pk,
            "topic": "党课",
            "planned_at": "2099-05-08T09:00",
            "also_counts_as": [types.theme_day.pk],
            "submit": "1",
        },
    )
    assert response.status_code == 200
    assert "党课不能同时计为主题党日。" in response.context["form"].errors["also_counts_as"]
    assert not Activity.objects.exists()


def test_plan_page_is_403_for_read_only(login, personas):
    assert login(personas.discipline).get(reverse("activities:plan")).status_code == 403
    assert login(personas.member).get(reverse("activities:plan")).status_code == 403


def test_record_form_grid_and_post(login, personas, bureau, make_plan, branch_1_members):
    activity = make_plan(bureau.branch_1, "general_meeting", topic="党员大会")
    client = login(personas.secretary_of_branch_1)
    body = client.get(reverse("activities:record", args=[activity.pk])).content.decode()
    for m in branch_1_members:
        assert f'name="att-{m.pk}"' in body
    assert "表决权" in body and "第十一条" in body
    data = {
        "topic": "党员大会",
        "held_at": at(recent_day()).strftime("%Y-%m-%dT%H:%M"),
        "guests": "上级督导 王某",
    }
    data.update({f"att-{m.pk}": "present" for m in branch_1_members})
    data[f"att-{bureau.member_1.pk}"] = "leave"
    response = client.post(reverse("activities:record", args=[activity.pk]), data)
    assert response.status_code == 200 and "赵一明：请假须填写事由" in response.content.decode()
    assert Activity.objects.get(pk=activity.pk).status == "approved"
    data[f"reason-{bureau.member_1.pk}"] = "出差"
    response = client.post(reverse("activities:record", args=[activity.pk]), data)
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == "held"
    assert activity.attendances.filter(member__isnull=True, guest_name="上级督导 王某").exists()
    assert activity.attendances.get(member=bureau.member_1).leave_reason == "出差"


def test_record_form_refuses_vote_without_quorum(login, personas, bureau, make_plan, branch_1_members):
    activity = make_plan(bureau.branch_1, "general_meeting", topic="表决")
    data = {
        "topic": "表决",
        "held_at": at(recent_day()).strftime("%Y-%m-%dT%H:%M"),
        "has_vote": "on",
        "vote_subject": "接收预备党员",
        "votes_for": "1",
    }
    data.update({f"att-{m.pk}": "absent" for m in branch_1_members})
    data[f"att-{bureau.member_1.pk}"] = "present"
    body = (
        login(personas.secretary_of_branch_1)
        .post(reverse("activities:record", args=[activity.pk]), data)
        .content.decode()
    )
    assert "未超过半数，不能进行表决" in body and "第十一条" in body
    assert Activity.objects.get(pk=activity.pk).status == "approved"


def test_record_page_403_for_read_only_and_404_outside(login, personas, other_branch, held):
    assert login(personas.discipline).get(reverse("activities:record", args=[held.pk])).status_code == 403
    assert (
        login(personas.secretary_of_branch_1)
        .get(reverse("activities:record", args=[other_branch.pk]))
        .status_code
        == 404
    )


def test_attachment_upload_and_download_through_scope(login, personas, held, settings, tmp_path, bureau):
    settings.MEDIA_ROOT = tmp_path
    client = login(personas.secretary_of_branch_1)
    client.post(
        reverse("activities:attachment-upload", args=[held.pk]),
        {"kind": "photo", "file": SimpleUploadedFile("会场.png", PNG)},
    )
    attachment = Attachment.objects.get()
    url = reverse("activities:attachment", args=[attachment.pk])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    assert login(personas.member).get(url).status_code == 200  # attended
    officer_2 = factories.user("zb2", "org_officer", org=bureau.branch_2)
    assert login(officer_2).get(url).status_code == 404
    assert (
        login(personas.discipline)
        .post(
            reverse("activities:attachment-upload", args=[held.pk]),
            {"kind": "photo", "file": SimpleUploadedFile("x.png", PNG)},
        )
        .status_code
        == 403
    )


def test_bad_attachment_shows_chinese_error(login, personas, held, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(personas.secretary_of_branch_1)
    response = client.post(
        reverse("activities:attachment-upload", args=[held.pk]),
        {"kind": "photo", "file": SimpleUploadedFile("病毒.pdf", b"MZ\x00\x00")},
        follow=True,
    )
    assert "文件“病毒.pdf”不是允许的类型" in response.content.decode()
    assert not Attachment.objects.exists()


def test_makeup_page(login, personas, held, branch_1_members):
    client = login(personas.secretary_of_branch_1)
    url = reverse("activities:makeup", args=[held.pk])
    assert "钱二华" in client.get(url).content.decode()
    row = held.attendances.get(member=branch_1_members[1])
    response = client.post(
        url, {"attendance": row.pk, "makeup_on": recent_day(1).isoformat(), "note": "自学"}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.makeup_on == recent_day(1)
    assert login(personas.discipline).post(url, {"attendance": row.pk}).status_code == 403


def test_talk_quick_entry(login, personas, bureau):
    client = login(personas.secretary_of_branch_1)
    assert client.get(reverse("activities:talk-new")).status_code == 200
    response = client.post(
        reverse("activities:talk-new"),
        {
            "party_a": bureau.member_1.pk,
            "party_b": bureau.members[1].pk,
            "held_on": recent_day(2).isoformat(),
            "topic": "谈工作思想",
        },
    )
    assert response.status_code == 302
    assert Activity.objects.filter(activity_type__code="talk", talk_party_b=bureau.members[1]).exists()
    assert login(personas.member).get(reverse("activities:talk-new")).status_code == 403


def test_speaker_draw_view(login, personas, bureau, make_plan, branch_1_members):
    forum = make_plan(bureau.branch_1, "biweekly_forum", topic="双周讲坛")
    actions.do_record(
        forum,
        acting_user=personas.secretary_of_branch_1,
        held_at=at(recent_day()),
        attendance=all_present(branch_1_members),
    )
    client = login(personas.secretary_of_branch_1)
    client.post(reverse("activities:draw", args=[forum.pk]), {"count": 2})
    body = client.get(reverse("activities:detail", args=[forum.pk])).content.decode()
    assert "按种子复算结果一致" in body


def test_reflections_add_and_scope(login, personas, bureau):
    client = login(personas.secretary_of_branch_1)
    response = client.post(
        reverse("activities:reflections"),
        {
            "member": bureau.member_1.pk,
            "title": "学习体会",
            "submitted_on": recent_day(1).isoformat(),
            "text": "收获很大",
        },
    )
    assert response.status_code == 302
    assert "学习体会" in login(personas.member).get(reverse("activities:reflections")).content.decode()
    assert login(personas.member).post(reverse("activities:reflections"), {}).status_code == 403


def test_type_management_only_for_agency_officers(login, personas, types):
    assert login(personas.secretary_of_branch_1).get(reverse("activities:type-new")).status_code == 403
    client = login(personas.agency_officer)
    response = client.post(
        reverse("activities:type-new"),
        {
            "code": "reading",
            "name": "读书分享会",
            "counts_as_org_life": "on",
            "takes_attendance": "on",
            "order": 200,
            "active": "on",
        },
    )
    assert response.status_code == 302
    response = client.post(reverse("activities:type-delete", args=[types.party_lecture.pk]), follow=True)
    assert "内置类型，不能删除" in response.content.decode()


def test_home_panel_shows_a_members_own_record(login, personas, held):
    body = login(personas.member).get(reverse("home")).content.decode()
    assert "我的组织生活" in body
    assert login(personas.discipline).get(reverse("home")).status_code == 200


def test_calendar_shows_planned_and_held_by_status(login, personas, held, bureau):
    client = login(personas.secretary_of_branch_1)
    month = held.held_on.strftime("%Y-%m")
    body = client.get(
        reverse("activities:calendar"), {"org": bureau.branch_1.pk, "month": month}
    ).content.decode()
    assert "st-held" in body and "支部党员大会" in body
    assert client.get(reverse("activities:calendar"), {"org": bureau.branch_2.pk}).status_code == 404


def test_list_query_count_does_not_grow_with_rows(
    login, personas, make_plan, bureau, django_assert_max_num_queries
):
    for i in range(15):
        make_plan(bureau.branch_1, status="planned", topic=f"计划{i}", also=("study_session",))
    client = login(personas.agency_officer)
    with django_assert_max_num_queries(14):
        client.get(reverse("activities:list"))


def test_home_panel_counts_a_members_attendance_by_status(rf, personas, bureau, types):
    """Three meetings attended and one missed this year read as 3 出席 and 1 缺席, not 1 and 1."""
    from dangjian.activities.models import ActivityCredit, Attendance
    from dangjian.activities.views import my_record_panel
    from dangjian.core.dates import today

    member = bureau.member_1
    for day, status in ((1, "present"), (2, "present"), (3, "present"), (4, "absent")):
        held_at = timezone.make_aware(datetime.datetime(today().year, 1, day, 9))
        activity = Activity.objects.create(
            organization=bureau.branch_1,
            activity_type=types.theme_day,
            status="held",
            topic=f"t{day}",
            held_at=held_at,
        )
        ActivityCredit.objects.create(activity=activity, activity_type=types.theme_day, is_primary=True)
        Attendance.objects.create(activity=activity, member=member, status=status)
    request = rf.get("/")
    request.user = personas.member
    context = my_record_panel(request).context
    assert (context["my_present"], context["my_absent"], context["my_makeup_due"]) == (3, 1, 1)
