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

from dangjian.core.audit import ledger_version
from dangjian.core.dates import today

T = TypeVar("T")

# Scopes × pages × periods in use at one ledger version; past it, compute without keeping.
MAX_ENTRIES = 2000

_lock = threading.Lock()
_entries: dict[Hashable, Any] = {}
_version: list[Any] = [None]


def derived(name: str, scope: Any, parts: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, or what it returned for the same scope, day and parts at this ledger version.

    ``scope`` is the ``core.scope.Scope`` the result was limited by (its ``cache_key`` holds
    every field, so a result is never handed to a user whose reach differs in any way); ``parts``
    is everything else the result depends on (period, keys …). The result is shared between
    requests: callers must not change it.
    """
    version = ledger_version()
    key = (name, scope.cache_key, today(), parts)
    with _lock:
        if _version[0] != version:
            _entries.clear()
            _version[0] = version
        if key in _entries:
            return _entries[key]
    value = compute()
    with _lock:
        if _version[0] == version and len(_entries) < MAX_ENTRIES:
            _entries[key] = value
    return value


def clear() -> None:
    """Forget every derived result (tests)."""
    with _lock:
        _entries.clear()
        _version[0] = None
