"""Figures the longer report drafts name record by record (issue 11 point 5): key tasks by kind
with their people, days and money; the campaigns and research projects of the period by name; a
党组's figures as the 机关党委 below it cites them; and more of a 述职报告 subject's own part.

Every figure returns its value and the records behind it, as every figure does.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from django.db.models import Q

from dangjian.core.period import Period
from dangjian.metrics.base import held_activities, scoped, short_topic, subtree_ids
from dangjian.metrics.figures import Figure, UnknownFigure


def _inner_quotes(name: str) -> str:
    """A record's name as a report quotes it inside “…”: its own quotes become ‘…’."""
    return name.replace("“", "‘").replace("”", "’")


# ---- key tasks by kind: "duties.key_tasks.kind.<kind>[.people|.person_days|.amount]" ------------
TASK_PARTS = {
    "": ("中心工作（录入）", "项"),
    "people": ("中心工作参与人数（录入）", "人次"),
    "person_days": ("中心工作投入人天（录入）", "人·天"),
    "amount": ("中心工作涉及资金（录入）", "万元"),
}


def key_tasks_of_kind(suffix: str, org: Any, period: Period, user: Any = None) -> Figure:
    """Key tasks of one kind begun in the period in the subtree (as ``duties.key_tasks`` counts
    them), named, or their entered people, person-days or money."""
    from dangjian.duties.choices import KeyTaskKind
    from dangjian.duties.models import KeyTask

    kind, _, part = suffix.partition(".")
    if kind not in KeyTaskKind.values or part not in TASK_PARTS:
        raise UnknownFigure(f"duties.key_tasks.kind.{suffix}")
    tasks = scoped(
        KeyTask.objects.filter(
            organization_id__in=subtree_ids(org),
            kind=kind,
            started_on__gte=period.start,
            started_on__lte=period.end,
        ),
        user,
    ).order_by("started_on", "pk")
    rows = list(tasks.values_list("pk", "name", "people", "person_days", "amount"))
    ids = sorted(pk for pk, *_ in rows)
    label, unit = TASK_PARTS[part]
    label = f"{KeyTaskKind(kind).label}{label}"
    key = f"duties.key_tasks.kind.{suffix}"
    m = "duties.keytask"
    if part == "people":
        return Figure(key, label, sum(r[2] for r in rows), unit, m, ids)
    if part == "person_days":
        return Figure(key, label, sum(r[3] for r in rows), unit, m, ids)
    if part == "amount":
        with_money = [r for r in rows if r[4] is not None]
        total = sum((r[4] for r in with_money), Decimal("0.00"))
        return Figure(key, label, total, unit, m, sorted(r[0] for r in with_money))
    names = tuple(dict.fromkeys(_inner_quotes(r[1]) for r in rows))
    return Figure(key, label, len(ids), unit, m, ids, names=names)


# ---- named records: "named.campaigns", "named.research" -------------------------------------------
def _campaigns_named(
    key: str, label: str, org: Any, period: Period, user: Any, *, below_only: bool
) -> Figure:
    from dangjian.campaigns.models import Campaign

    qs = Campaign.objects.filter(organization_id__in=subtree_ids(org), started_on__lte=period.end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=period.start)
    )
    if below_only:
        qs = qs.exclude(organization_id=org.pk)
    rows = list(scoped(qs, user).order_by("started_on", "pk").values_list("pk", "name"))
    names = tuple(dict.fromkeys(_inner_quotes(name) for _pk, name in rows))
    return Figure(
        key, label, len(rows), "项", "campaigns.campaign", sorted(pk for pk, _ in rows), names=names
    )


def named_campaigns(org: Any, period: Period, user: Any = None) -> Figure:
    """Campaigns of the subtree running at some time in the period, by name (a 党组's summary
    names the campaign its 机关党委 ran)."""
    return _campaigns_named("named.campaigns", "开展专题学习教育", org, period, user, below_only=False)


def named_campaigns_below(org: Any, period: Period, user: Any = None) -> Figure:
    """Campaigns strictly below ``org`` running in the period, by name: what a 党组 led its
    机关党委 to run. A campaign of ``org`` itself or above it is the draft's own ``{campaign}``."""
    return _campaigns_named(
        "named.campaigns.below", "所属党组织开展专题学习教育", org, period, user, below_only=True
    )


