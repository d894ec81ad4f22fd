"""Accounts: argon2 hashing, throttled login, sessions that expire, login required everywhere."""

from __future__ import annotations

import importlib

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def officer(db):  # type: ignore[no-untyped-def]
    return get_user_model().objects.create_user("officer", password=PASSWORD)


def _post_login(client, username: str, password: str, address: str = "10.0.0.1"):  # type: ignore[no-untyped-def]
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_argon2_is_the_first_password_hasher():
    # The test suite swaps in a fast hasher; read the project's settings module itself.
    project = importlib.import_module("dangjian.settings")
    assert project.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_argon2_hashes_a_new_password(settings, officer):
    project = importlib.import_module("dangjian.settings")
    settings.PASSWORD_HASHERS = project.PASSWORD_HASHERS
    officer.set_password(PASSWORD)
    assert officer.password.startswith("argon2$")
    assert officer.check_password(PASSWORD)


def test_login_with_the_right_password_redirects_home(client, officer):
    response = _post_login(client, "officer", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"


def test_wrong_password_is_refused_in_chinese(client, officer):
    response = _post_login(client, "officer", "nope")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_login_is_throttled_after_max_failures_even_with_the_right_password(client, officer):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        assert _post_login(client, "officer", "wrong").status_code == 200
    response = _post_login(client, "officer", PASSWORD)
    assert response.status_code == 200
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_throttle_locks_an_account_guessed_from_many_addresses_at_the_higher_limit(client, officer):
    for n in range(settings.LOGIN_MAX_FAILURES_PER_ACCOUNT):
        _post_login(client, "OFFICER", "wrong", address=f"10.0.1.{n}")
    assert "登录失败次数过多" in _post_login(client, "officer", PASSWORD, address="10.9.9.9").content.decode()


def test_failures_for_made_up_names_do_not_lock_a_real_user_behind_the_same_address(client, officer):
    # The probe's finding: five guesses at invented names from an office NAT locked everyone there.
    for n in range(settings.LOGIN_MAX_FAILURES_PER_ADDRESS + 5):
        _post_login(client, f"guess{n}", "wrong", address="10.0.2.2")
    assert _post_login(client, "officer", PASSWORD, address="10.0.2.2").status_code == 302


def test_fewer_failures_than_the_limit_still_allow_login(client, officer):
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        _post_login(client, "officer", "wrong")
    assert _post_login(client, "officer", PASSWORD).status_code == 302


def test_throttle_lifts_after_the_lockout_window(client, officer):
    import datetime

    from dangjian.core.models import LoginFailure

    for _ in range(settings.LOGIN_MAX_FAILURES):
        _post_login(client, "officer", "wrong")
    assert "登录失败次数过多" in _post_login(client, "officer", PASSWORD).content.decode()
    window = datetime.timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS + 1)
    for failure in LoginFailure.objects.all():
        failure.at -= window  # what waiting out the window does
        failure.save()
    assert _post_login(client, "officer", PASSWORD).status_code == 302


def test_sessions_expire():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert 0 < settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_logged_in_session_ends_with_the_browser_and_within_the_cookie_age(client, officer):
    _post_login(client, "officer", PASSWORD)
    session = client.session
    assert session.get_expire_at_browser_close()
    assert session.get_expiry_age() <= settings.SESSION_COOKIE_AGE
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == ""


def test_pages_require_login(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.get("/login/").status_code == 200


def test_django_admin_is_for_system_administrators_only(client, personas, login):
    assert login(personas.admin).get("/admin/").status_code == 200
    client.logout()
    response = login(personas.agency_officer).get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
