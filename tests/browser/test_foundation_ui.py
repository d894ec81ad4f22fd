"""What an officer does in a real browser: log in, browse the tree, add a member; and a refusal."""

from __future__ import annotations

import pytest

from dangjian.members.models import Member
from dangjian.members.validators import id_check_digit
from tests.browser.lookup import pick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_with_a_wrong_password_is_refused_in_chinese(live_server, page, personas):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "jgdw")
    page.fill("#id_password", "wrong-password")
    page.click("button[type=submit]")
    assert "用户名或密码不正确" in page.inner_text(".form-errors")


def test_officer_logs_in_and_browses_the_tree_to_a_branch(live_server, page, personas, bureau, browser_login):
    browser_login(page, personas.agency_officer)
    assert "您的权限范围" in page.inner_text("main")
    assert "机关党委/党组" in page.inner_text(".userbox")
    page.click("nav.mainnav >> text=党组织")
    page.wait_for_url("**/orgs/")
    page.click(".tree >> text=第一党支部")
    page.wait_for_url(f"**/orgs/{bureau.branch_1.pk}/")
    assert page.inner_text("h1").startswith("第一党支部")
    assert "第一党小组" in page.inner_text("#children")
    page.click("text=查看党员名单")
    page.wait_for_url(f"**/members/?org={bureau.branch_1.pk}")
    roster = page.inner_text("#roster")
    assert "赵一明" in roster and "李四清" not in roster


def test_officer_adds_a_member_through_the_form(live_server, page, personas, bureau, browser_login):
    browser_login(page, personas.agency_officer)
    page.goto(f"{live_server.url}/members/add/")
    first17 = "11010519920409123"
    page.fill("#id_name", "吴六新")
    page.select_option("#id_gender", "male")
    page.fill("#id_birth_date", "1992-04-09")
    page.select_option("#id_education", "bachelor")
    page.fill(
        "#id_id_number", first17 + ("0" if id_check_digit(first17) != "0" else "1")
    )  # wrong check digit
    pick(page, "organization", "第一党支部")
    page.select_option("#id_status", "full")
    page.fill("#id_admission_date", "2015-06-20")
    page.fill("#id_confirmation_date", "2016-06-20")
    page.click("#member-form button[type=submit]")
    assert "身份证号校验位不正确" in page.inner_text("#field-id_number")
    assert not Member.objects.filter(name="吴六新").exists()

    page.fill("#id_id_number", first17 + id_check_digit(first17))
    page.click("#member-form button[type=submit]")
    page.wait_for_url("**/members/*/")
    assert page.inner_text("h1").startswith("吴六新")
    assert "已将吴六新录入花名册" in page.inner_text(".messages")
    assert Member.objects.get(name="吴六新").organization == bureau.branch_1


def test_branch_secretary_opening_another_branchs_member_gets_404(
    live_server, page, personas, bureau, browser_login
):
    browser_login(page, personas.secretary_of_branch_1)
    response = page.goto(f"{live_server.url}{bureau.member_of_branch_2.get_absolute_url()}")
    assert response.status == 404
    assert "不在您的权限范围内" in page.inner_text("main")
    assert "李四清" not in page.content()


def test_tree_folds_away_on_a_phone(live_server, phone_page, personas, bureau, browser_login):
    browser_login(phone_page, personas.agency_officer)
    phone_page.goto(f"{live_server.url}{bureau.branch_1.get_absolute_url()}")
    assert phone_page.get_attribute("#tree-panel", "open") is None
    phone_page.click("#tree-panel summary")
    assert phone_page.is_visible(".tree >> text=第二党支部")
