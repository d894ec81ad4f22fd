"""The page shell, login/logout and the audit log page, as users see them."""

from __future__ import annotations

from django.urls import reverse

from dangjian.members import actions


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def test_login_page_is_chinese_and_needs_no_login(db, client):
    page = text(client.get(reverse("login")))
    assert "党建台账" in page and "用户名" in page and "密码" in page and 'lang="zh-CN"' in page


def test_wrong_password_is_refused_in_chinese(personas, client):
    page = text(client.post(reverse("login"), {"username": "jgdw", "password": "nope"}))
    assert "用户名或密码不正确。" in page


def test_shell_shows_nav_user_role_and_a_logout_form(personas, login):
    page = text(login(personas.secretary_of_branch_1).get(reverse("home")))
    assert "党组织" in page and "花名册" in page
    assert "党务干部/支部书记" in page
    assert f'action="{reverse("logout")}"' in page and 'method="post"' in page
    assert "审计日志" not in page


def test_logout_is_a_post(personas, login):
    client = login(personas.agency_officer)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_admin_reads_the_audit_log_with_before_and_after(personas, bureau, login):
    actions.do_update_member(bureau.member_1, acting_user=personas.agency_officer, department="预算科")
    page = text(login(personas.admin).get(reverse("audit-log")))
    assert "审计日志" in page
    assert "所在股室" in page and "预算科" in page and "jgdw" in page


def test_audit_log_filters_by_record_kind(personas, bureau, login):
    client = login(personas.admin)
    page = text(client.get(reverse("audit-log"), {"model": "organization"}))
    assert "第一党支部" in page and "赵一明" not in page


def test_only_admin_reads_the_audit_log(personas, login):
    for persona in ("agency_officer", "secretary_of_branch_1", "discipline", "member", "outsider"):
        response = login(getattr(personas, persona)).get(reverse("audit-log"))
        assert response.status_code == 403
        assert "此页面仅供系统管理员使用。" in text(response)


def test_outsider_home_says_no_role(personas, login):
    assert "尚未分配角色" in text(login(personas.outsider).get(reverse("home")))