def named_research(org: Any, period: Period, user: Any = None) -> Figure:
    """Research projects of the subtree under way in the period, by title."""
    from dangjian.campaigns.models import ResearchProject

    qs = ResearchProject.objects.filter(
        organization_id__in=subtree_ids(org), started_on__lte=period.end
    ).filter(Q(finished_on__isnull=True) | Q(finished_on__gte=period.start))
    rows = list(scoped(qs, user).order_by("started_on", "pk").values_list("pk", "title"))
    names = tuple(dict.fromkeys(_inner_quotes(title) for _pk, title in rows))
    return Figure(
        "named.research", "调研课题", len(rows), "个", "campaigns.researchproject",
        sorted(pk for pk, _ in rows), names=names,
    )  # fmt: skip


def _result_words(name: str, value: Decimal, unit: str) -> str:
    """ "政府采购节约资金1260.5万元", "全市绩效考评排名第3名": a result as a sentence names it."""
    number = f"{value.normalize():f}"
    if unit == "名":
        return f"{name.removesuffix('排名')}排名第{number}名"
    return f"{name}{number}{unit}"


def named_results(org: Any, period: Period, user: Any = None) -> Figure:
    """Business results whose period ends in the period (as ``duties.results`` counts them), each
    named with its entered value: "非税收入同比增长6.8%". Entered from documents, not computed."""
    from dangjian.duties.models import BusinessResult

    qs = BusinessResult.objects.filter(
        organization_id__in=subtree_ids(org), period_end__gte=period.start, period_end__lte=period.end
    )
    results = list(scoped(qs, user).order_by("period_end", "name"))
    rows = [(r.pk, r.name, r.value, r.unit) for r in results]
    # A result of a shorter period (a quarter's rate in a year's draft) says which period it is.
    names = tuple(
        dict.fromkeys(
            _result_words(r.name, r.value, r.unit)
            + (
                ""
                if (r.period_start, r.period_end) == (period.start, period.end)
                else f"（{r.period.label}）"
            )
            for r in results
        )
    )
    return Figure(
        "named.results", "业务成果（经办人录入）", len(rows), "条", "duties.businessresult",
        sorted(pk for pk, *_ in rows), names=names,
    )  # fmt: skip


def named_renewed(org: Any, period: Period, user: Any = None) -> Figure:
    """Committees elected (换届) within the period in the subtree, as ``terms.renewed`` counts them,
    named by their organization: "机关第三党支部"."""
    from dangjian.orgs.models import Term

    qs = Term.objects.filter(
        organization_id__in=subtree_ids(org), elected_on__gte=period.start, elected_on__lte=period.end
    )
    rows = list(
        scoped(qs, user)
        .order_by("organization__path", "elected_on", "pk")
        .values_list("pk", "organization__name", "organization__kind")
    )
    # The 机关党委 is "机关党委" in its own bureau's report, not "江临市财政局机关党委".
    names = tuple(
        dict.fromkeys(
            "机关党委" if kind == "organ_committee" else _branch_words(name) for _pk, name, kind in rows
        )
    )
    return Figure(
        "named.renewed",
        "完成换届选举",
        len(rows),
        "个",
        "orgs.term",
        sorted(pk for pk, *_ in rows),
        names=names,
    )


def named_pledges(org: Any, period: Period, user: Any = None) -> Figure:
    """为民办实事 items of the subtree solved in the period (as ``pledges.solved`` counts them), by
    title: "清理规范涉企收费项目"."""
    from dangjian.campaigns.choices import PledgeStatus
    from dangjian.campaigns.models import ServicePledge

    qs = (
        ServicePledge.objects.filter(organization_id__in=subtree_ids(org))
        .exclude(status=PledgeStatus.OPEN)
        .filter(solved_on__gte=period.start, solved_on__lte=period.end)
    )
    rows = list(scoped(qs, user).order_by("solved_on", "pk").values_list("pk", "title"))
    names = tuple(dict.fromkeys(_inner_quotes(title) for _pk, title in rows))
    return Figure(
        "named.pledges", "办结为民办实事事项", len(rows), "项", "campaigns.servicepledge",
        sorted(pk for pk, _ in rows), names=names,
    )  # fmt: skip


