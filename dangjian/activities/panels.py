"""Side panels on an activity's page, contributed by the apps beside activities.

Campaigns, rectification … link to activities but activities may not import them; each registers
``fn(activity, user) -> str | None`` (rendered HTML, or None when it has nothing to say about
this activity for this user) in its AppConfig.ready(), and the detail page shows them in order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

DetailPanel = Callable[[Any, Any], str | None]
_detail_panels: list[DetailPanel] = []


def register_detail_panel(fn: DetailPanel) -> DetailPanel:
    if fn not in _detail_panels:
        _detail_panels.append(fn)
    return fn


def detail_panels(activity: Any, user: Any) -> list[str]:
    """The rendered panels for ``activity`` as ``user`` sees it."""
    return [html for html in (fn(activity, user) for fn in _detail_panels) if html]
