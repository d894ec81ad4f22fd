"""Template filters for the report pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    if isinstance(mapping, dict):
        return mapping.get(key)
    return None


@register.filter
def figure_value(value: Any) -> str:
    """93.40 → 93.4; 6 → 6 (a saved figure's value as people write it)."""
    if isinstance(value, float | Decimal):
        text = f"{Decimal(str(value)).quantize(Decimal('0.1'))}"
        return text[:-2] if text.endswith(".0") else text
    return str(value)


@register.simple_tag
def title_lines(title: str, *keep: str) -> list[str]:
    """The title's lines as the .docx sets them (layout.break_title), for the preview."""
    from dangjian.reports.layout import break_title

    return break_title(title, keep=[k for k in keep if k])
