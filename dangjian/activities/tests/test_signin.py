"""扫码签到: tokens that expire, members who sign themselves in (late after the grace), the
officer's corrections, and the attendance grid that follows the sign-in list."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import _user
from dangjian.activities import actions, signin
from dangjian.activities.forms import AttendanceGridForm
from dangjian.activities.models import Attendance

NOW = 1_800_000_000.0  # a fixed instant, so windows are exact


def test_a_token_is_accepted_in_its_window_and_the_next_only():
    token = signin.make_token(7, NOW)
    assert signin.read_token(token, NOW) == 7
    assert signin.read_token(token, NOW + 30) == 7  # one window of grace
    with pytest.raises(signin.TokenError, match="过期"):
        signin.read_token(token, NOW + 60)  # a photo passed round a minute later
    with pytest.raises(signin.TokenError, match="过期"):
        signin.read_token(token, NOW - 30)  # nor before it was shown


def test_a_forged_or_altered_token_is_refused():
    activity, window, mac = signin.make_token(7, NOW).split("-")
    with pytest.raises(signin.TokenError, match="无效"):
        signin.read_token(f"8-{window}-{mac}", NOW)  # another meeting with this code's signature
    with pytest.raises(signin.TokenError, match="无效"):
        signin.read_token(f"{activity}-{int(window) + 1}-{mac}", NOW + 30)  # a later window
    with pytest.raises(signin.TokenError, match="无效"):
        signin.read_token("not-a-token", NOW)


def test_the_qr_code_is_an_svg_of_the_scan_address():
    svg = signin.qr_svg("http://example.org/activities/signin/1-2-abc/")
    assert svg.startswith("<svg") and 'class="qr"' in svg and "<path" in svg


@pytest.fixture
def meeting(bureau, make_plan):  # type: ignore[no-untyped-def]
    """An approved theme day of branch 1 that starts an hour from now."""
    activity = make_plan(bureau.branch_1, status="approved")
    activity.planned_at = timezone.now() + datetime.timedelta(hours=1)
    activity.save()
    return activity


def test_member_signs_in_on_time_and_again_keeps_the_first_time(meeting, personas, bureau):
    row = actions.do_sign_in(meeting, acting_user=personas.member)
    assert (row.member, row.status, row.late) == (bureau.member_1, "present", False)
    first = row.signed_in_at
    again = actions.do_sign_in(meeting, acting_user=personas.member, at=first + datetime.timedelta(hours=2))
    assert again.signed_in_at == first and not again.late
    assert Attendance.objects.filter(activity=meeting).count() == 1


def test_member_signing_in_after_the_grace_is_late(meeting, personas, settings):
    settings.SIGNIN_GRACE_MINUTES = 10
    start = meeting.planned_at
    on_time = actions.is_late(meeting, start + datetime.timedelta(minutes=10))
    late = actions.is_late(meeting, start + datetime.timedelta(minutes=11))
    assert (on_time, late) == (False, True)
    row = actions.do_sign_in(meeting, acting_user=personas.member, at=start + datetime.timedelta(minutes=30))
    assert row.late


def test_a_member_of_another_branch_cannot_sign_in(meeting, bureau):
    stranger = _user("dy4", "member", member=bureau.member_of_branch_2)
    with pytest.raises(ValidationError, match="不在"):
        actions.do_sign_in(meeting, acting_user=stranger)
    assert not Attendance.objects.filter(activity=meeting).exists()


def test_an_officer_without_a_member_record_cannot_sign_in(meeting, personas):
    with pytest.raises(PermissionDenied):
        actions.do_sign_in(meeting, acting_user=personas.secretary_of_branch_1)


def test_officer_corrects_the_list_and_a_stranger_secretary_may_not(meeting, personas, bureau):
    actions.do_correct_sign_in(meeting, bureau.members[1], "late", acting_user=personas.secretary_of_branch_1)
    row = Attendance.objects.get(activity=meeting, member=bureau.members[1])
    assert row.status == "present" and row.late
    actions.do_correct_sign_in(
        meeting, bureau.members[1], "clear", acting_user=personas.secretary_of_branch_1
    )
    assert not Attendance.objects.filter(activity=meeting).exists()
    zb2 = _user("zb2", "org_officer", org=bureau.branch_2)
    with pytest.raises(PermissionDenied):
        actions.do_correct_sign_in(meeting, bureau.members[1], "present", acting_user=zb2)


def test_after_sign_in_the_grid_starts_those_who_did_not_as_absent(meeting, personas, bureau):
    actions.do_sign_in(meeting, acting_user=personas.member)
    grid = {row["member"].pk: row["status"] for row in AttendanceGridForm(activity=meeting).rows}
    assert grid == {
        bureau.members[0].pk: "present",
        bureau.members[1].pk: "absent",
        bureau.members[2].pk: "absent",
    }


def test_scanning_an_expired_code_signs_nobody_in(meeting, personas, client, monkeypatch):
    token = signin.make_token(meeting.pk, NOW)
    monkeypatch.setattr(signin.time, "time", lambda: NOW + 61)
    client.force_login(personas.member)
    response = client.get(reverse("activities:signin-scan", args=[token]))
    assert response.status_code == 400
    assert "已过期" in response.content.decode()
    client.post(reverse("activities:signin-me"))
    assert not Attendance.objects.filter(activity=meeting).exists()


def test_scan_then_log_in_then_confirm(meeting, personas, client):
    token = signin.make_token(meeting.pk)
    response = client.get(reverse("activities:signin-scan", args=[token]))
    assert response["Location"] == reverse("activities:signin-me")
    assert client.get(response["Location"])["Location"].startswith(reverse("login"))
    client.force_login(personas.member)  # the session (and its pass) survives logging in
    assert "确认签到" in client.get(reverse("activities:signin-me")).content.decode()
    page = client.post(reverse("activities:signin-me")).content.decode()
    assert "签到成功" in page
    assert Attendance.objects.get(activity=meeting).member == personas.member.role.member


def test_signin_screen_shows_a_code_and_the_roster(meeting, personas, client):
    client.force_login(personas.secretary_of_branch_1)
    page = client.get(reverse("activities:signin-screen", args=[meeting.pk])).content.decode()
    assert "<svg" in page and "已签到 0/3 人" in page
    assert "赵一明" in page and "钱二华" in page and "李四清" not in page


def test_the_record_page_shows_who_scanned_in_and_who_was_late(meeting, personas, client, settings):
    settings.SIGNIN_GRACE_MINUTES = 0
    actions.do_sign_in(
        meeting, acting_user=personas.member, at=meeting.planned_at + datetime.timedelta(minutes=3)
    )
    client.force_login(personas.admin)
    page = client.get(reverse("activities:record", args=[meeting.pk])).content.decode()
    assert page.count("扫码签到 ") == 1 and "迟到</span>" in page


@pytest.mark.parametrize("value", ["", "abc", "[\U00106641", "99999999999999999999", "-1"])
def test_a_correction_naming_no_member_is_refused_in_chinese(meeting, personas, client, value):
    client.force_login(personas.secretary_of_branch_1)
    response = client.post(
        reverse("activities:signin-screen", args=[meeting.pk]), {"member": value, "status": "late"}
    )
    assert response.status_code == 200 and "请选择要更正的党员" in response.content.decode()
    assert not Attendance.objects.filter(activity=meeting).exists()
