"""扫码签到 in real browsers: the officer's screen fills live while two members sign in on phones."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import _user
from dangjian.activities import actions
from dangjian.activities.models import ActivityType, Attendance

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_two_members_scan_in_and_the_officer_sees_the_list_fill(
    live_server, browser, page, personas, bureau, browser_login
):  # type: ignore[no-untyped-def]
    meeting = actions.do_plan(
        acting_user=None,
        organization=bureau.branch_1,
        activity_type=ActivityType.objects.get(code="theme_day"),
        topic="学习新修订的条例",
        planned_at=timezone.now() - datetime.timedelta(minutes=2),
    )
    meeting.status = "approved"
    meeting.save()
    second = _user("dy2", "member", member=bureau.members[1])

    browser_login(page, personas.secretary_of_branch_1)
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    page.click("#btn-signin-screen")
    page.wait_for_url("**/signin/")
    assert page.is_visible(".qr-box svg")
    assert "已签到 0/3 人" in page.inner_text("#signed-count")
    scan_url = page.get_attribute(".qr-box", "data-scan-url")

    for user in (personas.member, second):
        phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
        member_page = phone.new_page()
        member_page.goto(scan_url)  # scanning the code opens this address; not logged in yet
        member_page.wait_for_url("**/login/**")
        member_page.fill("#id_username", user.username)
        member_page.fill("#id_password", f"pw-{user.username}")
        member_page.click("button[type=submit]")
        member_page.wait_for_url("**/activities/signin/")
        assert "学习新修订的条例" in member_page.inner_text("main")
        member_page.click("#btn-signin")
        assert "签到成功" in member_page.inner_text("#signin-done")
        assert member_page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
        phone.close()

    # The officer's screen polls: both names turn up without reloading.
    expect(page.locator("#signed-count")).to_contain_text("已签到 2/3 人", timeout=10_000)
    line = page.locator(f"li[data-member='{bureau.members[1].pk}']")
    assert "已签到" in line.inner_text()
    # A correction: the second member came late after all.
    line.locator("button[value=late]").click()
    expect(page.locator(f"li[data-member='{bureau.members[1].pk}'] .badge")).to_contain_text("迟到")
    rows = {a.member_id: (a.status, a.late) for a in Attendance.objects.filter(activity=meeting)}
    assert rows == {bureau.members[0].pk: ("present", False), bureau.members[1].pk: ("present", True)}
