"""Every page a role opens fits a 390 px phone: the page itself never scrolls sideways.

The pages are enumerated from urls.py exactly as the access matrix does (tests/access_world.py
builds a record of every kind, so every detail page opens with a real id). A wide table may
scroll inside its own container; the document may not. One browser, one context per role.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.access_world import build_world
from tests.test_access_matrix import ROUTES, _expected, _url, _variants

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["member", "own_secretary", "discipline", "agency_officer", "admin"]
PHONE = {"width": 390, "height": 844}

# How far the page is wider than the screen, and the widest elements that stick out (to name
# the culprit in a failure, not just the page).
OVERFLOW_JS = """() => {
  const de = document.documentElement;
  const out = [];
  if (de.scrollWidth > de.clientWidth) {
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right > de.clientWidth + 1 && r.width > 0) {
        let inScroller = false;
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
          const s = getComputedStyle(p).overflowX;
          if (s === 'auto' || s === 'scroll' || s === 'hidden') { inScroller = true; break; }
        }
        if (!inScroller) out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
          (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '') +
          ' ' + Math.round(r.right) + 'px');
      }
      if (out.length >= 3) break;
    }
  }
  return {scroll: de.scrollWidth, client: de.clientWidth, out: out};
}"""


def phone_pages(world: Any, persona: str) -> list[str]:
    """The URLs ``persona`` opens and gets a page for: every GET route, with a record they reach."""
    urls = []
    for route in ROUTES:
        from dangjian.core.scope import Audience, get_access

        declared = get_access(route.view)
        if declared is None or declared.download or declared.post_only:
            continue
        if declared.audience == Audience.PUBLIC:
            continue
        for where, _label in _variants(route, declared):
            if where == "outside":
                continue
            if _expected(declared, world, persona, where, "GET") == "ok":
                urls.append(_url(route, declared, world, where))
                break
    return urls


def test_every_page_fits_a_phone_for_every_role(live_server, browser) -> None:  # type: ignore[no-untyped-def]
    from conftest import build_bureau

    world = build_world(build_bureau())
    world.put_files()
    problems: list[str] = []
    checked = 0
    for persona in ROLES:
        client = Client()
        client.force_login(world.users[persona])
        context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
        context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        for url in phone_pages(world, persona):
            response = page.goto(live_server.url + url, wait_until="load")
            if response is None or "text/html" not in (response.headers.get("content-type") or ""):
                continue
            checked += 1
            result = page.evaluate(OVERFLOW_JS)
            if result["scroll"] > result["client"]:
                problems.append(
                    f"{persona} {url}: {result['scroll']}px wide on a {result['client']}px screen "
                    f"({'; '.join(result['out'])})"
                )
        if persona == "own_secretary":
            # The attendance grid: all three buttons of every member on screen, not in a scroller.
            page.goto(live_server.url + world.inside["activities.Activity"].get_absolute_url() + "record/")
            for box in page.locator("#attendance .seg span").all():
                right = box.bounding_box()
                assert right and right["x"] + right["width"] <= PHONE["width"], "出勤按钮超出屏幕"
            # The measurement itself can see a page that is too wide.
            page.evaluate(
                "() => { const d = document.createElement('div'); d.style.width = '600px';"
                " d.style.height = '1px'; document.querySelector('main').appendChild(d); }"
            )
            assert page.evaluate(OVERFLOW_JS)["scroll"] > PHONE["width"]
        context.close()
    assert checked > 100, f"only {checked} pages were checked"
    assert problems == [], f"{len(problems)} pages scroll sideways at 390 px:\n" + "\n".join(problems)


def test_phone_menu_opens_from_its_button_and_every_item_is_on_screen(
    live_server, phone_page, personas, bureau, browser_login
) -> None:  # type: ignore[no-untyped-def]
    browser_login(phone_page, personas.agency_officer)
    assert not phone_page.is_visible("nav.mainnav")
    phone_page.click(".menu-toggle")
    assert phone_page.get_attribute(".menu-toggle", "aria-expanded") == "true"
    links = phone_page.locator("nav.mainnav a").all()
    assert len(links) > 5
    for link in links:
        box = link.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, link.inner_text()
    assert phone_page.is_visible(".userbox >> text=退出")
    phone_page.click("nav.mainnav >> text=组织生活")
    phone_page.wait_for_url("**/activities/")
    assert not phone_page.is_visible("nav.mainnav")
