"""The organization filter of list pages: a ``<select>`` that stays small at province scale.

A province reaches 10,000 organizations; a select of them all made a list page megabytes long,
took most of its rendering time and could not be scrolled. ``org_options()`` offers at most
ORG_OPTIONS_MAX of the organizations in the user's reach: all of them when they fit (a bureau),
else the top of the reach and two levels below it (one level when two are too many); and around
the organization filtered on, its ancestors, itself and its children — so any organization is
reached by choosing down the tree, one level per query. Every read goes through the scope helper.

Templates render it with ``{% include "orgs/_org_select.html" with options=… %}``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from dangjian.core.scope import restrict
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization, tree_order

# At most this many options: a province has 10,000 organizations, a county bureau under 300.
ORG_OPTIONS_MAX = 300
# Levels listed below the top of the reach when they fit (province → city → county).
LEVELS = 2


@dataclass(frozen=True)
class OrgOptions:
    """A filter's organizations in tree order, each with ``indent`` (levels below the first
    listed); ``trimmed`` says some organizations in reach are not listed (the page says how to
    reach them)."""

    orgs: list[Organization]
    chosen: Organization | None = None
    trimmed: bool = False

    def __iter__(self) -> Iterator[Organization]:
        return iter(self.orgs)

    def __len__(self) -> int:
        return len(self.orgs)

    def __bool__(self) -> bool:
        return bool(self.orgs)

    @property
    def chosen_id(self) -> int | None:
        return self.chosen.pk if self.chosen is not None else None


def org_options(
    user: Any,
    chosen: Organization | None = None,
    *,
    eligible: QuerySet[Organization] | None = None,
    limit: int | None = None,
) -> OrgOptions:
    """The organizations a list filter offers ``user``: those of ``eligible`` (all but 党小组 when
    not given) in the user's reach, at most ``limit`` of them (ORG_OPTIONS_MAX, read at each call
    so a test can lower it; see the module's doc).

    ``chosen`` (the organization filtered on, already fetched through the scope helper) is always
    offered, when the user reaches it, even if it is not of an eligible kind: the select must show
    what the page is filtered on, or submitting the form again would silently drop the filter.
    """
    limit = ORG_OPTIONS_MAX if limit is None else limit
    base = eligible if eligible is not None else Organization.objects.exclude(kind=OrgKind.CELL)
    orgs = restrict(base, user)
    around, trimmed = _around(orgs, user, chosen, limit)
    levels, cut = _levels(orgs, max(limit - len(around), 0))
    known = {o.pk for o in around}
    found = tree_order([*around, *(o for o in levels if o.pk not in known)])
    top = min((o.depth for o in found), default=0)
    for org in found:
        org.indent = org.depth - top
    shown = {o.pk for o in found}
    return OrgOptions(
        found,
        chosen if chosen is not None and chosen.pk in shown else None,
        trimmed or cut,
    )


def _around(
    orgs: QuerySet[Organization], user: Any, chosen: Organization | None, limit: int
) -> tuple[list[Organization], bool]:
    """The chosen organization's eligible ancestors, itself and its children, all in reach; and
    whether some children were left out. The children take at most half of ``limit``, so the
    top levels stay offered; the ones left out are still seen by filtering on the chosen one,
    whose list holds its whole subtree."""
    if chosen is None:
        return [], False
    path = list(orgs.filter(pk__in=[*chosen.ancestor_ids, chosen.pk]))
    if all(o.pk != chosen.pk for o in path):
        # Not of an eligible kind (a 党小组 filtered on from a link): offered if in reach.
        path += restrict(Organization.objects.filter(pk=chosen.pk), user)
    wanted = min(limit // 2, max(limit - len(path), 0))
    children = list(orgs.filter(parent_id=chosen.pk).order_by("order", "name", "pk")[: wanted + 1])
    return path + children[:wanted], len(children) > wanted


def _levels(orgs: QuerySet[Organization], budget: int) -> tuple[list[Organization], bool]:
    """All of ``orgs`` when they fit in ``budget``; else the top and the levels below it that
    fit, LEVELS at most, or the first ``budget`` of the top level when even that is too many;
    and whether any organization of ``orgs`` was left out. One query."""
    # By depth first: the rows fetched hold every level whole up to the one the budget ran out in.
    rows = list(orgs.order_by("depth", "order", "name", "pk")[: budget + 1])
    if len(rows) <= budget:
        return rows, False
    top, cut = rows[0].depth, rows[-1].depth
    deepest = min(top + LEVELS, cut - 1)
    if deepest < top:
        return rows[:budget], True
    return [o for o in rows if o.depth <= deepest], True
