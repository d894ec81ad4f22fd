"""Login throttling on every login form, per account and per address, never locking who did not fail;
the client address behind a trusted proxy; accounts' security events in the audit log."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache

from dangjian.core.models import AuditLog, LoginFailure, Role
from dangjian.core.net import forwarded_client, parse_networks
from dangjian.core.throttle import DEVICE_COOKIE

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
LOCKED = "登录失败次数过多"


@pytest.fixture
def officer(db):  # type: ignore[no-untyped-def]
    return get_user_model().objects.create_user("officer", password=PASSWORD)


@pytest.fixture
def staff(db):  # type: ignore[no-untyped-def]
    return get_user_model().objects.create_user("root", password=PASSWORD, is_staff=True, is_superuser=True)


def _login(client, username, password, address="10.0.0.1", url="/login/", **extra):  # type: ignore[no-untyped-def]
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address, **extra)


def _logout(client):  # type: ignore[no-untyped-def]
    # The test client's logout() forgets every cookie; a browser keeps the device cookie.
    device = client.cookies.get(DEVICE_COOKIE)
    client.post("/logout/")
    if device is not None:
        client.cookies[DEVICE_COOKIE] = device.value


def _fail(client, username, times, **kw):  # type: ignore[no-untyped-def]
    for _ in range(times):
        response = _login(client, username, "wrong", **kw)
        assert response.status_code == 200


# Every login form ------------------------------------------------------------------------
def test_admin_login_is_throttled_too(client, staff):
    _fail(client, "root", settings.LOGIN_MAX_FAILURES, url="/admin/login/")
    response = _login(client, "root", PASSWORD, url="/admin/login/")
    assert response.status_code == 200 and LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_on_either_form_count_together(client, staff):
    _fail(client, "root", 3, url="/admin/login/")
    _fail(client, "root", settings.LOGIN_MAX_FAILURES - 3)
    assert LOCKED in _login(client, "root", PASSWORD).content.decode()
    assert LOCKED in _login(client, "root", PASSWORD, url="/admin/login/").content.decode()


def test_the_throttle_lives_in_the_database_shared_by_every_server_process(client, officer):
    _fail(client, "officer", settings.LOGIN_MAX_FAILURES)
    cache.clear()  # a per-process cache would forget here; the database does not
    assert LoginFailure.objects.filter(username="officer").count() == settings.LOGIN_MAX_FAILURES
    assert LOCKED in _login(client, "officer", PASSWORD).content.decode()


# Per account and address, separately ------------------------------------------------------
def test_an_account_locked_from_one_address_still_signs_in_from_another(client, officer):
    _fail(client, "officer", settings.LOGIN_MAX_FAILURES, address="10.0.0.1")
    assert LOCKED in _login(client, "officer", PASSWORD, address="10.0.0.1").content.decode()
    assert _login(client, "officer", PASSWORD, address="10.0.0.2").status_code == 302


def test_a_spraying_address_locks_the_names_it_failed_but_not_the_others(client, officer):
    victim = get_user_model().objects.create_user("victim", password=PASSWORD)
    _fail(client, "victim", 1, address="10.0.3.3")
    for n in range(settings.LOGIN_MAX_FAILURES_PER_ADDRESS):
        _login(client, f"name{n}", "wrong", address="10.0.3.3")
    assert LOCKED in _login(client, victim.username, PASSWORD, address="10.0.3.3").content.decode()
    assert _login(client, "officer", PASSWORD, address="10.0.3.3").status_code == 302


def test_a_known_browser_is_not_locked_by_someone_elses_guesses_behind_the_same_nat(client, officer):
    from django.test import Client

    assert _login(client, "officer", PASSWORD, address="10.0.4.4").status_code == 302
    assert DEVICE_COOKIE in client.cookies
    _logout(client)
    attacker = Client()
    _fail(attacker, "officer", settings.LOGIN_MAX_FAILURES * 3, address="10.0.4.4")
    assert LOCKED in _login(attacker, "officer", PASSWORD, address="10.0.4.4").content.decode()
    # The real user's browser, same address, still gets in.
    assert _login(client, "officer", PASSWORD, address="10.0.4.4").status_code == 302


def test_a_known_browser_is_locked_by_its_own_failures(client, officer):
    assert _login(client, "officer", PASSWORD).status_code == 302
    _logout(client)
    _fail(client, "officer", settings.LOGIN_MAX_FAILURES)
    assert LOCKED in _login(client, "officer", PASSWORD).content.decode()


def test_a_forged_device_cookie_counts_for_nothing(client, officer):
    _fail(client, "officer", settings.LOGIN_MAX_FAILURES)
    client.cookies[DEVICE_COOKIE] = "forged"
    assert LOCKED in _login(client, "officer", PASSWORD).content.decode()


def test_success_clears_the_failures_of_that_name_from_that_address(client, officer):
    _fail(client, "officer", settings.LOGIN_MAX_FAILURES - 1)
    assert _login(client, "officer", PASSWORD).status_code == 302
    client.logout()
    _fail(client, "officer", settings.LOGIN_MAX_FAILURES - 1)
    assert _login(client, "officer", PASSWORD).status_code == 302


def test_an_administrator_lifts_a_lock(client, officer, staff):
    _fail(client, "officer", settings.LOGIN_MAX_FAILURES)
    client.force_login(staff)
    changelist = client.get("/admin/auth/user/")
    assert changelist.status_code == 200 and "登录锁定" in changelist.content.decode()
    response = client.post(
        "/admin/auth/user/", {"action": "unlock_login", "_selected_action": [officer.pk]}, follow=True
    )
    assert "已解除" in response.content.decode()
    client.logout()
    assert _login(client, "officer", PASSWORD).status_code == 302
    assert AuditLog.objects.filter(verb="解除登录锁定", object_id=str(officer.pk)).exists()


# The client address -----------------------------------------------------------------------
def test_forwarded_for_is_believed_only_from_a_trusted_proxy():
    proxies = parse_networks(["10.9.0.1", "10.8.0.0/16"])
    assert forwarded_client("10.9.0.1", "203.0.113.7", proxies) == "203.0.113.7"
    # The client wrote the left entry itself; our proxies appended the right ones.
    assert forwarded_client("10.9.0.1", "1.1.1.1, 203.0.113.7, 10.8.3.3", proxies) == "203.0.113.7"
    assert forwarded_client("198.51.100.9", "203.0.113.7", proxies) == "198.51.100.9"
    assert forwarded_client("10.9.0.1", "not-an-address", proxies) == "10.9.0.1"


def test_login_failures_are_counted_by_the_address_behind_the_proxy(client, officer, settings):
    settings.TRUSTED_PROXIES = ["10.9.0.1"]
    _fail(
        client, "officer", settings.LOGIN_MAX_FAILURES, address="10.9.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    assert set(LoginFailure.objects.values_list("address", flat=True)) == {"203.0.113.7"}
    # Another client behind the same proxy is not locked.
    ok = _login(client, "officer", PASSWORD, address="10.9.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert ok.status_code == 302


def test_a_client_cannot_pick_its_address_with_a_forged_header(client, officer, settings):
    settings.TRUSTED_PROXIES = ["10.9.0.1"]
    for n in range(settings.LOGIN_MAX_FAILURES):
        _login(client, "officer", "wrong", address="198.51.100.9", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}")
    assert set(LoginFailure.objects.values_list("address", flat=True)) == {"198.51.100.9"}
    assert LOCKED in _login(client, "officer", PASSWORD, address="198.51.100.9").content.decode()


# Accounts in the audit log ----------------------------------------------------------------
def test_logins_are_audited_with_their_address(client, officer):
    _login(client, "officer", "wrong", address="10.0.5.5")
    _login(client, "nobody", "wrong", address="10.0.5.5")
    _login(client, "officer", PASSWORD, address="10.0.5.6")
    failed = AuditLog.objects.filter(verb="登录失败").order_by("id")
    assert [(e.object_repr, e.changes["地址"]) for e in failed] == [
        ("officer", "10.0.5.5"),
        ("nobody", "10.0.5.5"),
    ]
    success = AuditLog.objects.get(verb="登录成功")
    assert success.actor == officer and success.changes["地址"] == "10.0.5.6"


def test_a_refused_attempt_while_locked_is_audited_as_such(client, officer):
    _fail(client, "officer", settings.LOGIN_MAX_FAILURES)
    _login(client, "officer", PASSWORD)
    assert AuditLog.objects.filter(verb="登录被拒（已锁定）", object_id=str(officer.pk)).count() == 1


def test_signing_in_does_not_throw_away_the_derived_caches(client, officer):
    from dangjian.core.audit import ledger_version

    before = ledger_version()
    _login(client, "officer", PASSWORD)
    assert ledger_version() == before


def test_users_change_their_own_password_from_the_header(client, officer):
    client.force_login(officer)
    home = client.get("/").content.decode()
    assert 'href="/password/"' in home and "修改密码" in home
    wrong = client.post("/password/", {"old_password": "nope", "new_password1": "x", "new_password2": "x"})
    assert wrong.status_code == 200 and "has-error" in wrong.content.decode()
    new = "another-long-passphrase-7"
    response = client.post(
        "/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password(new)
    entry = AuditLog.objects.get(verb="修改密码")
    assert entry.actor == officer and "password" not in entry.changes


def test_an_administrator_resets_a_password_and_it_is_audited(client, officer, staff):
    client.force_login(staff)
    new = "reset-by-the-administrator-9"
    response = client.post(
        f"/admin/auth/user/{officer.pk}/password/",
        {"password1": new, "password2": new, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    officer.refresh_from_db()
    assert officer.check_password(new)
    entry = AuditLog.objects.get(verb="重置密码")
    assert entry.actor == staff and entry.object_id == str(officer.pk)


def test_deactivation_and_reactivation_are_audited_and_stop_logins(client, officer, staff):
    client.force_login(staff)
    client.post("/admin/auth/user/", {"action": "deactivate", "_selected_action": [officer.pk]})
    officer.refresh_from_db()
    assert not officer.is_active
    assert AuditLog.objects.filter(verb="停用账号", actor=staff, object_id=str(officer.pk)).exists()
    client.logout()
    assert _login(client, "officer", PASSWORD).status_code == 200
    client.force_login(staff)
    client.post("/admin/auth/user/", {"action": "reactivate", "_selected_action": [officer.pk]})
    officer.refresh_from_db()
    assert officer.is_active
    assert AuditLog.objects.filter(verb="启用账号", object_id=str(officer.pk)).exists()


def test_superuser_grants_and_role_changes_are_audited(officer, staff, bureau):
    from dangjian.core.audit import acting

    with acting(staff):
        officer.is_superuser = True
        officer.save()
        role = Role.objects.create(user=officer, kind="org_officer", organization=bureau.branch_1)
        role.kind = "agency_officer"
        role.organization = bureau.organ_committee
        role.save()
    grant = AuditLog.objects.get(verb__contains="授予超级管理员")
    assert grant.actor == staff and grant.changes["is_superuser"] == [False, True]
    change = AuditLog.objects.filter(content_type__model="role", action="update").get()
    assert change.changes["kind"] == ["org_officer", "agency_officer"]


def test_a_login_records_no_password_anywhere(client, officer):
    _login(client, "officer", "my-secret-guess")
    assert not AuditLog.objects.filter(changes__icontains="my-secret-guess").exists()
    assert list(LoginFailure.objects.values_list("username", "address")) == [("officer", "10.0.0.1")]
