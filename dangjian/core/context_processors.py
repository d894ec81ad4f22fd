"""Template context for the page shell: the user's scope and the navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dangjian.core.home import nav_items
from dangjian.core.scope import get_scope


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    scope = get_scope(user)
    return {"scope": scope, "nav_items": nav_items(scope)}
