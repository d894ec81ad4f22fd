"""The "two officers" (两员): each branch's current 纪检委员 or 纪检联络员, read from its posts."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from dangjian.core.agenda import DueItem
from dangjian.core.scope import get_scope, restrict
from dangjian.integrity import conf
from dangjian.orgs.choices import OrgKind, PostKind

TWO_OFFICER_POSTS = (PostKind.DISCIPLINE, PostKind.DISCIPLINE_LIAISON)
BRANCH_KINDS = (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH)


def branch_officers(user: Any, on: datetime.date, org: Any = None) -> list[tuple[Any, list[Any]]]:
    """(branch, its current 两员 posts) for every active branch in ``user``'s reach (two queries)."""
    from dangjian.members.models import Post
    from dangjian.orgs.models import Organization

    branches = restrict(Organization.objects.active(on).filter(kind__in=BRANCH_KINDS), user).order_by(
        "order", "name"
    )
    if org is not None:
        branches = branches.filter(path__startswith=org.path)
    branches = list(branches)
    posts: dict[int, list[Any]] = {}
    for post in (
        Post.objects.current(on)
        .filter(kind__in=TWO_OFFICER_POSTS, organization__in=[b.pk for b in branches])
        .select_related("member")
        .order_by("started_on")
    ):
        posts.setdefault(post.organization_id, []).append(post)
    return [(b, posts.get(b.pk, [])) for b in branches]


def missing_due(user: Any, on: datetime.date, until: datetime.date) -> list[DueItem]:
    """A branch with neither a 纪检委员 nor a 纪检联络员 (from the configured date on)."""
    if not get_scope(user).is_officer or on < conf.two_officers_since():
        return []
    url = reverse("integrity:overview")
    return [
        DueItem(
            kind="two_officers",
            label="纪检委员/联络员",
            title="未配备纪检委员或纪检联络员",
            org_name=branch.name,
            due_on=conf.two_officers_since(),
            overdue=True,
            url=url + f"#branch-{branch.pk}",
            basis=conf.two_officers_basis(),
            level="danger",
        )
        for branch in branches_without(user, on)
    ]


def branches_without(user: Any, on: datetime.date) -> list[Any]:
    """Active branches in ``user``'s reach with neither officer on ``on`` (one query)."""
    from dangjian.members.models import Post
    from dangjian.orgs.models import Organization

    staffed = Post.objects.current(on).filter(kind__in=TWO_OFFICER_POSTS).values("organization_id")
    branches = Organization.objects.active(on).filter(kind__in=BRANCH_KINDS).exclude(pk__in=staffed)
    return list(restrict(branches, user).order_by("order", "name"))
