"""The warning counts as named figures in metrics' catalogue (registered in AppConfig.ready()).

The home panel, the compliance dashboard and a report count warnings with ``warning_figures``
over the one list ``warnings.gather`` makes, so they cannot disagree about the same
organization, period and day. Warnings are judged on the day they are computed (as the
dashboard judges a past period: what is missing now); the evidence is the organizations the
warnings are about.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dangjian.core.dates import today
from dangjian.core.period import Period
from dangjian.metrics.figures import Figure

# key: (label, which warnings it counts)
WARNING_FIGURES: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "warnings.total": ("合规预警", lambda w: True),
    "warnings.danger": ("逾期预警", lambda w: w.level == "danger"),
    "warnings.warn": ("临期预警", lambda w: w.level == "warn"),
    "warnings.missing": ("未完成事项", lambda w: w.category == "org" and w.level == "danger"),
    "warnings.due_soon": ("临近期限事项", lambda w: w.category == "org" and w.level == "warn"),
    "warnings.members": ("党员与换届预警", lambda w: w.category != "org"),
}


def warning_figures(found: list[Any]) -> dict[str, Figure]:
    """The warning figures of a list of warnings."""
    figures = {}
    for key, (label, counts) in WARNING_FIGURES.items():
        mine = [w for w in found if counts(w)]
        org_ids = sorted({w.org_id for w in mine})
        figures[key] = Figure(key, label, len(mine), "条", "orgs.organization", org_ids)
    return figures


def warnings_family(org: Any, period: Period, user: Any = None) -> dict[str, Figure]:
    from dangjian.compliance.warnings import gather

    return warning_figures(gather(org, on=today(), user=user, period=period))


def register() -> None:
    from dangjian.metrics.registry import Family, register_family

    register_family(Family("warnings.", lambda: list(WARNING_FIGURES), compute=warnings_family))
