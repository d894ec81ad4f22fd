"""党建看板 in a real browser: every chart draws (a canvas each), without a script error, on a
desktop and on a phone."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_every_chart_draws_without_errors(live_server, browser, personas, bureau, browser_login, width):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # Script errors, and any of our static files missing (the browser's own favicon probe aside).
    page.on(
        "console",
        lambda msg: msg.type == "error" and "Failed to load" not in msg.text and errors.append(msg.text),
    )
    page.on("response", lambda r: "/static/" in r.url and r.status >= 400 and errors.append(r.url))
    browser_login(page, personas.agency_officer)
    page.goto(f"{live_server.url}/compliance/charts/?org={bureau.organ_committee.pk}")
    page.wait_for_selector("#chart-attendance canvas")
    for chart in ("attendance", "meetings", "dues", "pipeline", "warnings"):
        assert page.locator(f"#chart-{chart} .chart canvas").count() == 1, chart
        box = page.locator(f"#chart-{chart} .chart canvas").bounding_box()
        assert box and box["width"] > 200 and box["x"] + box["width"] <= width
    assert page.locator(".chart-wait").count() == 0
    # The table stands in for the picture: open it and follow a month to its records.
    page.click("#chart-attendance summary")
    page.click("#chart-attendance table a >> nth=0")
    page.wait_for_url("**/activities/?org=*&period=*")
    assert errors == []
    context.close()
