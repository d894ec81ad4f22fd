"""Side panels on an activity's page from the ledgers above activities: "this visit is a leader's
liaison", "this meeting is the evidence of a list item", "problems found at this meeting"…

An app registers ``fn(activity, user) -> str | None`` (rendered HTML, or None when it has
nothing to say about this activity); activities never imports those apps.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.safestring import SafeString, mark_safe

DetailPanel = Callable[[Any, Any], "str | None"]
_panels: list[DetailPanel] = []


def register_detail_panel(fn: DetailPanel) -> DetailPanel:
    if fn not in _panels:
        _panels.append(fn)
    return fn


def detail_panels(activity: Any, user: Any) -> list[SafeString]:
    """The registered panels' HTML for ``activity`` as ``user`` sees it."""
    return [mark_safe(html) for fn in _panels if (html := fn(activity, user))]  # noqa: S308 - rendered templates
