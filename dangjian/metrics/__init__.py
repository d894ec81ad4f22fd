"""Named, period-scoped figures over the ledgers: the single source of every number shown.

Public API (imported lazily so the app registry can load this package):
``Period`` (dangjian.core.period), ``get(key)``, ``compute(keys, org, period, user=None)``,
``keys()``; ``Figure`` and the figure functions live in ``dangjian.metrics.figures``.
"""

from __future__ import annotations

from typing import Any

from dangjian.core.period import Period, PeriodError

__all__ = ["Period", "PeriodError", "compute", "get", "keys"]


def get(key: str) -> Any:
    from dangjian.metrics import figures

    return figures.get(key)


def compute(keys: Any, org: Any, period: Any, user: Any = None) -> Any:
    from dangjian.metrics import figures

    return figures.compute(keys, org, period, user)


def keys() -> list[str]:
    from dangjian.metrics import figures

    return figures.keys()
