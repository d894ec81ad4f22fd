"""Pages people print: on paper they are the record alone, in colour, on the right sheet."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sheet_size(pdf: bytes) -> tuple[float, float]:
    box = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert box, "no page size in the PDF"
    return float(box.group(1)), float(box.group(2))


def test_heat_map_prints_landscape_in_colour_and_a_ledger_portrait(
    live_server, page, personas, bureau, browser_login
):  # type: ignore[no-untyped-def]
    browser_login(page, personas.agency_officer)
    page.goto(f"{live_server.url}/compliance/?org={bureau.organ_committee.pk}")
    page.emulate_media(media="print")
    assert not page.is_visible(".topbar") and not page.is_visible(".filters")
    square = page.locator(".hm .sq").first
    colour = square.evaluate("el => getComputedStyle(el).backgroundColor")
    adjust = square.evaluate(
        "el => getComputedStyle(el).printColorAdjust || getComputedStyle(el).webkitPrintColorAdjust"
    )
    assert colour != "rgba(0, 0, 0, 0)" and adjust == "exact"
    width, height = _sheet_size(page.pdf(prefer_css_page_size=True, print_background=True))
    assert width > height  # A4 landscape
    page.emulate_media(media="screen")

    page.goto(f"{live_server.url}/compliance/ledger/?org={bureau.branch_1.pk}")
    page.emulate_media(media="print")
    assert page.is_visible("#ledger") and not page.is_visible(".page-header")
    width, height = _sheet_size(page.pdf(prefer_css_page_size=True))
    assert width < height  # A4 portrait
