"""Side panels on an activity's page, contributed by the apps above activities.

An app registers ``fn(activity, user) -> str | None`` in its AppConfig.ready(); the function
returns rendered HTML (already scoped to the user) or None when it has nothing to add, so a
meeting's page can show "findings raised at this meeting" without activities importing the app.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.safestring import SafeString, mark_safe

DetailPanel = Callable[[Any, Any], str | None]
_detail_panels: list[DetailPanel] = []


def register_detail_panel(fn: DetailPanel) -> DetailPanel:
    if fn not in _detail_panels:
        _detail_panels.append(fn)
    return fn


def detail_panels(activity: Any, user: Any) -> list[SafeString]:
    """The panels for ``activity`` as ``user`` sees it (each function renders through a template)."""
    return [mark_safe(html) for html in (fn(activity, user) for fn in _detail_panels) if html]  # noqa: S308