# Political rituals (支部工作条例 Art 16 names them as theme-day content) are held activities whose
# topic says so; the ledger has no separate type for them.
RITUAL_WORDS = ("入党誓词", "政治生日", "入党宣誓")


def _rituals(org: Any, period: Period, user: Any) -> Any:
    words = Q()
    for word in RITUAL_WORDS:
        words |= Q(topic__contains=word)
    return held_activities(org, period, user).filter(words)


def rituals(org: Any, period: Period, user: Any = None) -> Figure:
    """Held activities of the subtree whose topic is a political ritual (oath renewal, the
    admission anniversary)."""
    ids = sorted(set(_rituals(org, period, user).values_list("pk", flat=True)))
    return Figure("rituals.count", "重温入党誓词等政治仪式", len(ids), "次", "activities.activity", ids)


def ritual_participants(org: Any, period: Period, user: Any = None) -> Figure:
    """Members present at those rituals (人次)."""
    from dangjian.activities.models import Attendance

    qs = Attendance.objects.filter(
        activity__in=_rituals(org, period, user).values("pk"), status="present", member__isnull=False
    )
    ids = sorted(qs.values_list("pk", flat=True))
    return Figure(
        "rituals.participants", "参加政治仪式的党员", len(ids), "人次", "activities.attendance", ids
    )


# ---- the 党组 above: "leading_group.<figure key>" -------------------------------------------------
def leading_group_above(suffix: str, org: Any, period: Period, user: Any = None) -> Figure:
    """Figure ``suffix`` over the 党组 above ``org`` (its nearest ancestor that is a 党组), so a
    机关党委's draft can cite the 党组's 中心组 and 第一议题 study as the 党组's. Zero, with no
    records, for a 党组 itself or an organization with no 党组 above it: its own figure says it."""
    from dangjian.metrics import registry
    from dangjian.orgs.models import Organization

    key = f"leading_group.{suffix}"
    group = (
        Organization.objects.filter(pk__in=org.ancestor_ids, kind="leading_group").order_by("-path").first()
        if getattr(org, "kind", "") != "leading_group"
        else None
    )
    if group is None:
        return Figure(key, "党组", 0, "", "")
    inner = registry.compute([suffix], group, period, user)[suffix]
    return dataclasses.replace(inner, key=key, label=f"党组{inner.label}")


# ---- more of a 述职报告 subject's own part: "person.<member id>.<what>" ----------------------------
PERSON_MORE = {
    "letters": ("与本人签订责任书", "份"),
    "liaison_branches": ("本人到联系党支部调研指导", "个"),
    "key_tasks": ("本人牵头的中心工作（录入）", "项"),
    "chaired": ("本人主持召开会议", "次"),
    "lecture_listeners": ("听本人讲党课的党员", "人次"),
    "talked_secretaries": ("本人与党支部书记谈心谈话", "人次"),
    "heard_branches": ("向本人汇报党建工作的党支部", "个"),
    "hearing_meetings": ("本人听取各支部汇报的会议", "次"),
}


def _branch_words(name: str) -> str:
    """ "机关第一党支部（办公室、人事教育科）" → "机关第一党支部": the branch, not its departments."""
    return name.split("（", 1)[0]


