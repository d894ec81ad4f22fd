"""The 三会一课 workflow in a real browser: secretary plans → officer approves → secretary records
with attendance → officer verifies."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from dangjian.activities.models import Activity
from tests.browser.lookup import pick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def builtin_types(db):  # type: ignore[no-untyped-def]
    # A transactional test flushes the tables, data migrations included: put the types back.
    migration = importlib.import_module("dangjian.activities.migrations.0002_builtin_types")
    migration.create_builtin_types(apps, None)


def test_plan_approve_record_verify(live_server, page, personas, bureau, browser_login, builtin_types):
    url = live_server.url
    held = timezone.localtime() - datetime.timedelta(days=2)

    # 1. The branch secretary plans a 主题党日 that includes a 党课 and submits it.
    browser_login(page, personas.secretary_of_branch_1)
    page.click("nav.mainnav >> text=组织生活")
    page.wait_for_url("**/activities/")
    page.click("text=＋ 制定计划")
    pick(page, "organization", "第一党支部")
    page.select_option("#id_activity_type", label="主题党日")
    page.fill("#id_topic", "重温入党誓词")
    page.fill("#id_planned_at", held.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("checkbox", name="党课", exact=True).check()
    page.click("button[name=submit]")
    # A planned time already past (a plan reported after the fact) must be confirmed.
    page.wait_for_selector("text=早于现在")
    page.check("#id_confirm_past")
    page.click("button[name=submit]")
    page.wait_for_selector("text=计划已报送机关党委审批")
    activity = Activity.objects.get(topic="重温入党誓词")
    assert activity.status == "planned"
    assert "btn-approve" not in page.content()  # a secretary never approves their own plan

    # 2. The 机关党委 approves it from the queue.
    page.click("text=退出")
    browser_login(page, personas.agency_officer)
    page.goto(f"{url}/activities/approvals/")
    page.click(f"#plan-{activity.pk} >> text=审批通过")
    page.wait_for_selector("text=已审批通过")
    activity.refresh_from_db()
    assert activity.status == "approved"

    # 3. The secretary records it: one member on leave with a reason, the rest present.
    page.click("text=退出")
    browser_login(page, personas.secretary_of_branch_1)
    page.goto(f"{url}{activity.get_absolute_url()}")
    page.click("#btn-record")
    page.fill("#id_held_at", held.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_minutes", "全体党员面向党旗重温入党誓词。")
    leave = bureau.member_1
    page.click(f"input[name=att-{leave.pk}][value=leave] + span")
    assert "请假 1 人" in page.inner_text("#att-count")
    page.fill(f"input[name=reason-{leave.pk}]", "出差")
    page.click("#btn-save-record")
    page.wait_for_selector("text=已登记召开情况")
    activity.refresh_from_db()
    assert activity.status == "held"
    assert activity.attendances.get(member=leave).status == "leave"
    assert activity.attendances.filter(status="present").count() == 2
    assert set(activity.credits.values_list("activity_type__code", flat=True)) == {
        "theme_day",
        "party_lecture",
    }

    # 4. The 机关党委 verifies it.
    page.click("text=退出")
    browser_login(page, personas.agency_officer)
    page.goto(f"{url}{activity.get_absolute_url()}")
    page.click("#btn-verify")
    page.wait_for_selector("text=已审核。")
    activity.refresh_from_db()
    assert activity.status == "verified"
    assert "退回修改" in page.inner_text("main")
