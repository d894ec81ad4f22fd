"""Derived data (figures, dashboards) kept in the server process until the ledger changes.

Pages read the same figures over and over while nobody records anything: the home page's
panels, the compliance matrix, the dues month. ``derived(name, scope, parts, compute)`` runs
``compute`` once per (name, the scope's every field, today, parts) and ledger version, and hands
the same result to the next request until any audited record changes (``audit.ledger_version``,
read from the shared cache on every call, so a write made in another server process counts).

The results live in this process's memory, not the shared cache: they are read far more often
than written, and unpickling a file costs about as much as some of the figures it would hold.
Every entry is dropped as soon as the version moves, so memory holds one version's worth.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.http import HttpRequest
from django.utils.safestring import SafeString

from dangjian.core.audit import ledger_version
from dangjian.core.dates import today

T = TypeVar("T")

# Scopes × pages × periods in use at one ledger version; past it, compute without keeping.
MAX_ENTRIES = 2000
# Rendered page parts (tens of KB each, keyed by free query strings too) kept at one version.
MAX_RENDERED = 300

_lock = threading.Lock()
_entries: dict[Hashable, Any] = {}
_version: list[Any] = [None]
_rendered: list[int] = [0]


def derived(name: str, scope: Any, parts: Hashable, compute: Callable[[], T], *, rendered: bool = False) -> T:
    """``compute()``, or what it returned for the same scope, day and parts at this ledger version.

    ``scope`` is the ``core.scope.Scope`` the result was limited by (its ``cache_key`` holds
    every field, so a result is never handed to a user whose reach differs in any way); ``parts``
    is everything else the result depends on (period, keys …). The result is shared between
    requests: callers must not change it. ``rendered`` marks HTML (see ``rendered_part``), of
    which fewer are kept.
    """
    version = ledger_version()
    key = (name, scope.cache_key, today(), parts)
    with _lock:
        if _version[0] != version:
            _entries.clear()
            _rendered[0] = 0
            _version[0] = version
        if key in _entries:
            return _entries[key]
    value = compute()
    with _lock:
        if _version[0] == version and len(_entries) < MAX_ENTRIES:
            if not rendered:
                _entries[key] = value
            elif _rendered[0] < MAX_RENDERED:
                _entries[key] = value
                _rendered[0] += 1
    return value


def rendered_part(
    name: str,
    request: HttpRequest,
    template: str,
    context: Callable[[], dict[str, Any]],
    *,
    parts: Hashable = (),
) -> SafeString:
    """``template`` rendered with ``context()``, once per scope, page address, day and ledger version.

    For the body of a list page read again and again (花名册, 组织生活 …): building the rows and
    rendering them is most of the page's CPU, and the result depends only on who reads it (the
    scope), what they asked for (the path and query string), the day and the ledger. The part
    must hold nothing else: no CSRF token, no nonce, no messages, no per-user state beyond the
    scope unless ``parts`` names it (e.g. the user's id); the page's shell around it (menus,
    messages, tokens) is rendered every time.
    """
    from django.template.loader import render_to_string

    from dangjian.core.scope import get_scope

    query = tuple(sorted((key, tuple(values)) for key, values in request.GET.lists()))
    return derived(
        name,
        get_scope(request.user),
        (request.path, query, parts),
        lambda: render_to_string(template, context(), request),
        rendered=True,
    )


def clear() -> None:
    """Forget every derived result (tests)."""
    with _lock:
        _entries.clear()
        _rendered[0] = 0
        _version[0] = None
