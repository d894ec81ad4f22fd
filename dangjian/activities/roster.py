"""Who belongs to an activity's organization on a given day, and who of them may vote.

Pure predicates on ``Member`` rows (so the demo builder can apply them to members already in
memory) plus the queries the record form and ``do_record`` use.
"""

from __future__ import annotations

import datetime

from django.db.models import Q

from dangjian.members.choices import ACTIVE_STATUSES, MemberStatus
from dangjian.members.models import Member, Post
from dangjian.orgs.choices import OrgKind, PostKind
from dangjian.orgs.models import Organization


def member_active_on(member: Member, day: datetime.date) -> bool:
    """On the roll on ``day``: admitted by then, and not yet gone (transferred out, deceased …)."""
    if member.admission_date and member.admission_date > day:
        return False
    if member.status in ACTIVE_STATUSES:
        return True
    # Gone now; was still here if the status changed after that day.
    return member.status_since is not None and member.status_since > day


def member_votes_on(member: Member, day: datetime.date) -> bool:
    """Had a vote on ``day``: a full member by then (probationary members do not vote — 2020
    选举工作条例 Art 5), and not a mobile member from elsewhere (流动党员 cannot vote at the host branch)."""
    if member.is_mobile or not member_active_on(member, day):
        return False
    if member.confirmation_date is not None:
        return member.confirmation_date <= day
    return member.status == MemberStatus.FULL


COMMITTEE_MEETING = "committee_meeting"


def roster_q(
    org: Organization,
    cells: list[Organization] | None = None,
    day: datetime.date | None = None,
    type_code: str = "",
) -> Q:
    """Q over Member for the people whose attendance an activity of ``org`` records.

    A 支委会 takes the committee members (post holders) of the day; a branch (or general branch)
    takes its members and those of its sub-organizations; a cell takes its own members; a 党组
    or 机关党委 takes the members directly on its roll plus those holding one of its posts on the
    day (a 党组 meeting is attended by the 党组成员).
    """
    if type_code == COMMITTEE_MEETING and org.kind != OrgKind.CELL:
        posts = Post.objects.filter(organization=org).exclude(kind=PostKind.CELL_LEADER)
        if day is not None:
            posts = posts.current(on=day)
        return Q(pk__in=posts.values("member_id"))
    if cells:
        return Q(cell__in=cells)
    if org.kind == OrgKind.CELL:
        return Q(cell=org)
    if org.kind in (OrgKind.LEADING_GROUP, OrgKind.ORGAN_COMMITTEE):
        posts = Post.objects.filter(organization=org)
        if day is not None:
            posts = posts.current(on=day)
        return Q(organization=org) | Q(pk__in=posts.values("member_id"))
    return Q(organization__path__startswith=org.path)


def roster(
    org: Organization, day: datetime.date, cells: list[Organization] | None = None, type_code: str = ""
) -> list[Member]:
    """Members of ``org`` (or of the chosen cells, or its committee for a 支委会) on the roll on ``day``."""
    candidates = (
        Member.objects.filter(roster_q(org, cells, day, type_code))
        .select_related("cell")
        .order_by("cell__order", "name", "id")
    )
    return [m for m in candidates if member_active_on(m, day)]


def secretary_ids(org: Organization, day: datetime.date) -> set[int]:
    """Members holding the secretary post of ``org`` (or, for a cell, of its branch) on ``day``."""
    target = org.parent if org.kind == OrgKind.CELL and org.parent_id else org
    return set(
        Post.objects.current(on=day)
        .filter(organization=target, kind=PostKind.SECRETARY)
        .values_list("member_id", flat=True)
    )
