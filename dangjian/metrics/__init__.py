"""Named, period-scoped figures over the ledgers: the single source of every number shown.

Public API (imported lazily so the app registry can load this package):
``Period`` (dangjian.core.period), ``get(key)``, ``compute(keys, org, period, user=None)``,
``compute_in_reach(keys, period, user)``, ``keys()``. The package is laid out as:
``base`` (the reads over the ledgers), ``figures`` (``Figure`` and the named figures, by
ledger), ``registry`` (the catalogue behind ``get``/``compute``/``keys``) and ``grids`` (the
per-organization reads the compliance evaluator and the organization pages use).
"""

from __future__ import annotations

from typing import Any

from dangjian.core.period import Period, PeriodError

__all__ = ["Period", "PeriodError", "compute", "compute_in_reach", "get", "keys"]


def get(key: str) -> Any:
    from dangjian.metrics import registry

    return registry.get(key)


def compute(keys: Any, org: Any, period: Any, user: Any = None) -> Any:
    from dangjian.metrics import registry

    return registry.compute(keys, org, period, user)


def compute_in_reach(keys: Any, period: Any, user: Any) -> Any:
    from dangjian.metrics import registry

    return registry.compute_in_reach(keys, period, user)


def keys() -> list[str]:
    from dangjian.metrics import registry

    return registry.keys()