def person_more(member_id: int, what: str, org: Any, period: Period, user: Any = None) -> Figure:
    """The subject person's letters signed with others, liaison branches visited and key tasks
    led."""
    from dangjian.duties.models import KeyTask, Letter

    key = f"person.{member_id}.{what}"
    label, unit = PERSON_MORE[what]
    years = list(range(period.start.year, period.end.year + 1))
    if what == "letters":
        # Responsibility letters of the period's years the person signed as the other party.
        qs = Letter.objects.filter(
            counterpart_id=member_id,
            kind="responsibility",
            year__in=years,
            signer__organization_id__in=subtree_ids(org),
        )
        ids = sorted(scoped(qs, user).values_list("pk", flat=True))
        return Figure(key, label, len(ids), unit, "duties.letter", ids)
    if what == "key_tasks":
        qs = KeyTask.objects.filter(
            lead_id=member_id,
            organization_id__in=subtree_ids(org),
            started_on__gte=period.start,
            started_on__lte=period.end,
        )
        rows = list(scoped(qs, user).order_by("started_on", "pk").values_list("pk", "name"))
        names = tuple(dict.fromkeys(_inner_quotes(n) for _pk, n in rows))
        return Figure(
            key, label, len(rows), unit, "duties.keytask", sorted(pk for pk, _ in rows), names=names
        )
    held = held_activities(org, period, user)
    if what in ("heard_branches", "hearing_meetings"):
        from dangjian.orgs.models import Organization

        # A hearing of one branch names it in its topic ("党组会议听取机关第二党支部…汇报"); one of
        # all branches at once (述职评议) names none and is quoted as a meeting.
        hearings = list(
            held.filter(credits__activity_type__code="report_hearing")
            .filter(Q(host_id=member_id) | Q(attendances__member_id=member_id))
            .distinct()
            .order_by("held_on", "pk")
            .values_list("pk", "topic")
        )
        branches = list(
            Organization.objects.filter(
                pk__in=subtree_ids(org), kind__in=("branch", "general_branch")
            ).values_list("pk", "name", "path")
        )
        named = {pk: [b for b in branches if b[1] in (topic or "")] for pk, topic in hearings}
        if what == "heard_branches":
            heard = {b[0]: b for found in named.values() for b in found}
            rows = sorted(heard.values(), key=lambda b: b[2])
            return Figure(key, label, len(rows), unit, "orgs.organization", sorted(heard),
                          names=tuple(_branch_words(b[1]) for b in rows))  # fmt: skip
        meetings = [(pk, topic) for pk, topic in hearings if not named[pk]]
        names = tuple(dict.fromkeys(short_topic(t) for _pk, t in meetings if t))
        return Figure(key, label, len(meetings), unit, "activities.activity",
                      sorted(pk for pk, _ in meetings), names=names)  # fmt: skip
    if what == "talked_secretaries":
        from dangjian.members.models import Post

        # Talks the person held with someone who was a branch secretary on the day of the talk.
        talks = list(held.filter(talk_party_a_id=member_id).values_list("pk", "talk_party_b_id", "held_on"))
        posts = list(
            Post.objects.filter(
                kind="secretary",
                organization__kind__in=("branch", "general_branch"),
                member_id__in={b for _pk, b, _d in talks},
            ).values_list("member_id", "started_on", "ended_on")
        )
        ids = sorted(
            {
                pk
                for pk, b, day in talks
                if any(m == b and start <= day and (end is None or end > day) for m, start, end in posts)
            }
        )
        return Figure(key, label, len(ids), unit, "activities.activity", ids)
    if what == "lecture_listeners":
        from dangjian.activities.models import Attendance

        lectures = held.filter(lecturer_id=member_id, credits__activity_type__code="party_lecture")
        qs = Attendance.objects.filter(activity__in=lectures.values("pk"), status="present")
        ids = sorted(qs.values_list("pk", flat=True))
        return Figure(key, label, len(ids), unit, "activities.attendance", ids)
    if what == "chaired":
        # Meetings the person chaired, without the talks, 中心组 sessions, liaison visits and
        # hearings a 述职报告 tells of in their own sentences (``hosted`` counts all but two).
        told_apart = ["talk", "central_study", "liaison_visit", "report_hearing"]
        qs = held.filter(host_id=member_id).exclude(credits__activity_type__code__in=told_apart)
        rows = sorted(set(qs.values_list("held_on", "pk", "topic")))
        names = tuple(dict.fromkeys(short_topic(t) for _d, _pk, t in rows if t))
        return Figure(key, label, len({pk for _d, pk, _t in rows}), unit, "activities.activity",
                      sorted({pk for _d, pk, _t in rows}), names=names)  # fmt: skip
    # liaison_branches: branches where the person hosted a liaison visit in the period.
    rows = list(
        held.filter(credits__activity_type__code="liaison_visit", host_id=member_id)
        .order_by("organization__path")
        .values_list("organization_id", "organization__name")
        .distinct()
    )
    names = tuple(dict.fromkeys(_branch_words(n) for _pk, n in rows))
    ids = sorted({pk for pk, _ in rows})
    return Figure(key, label, len(ids), unit, "orgs.organization", ids, names=names)
