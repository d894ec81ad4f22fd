"""The roster's filters, shared by the list page and its Excel export so both give the same rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from dangjian.core.scope import get_in_scope
from dangjian.members.choices import ACTIVE_STATUSES, Education, Gender, MemberStatus
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization
from dangjian.orgs.options import OrgOptions, org_options

FILTER_KEYS = ("q", "org", "status", "education", "gender", "age")


@dataclass
class RosterFilter:
    """The filtered members plus what the page needs to show the filters' state."""

    members: QuerySet[Any]
    org: Organization | None
    status: str

    @property
    def ordered(self) -> QuerySet[Any]:
        # Sibling order as in the tree (a path sorts "/10/" before "/3/", so it cannot be the order).
        return self.members.order_by("organization__order", "organization__name", "name", "id")


def roster_org_options(user: Any, chosen: Organization | None) -> OrgOptions:
    """The organization filter of the roster (and of the lists that filter like it): active
    organizations, 党小组 included (the roster filters by cell), not the 党组, whose members are
    listed under their branches."""
    return org_options(
        user, chosen, eligible=Organization.objects.active().exclude(kind=OrgKind.LEADING_GROUP)
    )


def filter_roster(members: QuerySet[Any], params: Any, user: Any) -> RosterFilter:
    """Apply the list page's filters (org subtree or cell, status, text, education, gender, age band)."""
    org = None
    if params.get("org"):
        org = get_in_scope(Organization.objects.all(), user, pk=params["org"])
        # A cell's members belong to its branch; they are found by their cell, not by path.
        if org.kind == OrgKind.CELL:
            members = members.filter(cell=org)
        else:
            members = members.filter(organization__path__startswith=org.path)
    status = params.get("status", "")
    if status == "all":
        pass
    elif status in MemberStatus.values:
        members = members.filter(status=status)
    else:
        status = ""
        members = members.filter(status__in=ACTIVE_STATUSES)
    if params.get("q"):
        members = members.search(params["q"])
    if params.get("education") in Education.values:
        members = members.filter(education=params["education"])
    if params.get("gender") in Gender.values:
        members = members.filter(gender=params["gender"])
    if params.get("age"):
        members = members.in_age_band(params["age"])
    return RosterFilter(members, org, status)
