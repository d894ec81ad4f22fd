"""DANGJIAN_EMAIL_URL → Django's e-mail settings; a bad value fails at start-up."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from dangjian.core.env import email_settings


def test_smtp_url_with_credentials_uses_starttls() -> None:
    found = email_settings("smtp://notice%40example.cn:p%40ss@mail.example.cn:587")
    assert found["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
    assert (found["EMAIL_HOST"], found["EMAIL_PORT"]) == ("mail.example.cn", 587)
    assert (found["EMAIL_HOST_USER"], found["EMAIL_HOST_PASSWORD"]) == ("notice@example.cn", "p@ss")
    assert found["EMAIL_USE_TLS"] and not found["EMAIL_USE_SSL"]


def test_smtps_and_plain_relay_and_console() -> None:
    assert email_settings("smtps://mail.example.cn")["EMAIL_PORT"] == 465
    assert email_settings("smtps://mail.example.cn")["EMAIL_USE_SSL"]
    relay = email_settings("smtp+plain://10.0.0.5")
    assert relay["EMAIL_PORT"] == 25 and not relay["EMAIL_USE_TLS"] and not relay["EMAIL_USE_SSL"]
    assert email_settings("console://")["EMAIL_BACKEND"].endswith("console.EmailBackend")
    assert email_settings("")["EMAIL_BACKEND"].endswith("dummy.EmailBackend")


@pytest.mark.parametrize("url", ["mail.example.cn", "http://mail.example.cn", "smtp://", "smtp://h:port"])
def test_a_bad_url_is_refused(url: str) -> None:
    with pytest.raises(ImproperlyConfigured):
        email_settings(url)
