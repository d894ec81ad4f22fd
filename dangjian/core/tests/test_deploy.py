"""Deployment: `check --deploy` is clean with the documented production variables, and a strict
script policy (CSP) holds because no template runs inline script."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

REPO = Path(__file__).resolve().parents[3]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\s on[a-z]+\s*=", re.IGNORECASE)


def test_check_deploy_is_clean_with_the_production_variables(tmp_path):
    env = {
        **os.environ,
        "DANGJIAN_VAR_DIR": str(tmp_path),
        "DANGJIAN_SECRET_KEY": "x" * 20 + "-production-secret-key-0123456789",
        "DANGJIAN_HTTPS": "1",
        "DANGJIAN_ALLOWED_HOSTS": "dangjian.example.gov.cn",
        "DANGJIAN_DEBUG": "0",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the Playwright tests in this process
    result = subprocess.run(
        [sys.executable, "-m", "dangjian", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_script_policy_allows_only_our_own_files():
    policy = dict(
        part.strip().split(" ", 1) for part in settings.CONTENT_SECURITY_POLICY.split(";") if part.strip()
    )
    assert policy["script-src"] == "'self'"
    assert "'none'" in policy["object-src"] and "'none'" in policy["frame-ancestors"]


def test_no_template_has_inline_script_or_event_handlers():
    offenders = []
    for path in (REPO / "dangjian").rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER):
            offenders += [f"{path.relative_to(REPO)}: {m.group(0)[:60]}" for m in pattern.finditer(text)]
    assert offenders == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    ["home", "members:list", "orgs:tree", "activities:list", "activities:calendar", "reports:proofread"],
)
def test_pages_carry_the_policy_and_no_inline_script(personas, login, name):
    response = login(personas.admin).get(reverse(name))
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html) and not INLINE_HANDLER.search(html)


@pytest.mark.django_db
def test_the_login_page_carries_the_policy_too(client):
    assert "script-src 'self'" in client.get(reverse("login"))["Content-Security-Policy"]


@pytest.mark.django_db
def test_signed_in_pages_are_not_cached(client, django_user_model):
    user = django_user_model.objects.create_user("nostore", password="pw-nostore-123")
    client.force_login(user)
    response = client.get("/")
    assert response["Cache-Control"] == "no-store, private"


def test_the_var_directory_and_uploads_are_owner_only():
    assert settings.VAR_DIR.stat().st_mode & 0o077 == 0
    assert settings.FILE_UPLOAD_PERMISSIONS == 0o600
