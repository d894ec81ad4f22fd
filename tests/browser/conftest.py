"""Browser tests: Playwright's sync API driving Debian's chromium against pytest-django's live_server.

Playwright never downloads a browser here; /usr/bin/chromium comes from Debian
(`scripts/ensure-browser.sh`). If it is missing the tests FAIL — a skipped browser test would
hide a broken UI.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by fixtures
# alongside it would otherwise be refused as "async unsafe".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# The browser is a user in Beijing, as the site's TIME_ZONE is, whatever the machine's zone (UTC on CI).
USER_IN_BEIJING = {"locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"浏览器测试需要 Debian 的 chromium（{CHROMIUM} 不存在）。请以 root 运行 scripts/ensure-browser.sh "
            "或 apt-get install -y chromium fonts-noto-cjk 后重试。",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Generous: on a CI machine running two test workers and a live server each, a PDF render or a
# first page build has taken longer than 10 s; a real fault still fails, only later.
ACTION_TIMEOUT_MS = 30_000


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, **USER_IN_BEIJING)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, **USER_IN_BEIJING)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def browser_login(live_server: Any) -> Any:
    """``browser_login(page, user)`` signs in through the login form (personas' password is pw-<username>)."""

    def _login(page: Any, user: Any, password: str | None = None) -> Any:
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password or f"pw-{user.username}")
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    return _login
