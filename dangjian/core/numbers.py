"""Figures for the pages of apps that sit below ``metrics``.

``metrics`` is the single source of every number shown (ARCHITECTURE.md), yet orgs, members,
activities, dues and recruitment sit below it and may not import it. So metrics registers its
readers here in ``AppConfig.ready()`` — the way apps register home panels in ``core.home`` — and
a page asks this module: it gets the very ``Figure`` objects a report or the compliance page gets
for the same organization, period and user, so the home page, an organization's page and a
report never disagree about the same day.

- ``in_reach(keys, period, user)``: figures over everything the user reaches (home panels);
- ``compute(keys, org, period, user)``: figures over one organization's subtree;
- ``per_org(keys, period, user, orgs=None)``: the values of some figures for every organization
  of the user's reach (or of ``orgs``) in a few queries, each equal to ``compute`` for that
  organization (the tree's head counts, the dues overview's table);
- ``values_each([(keys, org, period), …], user)``: the values of each request's figures, each
  equal to ``compute``'s, read together where metrics can (a list of campaigns, each over its
  own organization and span).

Keys are the metrics catalogue's ("members.active", "dues.paid" …; ``metrics.keys()`` lists
them). ``on_day(day)`` is the period of a single day, for figures "as of" it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from dangjian.core.dates import today
from dangjian.core.period import Period
from dangjian.core.scope import Reach, get_scope


@dataclass(frozen=True)
class Source:
    """The readers metrics registers."""

    compute: Callable[..., dict[str, Any]]
    in_reach: Callable[..., dict[str, Any]]
    per_org: Callable[..., dict[int, dict[str, Any]]]
    values_each: Callable[..., list[dict[str, Any]]]


_source: Source | None = None


def provide(source: Source) -> None:
    global _source
    _source = source


def _get() -> Source:
    if _source is None:
        raise ImproperlyConfigured("统计指标（dangjian.metrics）未安装，页面上的数字无从读取。")
    return _source


def compute(keys: Iterable[str], org: Any, period: Period | str, user: Any = None) -> dict[str, Any]:
    return _get().compute(list(keys), org, period, user)


def in_reach(keys: Iterable[str], period: Period | str, user: Any) -> dict[str, Any]:
    return _get().in_reach(list(keys), period, user)


def per_org(
    keys: Iterable[str], period: Period | str, user: Any, orgs: Iterable[Any] | None = None
) -> dict[int, dict[str, Any]]:
    return _get().per_org(list(keys), period, user, orgs)


def values_each(
    requests: Iterable[tuple[Iterable[str], Any, Period]], user: Any = None
) -> list[dict[str, Any]]:
    return _get().values_each(list(requests), user)


def on_day(day: datetime.date | None = None) -> Period:
    """The period of one day (today by default): figures "as of" that day."""
    day = day or today()
    return Period.between(day, day)


@dataclass(frozen=True)
class _OwnRecords:
    """A stand-in for a user, reaching only their own member record (see ``own_records``)."""

    _dangjian_scope: Any
    is_authenticated: bool = True
    pk: Any = None


def own_records(user: Any) -> Any:
    """``user`` narrowed to their own member record, for "my …" panels: an officer who is also
    a member sees their own attendance there, not their branch's."""
    scope = get_scope(user)
    reach = Reach.SELF if scope.member_id else Reach.NONE
    own = replace(scope, reach=reach, org_id=None, org_path=None, is_system=False)
    return _OwnRecords(own, pk=getattr(user, "pk", None))
