"""Template context for the page shell: the user's scope and the navigation."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from dangjian.core.home import nav_items
from dangjian.core.scope import get_scope


def shell(request: HttpRequest) -> dict[str, Any]:
    # No user on the request (an error page before authentication) is nobody, not the system.
    scope = get_scope(getattr(request, "user", None) or AnonymousUser())
    found: dict[str, Any] = {"scope": scope, "nav_items": nav_items(scope), "unread_notifications": 0}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from dangjian.core.notify import unread_count

        found["unread_notifications"] = unread_count(user)
    return found
