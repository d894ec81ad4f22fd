"""Records (not numbers) that reports draw on through metrics: highlighted activities."""

from __future__ import annotations

from typing import Any

from dangjian.core.period import Period
from dangjian.metrics.base import as_of, held_activities


def highlight_activities(org: Any, period: Period, user: Any = None) -> list[tuple[int, str, str]]:
    """(id, topic, highlight paragraph) of held activities in the subtree marked as highlights."""
    rows = (
        held_activities(org, period, user)
        .filter(is_highlight=True)
        .order_by("held_on", "id")
        .values_list("id", "topic", "highlight_text")
    )
    return [(pk, topic, text or "") for pk, topic, text in rows]


ORG_WORDS = {
    "leading_group": "党组",
    "organ_committee": "机关党委",
    "general_branch": "党总支",
    "branch": "党支部",
}


def _role(org: Any, post_label: str) -> str:
    """ "机关党委书记", "机关党委副书记", "党组成员" — the post as a report names its holder."""
    prefix = ORG_WORDS.get(org.kind, "")
    return post_label if post_label.startswith(prefix) else f"{prefix}{post_label}"


def subject_person(org: Any, period: Period, person: Any = None) -> tuple[str, str, int] | None:
    """(name, post words, member id) of a 述职报告's subject: ``person`` when chosen, else the
    secretary of ``org`` at the period's end (党组书记, 机关党委书记 …)."""
    from dangjian.members.models import Post
    from dangjian.orgs.choices import PostKind

    day = as_of(period)
    posts = Post.objects.current(on=day).filter(organization=org)
    if person is not None:
        post = posts.filter(member=person).order_by("kind").first()
        label = post.get_kind_display() if post is not None else PostKind.SECRETARY.label
        return person.name, _role(org, label), person.pk
    post = posts.filter(kind=PostKind.SECRETARY).select_related("member").first()
    if post is None:
        return None
    return post.member.name, _role(org, PostKind.SECRETARY.label), post.member_id


def campaign_of(org: Any, period: Period, user: Any = None) -> tuple[str, str, int] | None:
    """(name, goal formula, id) of the study campaign running in the period for ``org`` or the
    nearest organization above it that ran one (a campaign is usually launched bureau-wide)."""
    from django.db.models import Q

    from dangjian.campaigns.models import Campaign
    from dangjian.core.scope import restrict

    org_ids = [org.pk, *reversed(org.ancestor_ids)]
    qs = Campaign.objects.filter(organization_id__in=org_ids, started_on__lte=period.end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=period.start)
    )
    if user is not None:
        qs = restrict(qs, user)
    found = sorted(qs, key=lambda c: (org_ids.index(c.organization_id), -c.started_on.toordinal()))
    if not found:
        # A 党组 reports on the campaign its 机关党委 ran for the whole bureau: the campaign of
        # the subtree nearest to ``org`` (shallowest path), the latest first.
        below = Campaign.objects.filter(
            organization__path__startswith=org.path, started_on__lte=period.end
        ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=period.start))
        if user is not None:
            below = restrict(below, user)
        found = sorted(
            below.select_related("organization"),
            key=lambda c: (c.organization.path.count("/"), -c.started_on.toordinal()),
        )
    if not found:
        return None
    return found[0].name, found[0].goal_formula, found[0].pk


def _day_words(day: Any) -> str:
    return f"{day.month}月{day.day}日" if day else ""


def campaign_words(campaign_id: int) -> dict[str, str]:
    """What a study-campaign summary says of its campaign in words: the leading group's head,
    the work plan's title, the day it was issued and the day of the mobilisation meeting (empty
    when not on record)."""
    from dangjian.campaigns.models import Campaign

    campaign = Campaign.objects.select_related("mobilization").filter(pk=campaign_id).first()
    if campaign is None:
        return {}
    mobilization = campaign.mobilization
    held = getattr(mobilization, "held_on", None) if mobilization is not None else None
    head = (
        campaign.team.filter(team="leading_group", role="组长")
        .select_related("member")
        .order_by("pk")
        .first()
    )
    return {
        # what the summary calls the campaign in its sentences: a 专项整治 is not a 学习教育
        "drive": "专项整治" if campaign.kind == "rectification" else "学习教育",
        "group_head": head.member.name if head is not None else "",
        "plan": campaign.plan_title.strip("《》"),
        "plan_on": _day_words(campaign.plan_adopted_on) if campaign.plan_title else "",
        "mobilized_on": _day_words(held),
    }
