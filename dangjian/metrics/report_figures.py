"""Figures that report genres ask for beyond the dashboard's: elections held, participants by type.

Registered into the same registry as every other figure, so reports still read only metrics.
"""

from __future__ import annotations

from typing import Any

from dangjian.metrics import figures
from dangjian.metrics.figures import Figure, member_attendances, scoped
from dangjian.metrics.period import Period


def terms_renewed(org: Any, period: Period, user: Any = None) -> Figure:
    """Committees elected (换届) within the period in the subtree."""
    from dangjian.orgs.models import Term

    qs = Term.objects.filter(
        organization__path__startswith=org.path, elected_on__gte=period.start, elected_on__lte=period.end
    )
    ids = sorted(scoped(qs, user).values_list("pk", flat=True))
    return Figure("terms.renewed", "完成换届选举", len(ids), "个", "orgs.term", ids)


def participants(code: str, org: Any, period: Period, user: Any = None) -> Figure:
    """Members present (人次) at held activities counting as type ``code``."""
    from dangjian.activities.choices import AttendanceStatus

    ids = sorted(
        member_attendances(org, period, user)
        .filter(status=AttendanceStatus.PRESENT, activity__credits__activity_type__code=code)
        .values_list("pk", flat=True)
        .distinct()
    )
    label = figures.activity_type_labels().get(code, code)
    return Figure(f"participants.{code}", f"{label}参加党员", len(ids), "人次", "activities.attendance", ids)


figures.REGISTRY.setdefault("terms.renewed", terms_renewed)
_original_get = figures.get


def _get(key: str) -> Any:
    if key.startswith("participants."):
        code = key.removeprefix("participants.")
        return lambda org, period, user=None: participants(code, org, period, user)
    return _original_get(key)


if figures.get is not _get and getattr(figures.get, "__name__", "") != "_get":
    figures.get = _get
