"""Figures the report drafts need beyond the ledgers' own catalogues: the people talked with,
secretaries who gave no lecture, planned activities, overlaps between counted types, named
records (meeting topics, honours), a subject person's own part, and interim counts over the
issue-10 ledgers (rectification, service pledges) until their own figure modules land.

Every figure returns its value and the records behind it, as every figure does.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q

from dangjian.core.period import Period
from dangjian.metrics.base import (
    as_of,
    held_activities,
    members_active_on,
    organizations_on,
    scoped,
    short_topic,
    subtree_ids,
)
from dangjian.metrics.figures import Figure, percent

# Reflections counted for integrity are those on discipline and warning topics (issue 11).
DISCIPLINE_WORDS = ("纪律", "警示", "廉", "作风", "八项规定", "案", "党纪", "腐")


def talked_with(org: Any, period: Period, user: Any = None) -> dict[str, Figure]:
    """ "talks.people": members on the roll at the period's end who were talked *with* (the
    谈话对象 of a held talk) — not the talkers; "talks.reach": those / members on the roll, in %."""
    active = set(members_active_on(org, as_of(period), user).values_list("pk", flat=True))
    talked = set(
        held_activities(org, period)
        .filter(credits__activity_type__code="talk", talk_party_b__isnull=False)
        .values_list("talk_party_b_id", flat=True)
    )
    covered = sorted(talked & active)
    return {
        "talks.people": Figure("talks.people", "谈话对象", len(covered), "名", "members.member", covered),
        "talks.reach": Figure(
            "talks.reach",
            "谈心谈话覆盖党员比例",
            percent(len(covered), len(active)),
            "%",
            "members.member",
            covered,
            (len(covered), len(active)),
        ),
    }


def secretaries_without_lecture(org: Any, period: Period, user: Any = None) -> Figure:
    """Branches standing at the period's end whose secretary gave no held 党课 in the period
    (支部工作条例 Art 16: the secretary lectures at least once a year)."""
    from dangjian.orgs.choices import OrgKind

    branches = organizations_on(org, as_of(period), user).filter(
        kind__in=[OrgKind.BRANCH, OrgKind.GENERAL_BRANCH]
    )
    lectured = set(
        held_activities(org, period)
        .filter(credits__activity_type__code="party_lecture", lecturer_is_secretary=True)
        .values_list("organization_id", flat=True)
    )
    ids = sorted(pk for pk in branches.values_list("pk", flat=True) if pk not in lectured)
    return Figure("secretaries.no_lecture", "书记未讲党课的党支部", len(ids), "个", "orgs.organization", ids)


def planned_activities(org: Any, period: Period, user: Any = None) -> Figure:
    """Activities planned (not yet held) for a day within the period."""
    from dangjian.activities.choices import ActivityStatus
    from dangjian.activities.models import Activity

    qs = Activity.objects.filter(
        organization_id__in=subtree_ids(org),
        status__in=[ActivityStatus.PLANNED, ActivityStatus.APPROVED],
        planned_at__date__gte=period.start,
        planned_at__date__lte=period.end,
    )
    ids = sorted(scoped(qs, user).values_list("pk", flat=True))
    return Figure("activities.planned", "计划开展的组织生活", len(ids), "次", "activities.activity", ids)


def topics(code: str, org: Any, period: Period, user: Any = None) -> Figure:
    """ "topics.<type>": held activities of a type (their primary type), with their topics as the
    named records."""
    # By primary type: a general meeting also counted as study has a meeting's topic, not a study's.
    rows = list(
        held_activities(org, period, user)
        .filter(activity_type__code=code)
        .order_by("held_on", "pk")
        .values_list("pk", "topic")
    )
    names = tuple(dict.fromkeys(short_topic(topic) for _pk, topic in rows if topic))
    return Figure(
        f"topics.{code}",
        "活动主题",
        len(rows),
        "次",
        "activities.activity",
        sorted(pk for pk, _ in rows),
        names=names,
    )


def overlap(suffix: str, org: Any, period: Period, user: Any = None) -> Figure:
    """ "overlap.<a>.<b>": held activities counted both as type a and type b (a theme day that
    was also warning education), so a draft can say the overlap instead of counting it twice."""
    first, _, second = suffix.partition(".")
    ids = sorted(
        held_activities(org, period, user)
        .filter(credits__activity_type__code=first)
        .filter(pk__in=held_activities(org, period).filter(credits__activity_type__code=second).values("pk"))
        .values_list("pk", flat=True)
    )
    return Figure(f"overlap.{suffix}", "同时计入两类的活动", len(ids), "次", "activities.activity", ids)


# A subject person's own part (述职报告): "person.<member id>.<what>".
PERSON_WHAT = {
    "hosted": ("主持会议", "次"),
    "lectured": ("讲党课", "次"),
    "talked": ("开展谈心谈话", "人次"),
    "liaison": ("到联系支部调研指导", "次"),
    "hearing": ("听取党建工作汇报", "次"),
    "central_study": ("主持中心组学习", "次"),
}


def person(suffix: str, org: Any, period: Period, user: Any = None) -> Figure:
    member_id, _, what = suffix.partition(".")
    from dangjian.metrics.figures import drafting

    if what in drafting.PERSON_MORE:
        return drafting.person_more(int(member_id), what, org, period, user)
    label, unit = PERSON_WHAT[what]
    held = held_activities(org, period, user)
    pid = int(member_id)
    if what == "hosted":
        qs = held.filter(host_id=pid).exclude(credits__activity_type__code__in=["talk", "central_study"])
    elif what == "central_study":
        qs = held.filter(host_id=pid, credits__activity_type__code="central_study")
    elif what == "lectured":
        qs = held.filter(lecturer_id=pid, credits__activity_type__code="party_lecture")
    elif what == "talked":
        qs = held.filter(talk_party_a_id=pid)
    elif what == "liaison":
        qs = held.filter(credits__activity_type__code="liaison_visit").filter(
            Q(host_id=pid) | Q(attendances__member_id=pid)
        )
    else:
        qs = held.filter(credits__activity_type__code="report_hearing").filter(
            Q(host_id=pid) | Q(attendances__member_id=pid)
        )
    rows = sorted(set(qs.values_list("held_on", "pk", "topic")))
    ids = sorted({pk for _day, pk, _topic in rows})
    # What the person chaired or taught, by topic (talks have no topic worth quoting).
    names = () if what == "talked" else tuple(dict.fromkeys(short_topic(t) for _d, _pk, t in rows if t))
    return Figure(f"person.{suffix}", label, len(ids), unit, "activities.activity", ids, names=names)


def discipline_reflections(org: Any, period: Period, user: Any = None) -> Figure:
    """Reflections on discipline or warning topics (by title, or written after a warning-education
    session): the ones an integrity report counts, not every study note."""
    from dangjian.activities.models import Reflection

    words = Q()
    for word in DISCIPLINE_WORDS:
        words |= Q(title__contains=word)
    qs = Reflection.objects.filter(
        member__organization_id__in=subtree_ids(org),
        submitted_on__gte=period.start,
        submitted_on__lte=period.end,
    ).filter(words | Q(activity__credits__activity_type__code="warning_education"))
    ids = sorted(set(scoped(qs, user).values_list("pk", flat=True)))
    return Figure("reflections.discipline", "纪律教育心得体会", len(ids), "篇", "activities.reflection", ids)


def admitted(org: Any, period: Period, user: Any = None) -> Figure:
    """Members admitted (入党时间) within the period in the subtree."""
    from dangjian.members.models import Member

    qs = Member.objects.filter(
        organization_id__in=subtree_ids(org), admission_date__gte=period.start, admission_date__lte=period.end
    )
    ids = sorted(scoped(qs, user).values_list("pk", flat=True))
    return Figure("members.admitted", "新发展党员", len(ids), "名", "members.member", ids)


TALK_KEYS = ("talks.people", "talks.reach")


def reach(code: str, org: Any, period: Period, user: Any = None) -> Figure:
    """ "reach.<type>": organizations of the subtree where a held activity of the type took place
    (how many branches the leaders' lectures reached)."""
    ids = sorted(
        set(
            held_activities(org, period, user)
            .filter(credits__activity_type__code=code)
            .values_list("organization_id", flat=True)
        )
    )
    return Figure(f"reach.{code}", "覆盖党组织", len(ids), "个", "orgs.organization", ids)


def places(code: str, org: Any, period: Period, user: Any = None) -> Figure:
    """ "places.<type>": held activities of a type (their primary type), with the places they
    were held at as the named records (the sites of 现场教学)."""
    rows = list(
        held_activities(org, period, user)
        .filter(activity_type__code=code)
        .order_by("held_on", "pk")
        .values_list("pk", "place")
    )
    names = tuple(dict.fromkeys(place for _pk, place in rows if place))
    return Figure(
        f"places.{code}",
        "活动地点",
        len(rows),
        "次",
        "activities.activity",
        sorted(pk for pk, _ in rows),
        names=names,
    )


def themes(code: str, org: Any, period: Period, user: Any = None) -> Figure:
    """ "themes.<type>": held activities counted as a type, also when another type is their own
    (a theme day spent on warning education), with their topics as the named records."""
    rows = list(
        held_activities(org, period, user)
        .filter(credits__activity_type__code=code)
        .order_by("held_on", "pk")
        .values_list("pk", "topic")
        .distinct()
    )
    names = tuple(dict.fromkeys(short_topic(topic) for _pk, topic in rows if topic))
    ids = sorted({pk for pk, _ in rows})
    return Figure(f"themes.{code}", "活动主题", len(ids), "次", "activities.activity", ids, names=names)


# Topics that show an activity studied the party's discipline regulations (issue 11: the integrity
# report counts the study of 党纪法规 apart from study in general).
REGULATION_WORDS = ("纪律处分条例", "问责条例", "监督条例", "党章党规", "准则", "八项规定", "党纪")


def regulation_study(org: Any, period: Period, user: Any = None) -> Figure:
    """Held activities of the subtree whose topic names a discipline regulation, with the topics."""
    words = Q()
    for word in REGULATION_WORDS:
        words |= Q(topic__contains=word)
    # a campaign's mobilisation meeting names the regulation in its title but studies nothing
    rows = list(
        held_activities(org, period, user)
        .filter(words)
        .exclude(activity_type__code="mobilization_meeting")
        .order_by("held_on", "pk")
        .values_list("pk", "topic")
    )
    # a 党小组's study reads "第二党小组学习学习…": the regulation is what a report names
    names = tuple(
        dict.fromkeys(
            re.sub(r"^第.{1,3}党小组学习", "", short_topic(topic)).replace("学习学习", "学习")
            for _pk, topic in rows
            if topic
        )
    )
    return Figure(
        "regulations.study",
        "党纪法规专题学习",
        len(rows),
        "次",
        "activities.activity",
        sorted(pk for pk, _ in rows),
        names=names,
    )


CASE_WORDS = ("案例", "案件", "通报")


def _credited_topics_with(
    key: str, label: str, type_code: str, words: tuple[str, ...], org: Any, period: Period, user: Any
) -> Figure:
    """Held activities credited as ``type_code`` whose topic contains one of ``words``, with the
    topics as names."""
    matches = Q()
    for word in words:
        matches |= Q(topic__contains=word)
    rows = list(
        held_activities(org, period, user)
        .filter(credits__activity_type__code=type_code)
        .filter(matches)
        .order_by("held_on", "pk")
        .values_list("pk", "topic")
        .distinct()
    )
    names = tuple(dict.fromkeys(short_topic(topic) for _pk, topic in rows if topic))
    ids = sorted({pk for pk, _ in rows})
    return Figure(key, label, len(ids), "次", "activities.activity", ids, names=names)


def case_study(org: Any, period: Period, user: Any = None) -> Figure:
    """ "cases.study": held activities counted as warning education whose topic is a case
    (典型案例, 案件通报): a part of the warning-education count, not in addition to it."""
    return _credited_topics_with(
        "cases.study", "以典型案例为内容的警示教育", "warning_education", CASE_WORDS, org, period, user
    )


# Lectures an integrity report counts as discipline education, by their title.
LECTURE_DISCIPLINE_WORDS = ("纪律", "从严治党", "廉", "规矩", "作风")


def discipline_lectures(org: Any, period: Period, user: Any = None) -> Figure:
    """ "lectures.discipline": held 党课 (credited as such) whose title is on discipline, clean
    government or strict self-governance, with the titles."""
    return _credited_topics_with(
        "lectures.discipline",
        "纪律教育专题党课",
        "party_lecture",
        LECTURE_DISCIPLINE_WORDS,
        org,
        period,
        user,
    )
