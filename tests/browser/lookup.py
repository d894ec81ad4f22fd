"""Filling a search field (core.lookup) in a browser test, as a person would."""

from __future__ import annotations

from typing import Any


def pick(page: Any, field: str, name: str) -> None:
    """Type ``name`` into form field ``field``'s search box, then tick the match of that exact
    name (a record already chosen is listed first, so picking it again keeps it)."""
    page.fill(f"#id_{field}", name)
    found = page.locator(f"#id_{field}_found label").filter(has=page.get_by_text(name, exact=True))
    found.first.locator("input").check()
