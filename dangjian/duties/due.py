"""What falls due in the responsibility system, for the agenda (home to-do list, warnings, digest).

- the 党组 hears branch reports at least N times a quarter (``report_hearing`` activities held
  by the 党组): a quarter that ended without one is overdue, the running one is due at its end;
- leadership members and branch secretaries (their current posts) sign the year's
  responsibility letter by the configured day;
- open responsibility-list items past or near their deadline.

Each item cites the unit's rule with its configured value (conf.py): RULES.md sets none of these.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.urls import reverse

from dangjian.core.agenda import DueItem
from dangjian.core.period import Period
from dangjian.core.scope import get_scope, restrict
from dangjian.duties import conf
from dangjian.duties.choices import OPEN_ITEM_STATUSES, LetterKind
from dangjian.orgs.choices import OrgKind, PostKind

HEARING_TYPE = "report_hearing"
LEADERSHIP_POSTS = (PostKind.SECRETARY, PostKind.DEPUTY_SECRETARY, PostKind.LEADING_GROUP_MEMBER)
SECRETARY_ORG_KINDS = (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH)


@dataclass(frozen=True)
class QuarterHearings:
    """One 党组's hearings in one quarter."""

    org: Any
    quarter: Period
    count: int
    required: int

    @property
    def short(self) -> bool:
        return self.count < self.required


def hearing_quarters(orgs: list[Any], year: int, on: datetime.date) -> list[QuarterHearings]:
    """Each 党组's hearings per quarter of ``year`` begun by ``on`` (one grouped query)."""
    from dangjian.activities.models import Activity

    quarters = [q for q in Period.year(year).slots("quarter") if q.start <= on]
    if not orgs or not quarters:
        return []
    # Hearings are a handful a quarter: the ids and days, counted here per quarter.
    held = set(
        Activity.objects.held()
        .within(quarters[0].start, quarters[-1].end)
        .filter(organization__in=[o.pk for o in orgs], credits__activity_type__code=HEARING_TYPE)
        .values_list("pk", "organization_id", "held_on")
    )
    counts: dict[tuple[int, int], int] = {}
    for _pk, org_id, day in held:
        key = (org_id, (day.month - 1) // 3)
        counts[key] = counts.get(key, 0) + 1
    required = conf.hearings_per_quarter()
    return [
        QuarterHearings(org, q, counts.get((org.pk, i), 0), required)
        for org in orgs
        for i, q in enumerate(quarters)
    ]


def leading_groups(user: Any) -> list[Any]:
    from dangjian.orgs.models import Organization

    return list(restrict(Organization.objects.filter(kind=OrgKind.LEADING_GROUP), user).active())


def hearing_due(user: Any, on: datetime.date, until: datetime.date) -> list[DueItem]:
    if not get_scope(user).is_officer:
        return []
    found = []
    url = reverse("duties:hearings")
    for row in hearing_quarters(leading_groups(user), on.year, on):
        if not row.short:
            continue
        overdue = row.quarter.end < on
        if not overdue and row.quarter.end > until:
            continue
        found.append(
            DueItem(
                kind="hearing",
                label="听取支部汇报",
                title=f"{row.quarter.label}听取党支部党建工作汇报{row.count}次（应不少于{row.required}次）",
                org_name=row.org.name,
                due_on=row.quarter.end,
                overdue=overdue,
                url=f"{url}?year={on.year}",
                basis=conf.hearing_basis(),
                level="danger" if overdue else "warn",
            )
        )
    return found


def obliged_posts(user: Any, on: datetime.date) -> Any:
    """Current posts whose holders must sign the year's responsibility letter: leadership members
    (党组 posts) and the secretaries of branches and general branches, inside ``user``'s reach."""
    from dangjian.members.models import Post

    posts = Post.objects.current(on).filter(
        Q(organization__kind=OrgKind.LEADING_GROUP, kind__in=LEADERSHIP_POSTS)
        | Q(organization__kind__in=SECRETARY_ORG_KINDS, kind=PostKind.SECRETARY)
    )
    return (
        restrict(posts, user).select_related("member", "organization").order_by("organization__path", "kind")
    )


def unsigned_posts(user: Any, year: int, on: datetime.date) -> list[Any]:
    """The obliged posts whose holder has signed no responsibility letter for ``year``."""
    from dangjian.duties.models import Letter

    signed = Letter.objects.filter(year=year, kind=LetterKind.RESPONSIBILITY).values("signer_id")
    seen: set[int] = set()
    out = []
    for post in obliged_posts(user, on).exclude(member_id__in=signed):
        if post.member_id not in seen:
            seen.add(post.member_id)
            out.append(post)
    return out


def letter_due(user: Any, on: datetime.date, until: datetime.date) -> list[DueItem]:
    scope = get_scope(user)
    if not scope.is_officer:
        return []
    deadline = conf.letter_deadline(on.year)
    if deadline > until:
        return []
    overdue = deadline < on
    url = reverse("duties:letters") + f"?year={on.year}&unsigned=1"
    return [
        DueItem(
            kind="letter",
            label="责任书签订",
            title=f"{post.member.name}（{post.organization.name}{post.get_kind_display()}）{'未' if overdue else '尚未'}签订{on.year}年度责任书",
            org_name=post.organization.name,
            due_on=deadline,
            overdue=overdue,
            url=url,
            basis=conf.letter_basis(on.year),
            level="danger" if overdue else "warn",
        )
        for post in unsigned_posts(user, on.year, on)
    ]


def open_items(user: Any, until: datetime.date) -> Any:
    """Open list items inside ``user``'s reach whose deadline falls by ``until``, most urgent first."""
    from dangjian.duties.models import ResponsibilityItem

    return restrict(
        ResponsibilityItem.objects.filter(status__in=OPEN_ITEM_STATUSES, deadline__lte=until), user
    ).order_by("deadline", "id")


def item_due(user: Any, on: datetime.date, until: datetime.date, limit: int | None = None) -> list[DueItem]:
    if not get_scope(user).is_officer:
        return []
    items = open_items(user, until).select_related("organization")
    if limit is not None:
        items = items[:limit]
    return [
        DueItem(
            kind="duty_item",
            label="责任清单",
            title=item.task + (f"（已退回{item.reopened_count}次）" if item.reopened_count else ""),
            org_name=item.organization.name,
            due_on=item.deadline,
            overdue=item.deadline < on,
            url=item.get_absolute_url(),
            basis=conf.ITEM_BASIS,
            level="danger" if item.deadline < on else "warn",
        )
        for item in items
    ]


SOURCES = (hearing_due, letter_due, item_due)


def duties_due(
    user: Any, on: datetime.date, until: datetime.date, limit: int | None = None
) -> tuple[list[DueItem], dict[str, int]]:
    """The most urgent ``limit`` of what is overdue or falls due by ``until`` (all without a
    limit), and how many there are of each label: a province has thousands of open list items,
    which are counted in the database rather than built one by one."""
    found = hearing_due(user, on, until) + letter_due(user, on, until) + item_due(user, on, until, limit)
    found.sort(key=lambda item: item.sort_key)
    counts: dict[str, int] = {}
    for item in found:
        if item.kind != "duty_item":
            counts[item.label] = counts.get(item.label, 0) + 1
    if get_scope(user).is_officer:
        items = open_items(user, until).count()
        if items:
            counts["责任清单"] = items
    return (found[:limit] if limit is not None else found), counts
