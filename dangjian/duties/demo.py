"""Demo builder: the bureau's responsibility system for the current year and the two before.

Realistic gaps, described in ``ctx.extra["duties_demo"]``:

- the 党组 heard no branch report in the second quarter of last year nor in the quarter before
  the current one (hearings are ``report_hearing`` activities);
- one branch secretary has not signed this year's responsibility letter (``unsigned_secretary``);
- a few list items are overdue and one was sent back (reopened) after it was marked done;
- one leader has not visited their branch this year (liaison visits are activities).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from dangjian.activities.choices import ActivityStatus
from dangjian.activities.models import Activity, ActivityCredit, ActivityType
from dangjian.core import audit
from dangjian.duties.choices import DutyKind, ItemStatus, KeyTaskKind, LetterKind
from dangjian.duties.models import BusinessResult, KeyTask, Letter, Liaison, ResponsibilityItem
from dangjian.members.models import Member, Post
from dangjian.orgs.choices import PostKind

LG_TASKS = [
    ("main", "研究部署年度全面从严治党工作，召开党组会议专题研究党建工作"),
    ("first", "党组书记带头讲专题党课，督导各支部落实“三会一课”"),
    ("main", "落实意识形态工作责任制，每半年分析研判一次意识形态形势"),
    ("dual", "党组成员落实“一岗双责”，到挂点支部指导工作"),
    ("supervision", "支持派驻纪检监察组开展监督，听取党风廉政建设情况汇报"),
]
OC_TASKS = [
    ("main", "制定年度党建工作要点和责任清单，分解到各党支部"),
    ("main", "组织开展党支部书记述职评议考核"),
    ("supervision", "开展党费收缴使用管理专项检查"),
    ("main", "组织党员集中培训，确保党员年度学习不少于32学时"),
]
BRANCH_TASKS = [
    ("main", "按时召开支部党员大会、支委会和党小组会"),
    ("first", "书记年内为党员讲党课不少于一次"),
    ("main", "开展谈心谈话，支委之间、支委与党员之间每年至少一次"),
    ("dual", "结合业务工作开展“我为群众办实事”"),
    ("main", "召开年度组织生活会，开展民主评议党员"),
]
KEY_TASKS = [
    (KeyTaskKind.FLOOD, "汛期防汛值守和物资保障", 6, 1, 8, 31, 24, 310, "12.60"),
    (KeyTaskKind.EMERGENCY, "春节、国庆假期应急值班", 1, 20, 2, 5, 18, 72, None),
    (KeyTaskKind.RURAL, "驻村帮扶和消费帮扶", 3, 1, 11, 30, 9, 420, "30.00"),
    (KeyTaskKind.PLANNING, "编制“十五五”部门专项规划", 2, 15, 10, 31, 14, 260, "45.00"),
]
RESULTS = [
    ("非税收入同比增长", "6.8", "%", "H1", "上半年财政收支情况通报"),
    ("政府采购节约资金", "1260.5", "万元", "Y", "年度政府采购工作总结"),
    ("12345热线办结率", "98.6", "%", "Q", "市12345热线季度通报"),
    ("全市绩效考评排名", "3", "名", "Y", "市委市政府年度绩效考评结果通报"),
]
A = datetime.timedelta


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _activities(rows: list[tuple[Any, str, datetime.date, Any, str]], types: dict[str, ActivityType]) -> int:
    """Bulk-create held activities (org, type code, day, host, topic) with their credits."""
    made = Activity.objects.bulk_create(
        [
            Activity(
                organization=org,
                activity_type=types[code],
                status=ActivityStatus.HELD,
                topic=topic,
                planned_at=_at(day),
                held_at=_at(day),
                held_on=day,
                host=host,
            )
            for org, code, day, host, topic in rows
        ]
    )
    ActivityCredit.objects.bulk_create(
        [ActivityCredit(activity=a, activity_type=a.activity_type, is_primary=True) for a in made]
    )
    audit.record_bulk_create(made, verb="演示数据")
    return len(made)


def build(ctx: Any) -> None:
    if not ctx.branches or ctx.leading_group is None:
        return
    today: datetime.date = ctx.today
    rng = ctx.rng
    years = [today.year - 2, today.year - 1, today.year]
    types = {t.code: t for t in ActivityType.objects.filter(code__in=("report_hearing", "liaison_visit"))}
    leaders = [
        p.member
        for p in Post.objects.current(today)
        .filter(organization=ctx.leading_group)
        .select_related("member")
        .order_by("kind", "id")
    ]
    secretaries = {
        p.organization_id: p.member
        for p in Post.objects.current(today).filter(kind=PostKind.SECRETARY).select_related("member")
    }
    # The 党组书记 chairs the 党组 meeting that hears branch reports and signs the letters with the
    # others (posts sort by kind, so the first leader would be the deputy).
    lg_head = next(
        (
            p.member
            for p in Post.objects.current(today).filter(
                organization=ctx.leading_group, kind=PostKind.SECRETARY
            )
        ),
        leaders[0] if leaders else None,
    )
    oc_head = secretaries.get(ctx.organ_committee.pk) if ctx.organ_committee else lg_head
    report: dict[str, Any] = {}

    # -- three-level lists -------------------------------------------------------------------
    items: list[ResponsibilityItem] = []
    for year in years:
        current = year == today.year
        lists = [(ctx.leading_group, LG_TASKS, leaders or [lg_head])]
        if ctx.organ_committee is not None:
            lists.append((ctx.organ_committee, OC_TASKS, [oc_head]))
        lists += [(b, BRANCH_TASKS, [secretaries.get(b.pk)]) for b in ctx.branches]
        for org, tasks, people in lists:
            people = [p for p in people if p is not None]
            if not people:
                continue
            for n, (kind, task) in enumerate(tasks):
                deadline = datetime.date(year, min(12, 3 * (n % 4) + 3 + (n // 4) * 3), 28)
                person = people[n % len(people)]
                if not current or deadline < today - A(20):
                    done = rng.random() > (0.05 if not current else 0.08)
                else:
                    done = False
                status = (
                    ItemStatus.DONE
                    if done
                    else (ItemStatus.IN_PROGRESS if deadline <= today + A(60) else ItemStatus.PLANNED)
                )
                if not current and not done:
                    status = ItemStatus.DONE if rng.random() > 0.3 else ItemStatus.DROPPED
                items.append(
                    ResponsibilityItem(
                        organization=org,
                        year=year,
                        duty_kind=kind,
                        task=task,
                        responsible=person,
                        deadline=deadline,
                        status=status,
                        done_on=min(deadline - A(rng.randint(0, 20)), today)
                        if status == ItemStatus.DONE
                        else None,
                        evidence="已按要求完成，会议记录和材料已归档。" if status == ItemStatus.DONE else "",
                    )
                )
    made = ResponsibilityItem.objects.bulk_create(items)
    audit.record_bulk_create(made, verb="演示数据")
    # One item marked done and sent back: the evidence was only a sentence.
    reopened = next(
        (
            i
            for i in made
            if i.year == today.year and i.status == ItemStatus.DONE and i.organization in ctx.branches
        ),
        None,
    )
    if reopened is not None:
        ResponsibilityItem.objects.filter(pk=reopened.pk).update(
            status=ItemStatus.IN_PROGRESS,
            done_on=None,
            reopened_count=1,
            evidence="佐证材料不全，已退回补充。",
        )
        report["reopened_item"] = reopened.pk
    report["items"] = len(made)

    # -- liaison: each leader with one or two branches; visits as activities ------------------
    liaisons = []
    for n, branch in enumerate(ctx.branches):
        if not leaders:
            break
        leader = leaders[n % len(leaders)]
        liaisons.append(Liaison(leader=leader, branch=branch, started_on=datetime.date(years[0], 1, 10)))
    liaisons = Liaison.objects.bulk_create(liaisons)
    audit.record_bulk_create(liaisons, verb="演示数据")
    silent = liaisons[-1] if liaisons else None
    rows = []
    for year in years:
        for liaison in liaisons:
            for quarter in range(4):
                day = datetime.date(year, 3 * quarter + 2, 10 + rng.randint(0, 15))
                if day >= today or rng.random() < 0.3:
                    continue
                if liaison is silent and year == today.year:
                    continue
                rows.append(
                    (
                        liaison.branch,
                        "liaison_visit",
                        day,
                        liaison.leader,
                        f"到{liaison.branch.name}调研指导党建工作",
                    )
                )
    # -- the 党组 hears branch reports: a quarter missed last year, the current one still open ----
    for year in years:
        for quarter in range(4):
            if year == today.year - 1 and quarter == 1:
                continue
            # The quarter before the current one went by without a hearing (a live warning).
            if year == today.year and quarter == (today.month - 1) // 3 - 1:
                continue
            day = datetime.date(year, 3 * quarter + 3, 12)
            if day >= today:
                continue
            branch = ctx.branches[(quarter + year) % len(ctx.branches)]
            rows.append(
                (ctx.leading_group, "report_hearing", day, lg_head, f"党组会议听取{branch.name}党建工作汇报")
            )
    if len(types) == 2:
        report["activities"] = _activities(rows, types)
    report["liaisons"] = len(liaisons)
    report["silent_leader"] = silent.leader.name if silent else ""

    # -- letters: leaders and secretaries sign each year; one secretary has not this year --------
    signers = [*leaders, *(secretaries[b.pk] for b in ctx.branches if b.pk in secretaries)]
    unsigned = secretaries.get(ctx.branches[-1].pk)
    letters = []
    seen: set[tuple[int, int]] = set()
    for year in years:
        for n, member in enumerate(signers):
            if (member.pk, year) in seen or (year == today.year and member == unsigned):
                continue
            seen.add((member.pk, year))
            signed = datetime.date(year, 2, 10 + n % 15)
            if signed > today:
                continue
            is_leader = member in leaders
            letters.append(
                Letter(
                    kind=LetterKind.RESPONSIBILITY,
                    title="党风廉政建设责任书",
                    year=year,
                    signer=member,
                    counterpart=lg_head if member != lg_head else None,
                    counterpart_org=ctx.leading_group if member == lg_head or not is_leader else None,
                    signed_on=signed,
                )
            )
        # Members pledge too (承诺书), a handful per branch.
        for branch in ctx.branches[:3]:
            for member in Member.objects.filter(organization=branch).order_by("id")[:4]:
                if (member.pk, year) in seen:
                    continue
                day = datetime.date(year, 3, 5)
                if day <= today:
                    letters.append(
                        Letter(
                            kind=LetterKind.PLEDGE,
                            title="党员廉洁从政承诺书",
                            year=year,
                            signer=member,
                            counterpart_org=ctx.organ_committee or ctx.leading_group,
                            signed_on=day,
                        )
                    )
    # The demo member (dy1) pledges each year and is responsible for one item: their home page shows both.
    own = getattr(getattr(ctx.users.get("dy1"), "role", None), "member", None)
    if own is not None:
        for year in years:
            if (own.pk, year) not in seen and datetime.date(year, 3, 6) <= today:
                letters.append(
                    Letter(
                        kind=LetterKind.PLEDGE,
                        title="党员廉洁自律承诺书",
                        year=year,
                        signer=own,
                        counterpart_org=own.organization,
                        signed_on=datetime.date(year, 3, 6),
                    )
                )
        item = ResponsibilityItem.objects.create(
            organization=own.organization,
            year=today.year,
            duty_kind=DutyKind.DUAL,
            task="整理本支部年度党建工作台账",
            responsible=own,
            deadline=datetime.date(today.year, 12, 20),
            status=ItemStatus.IN_PROGRESS,
        )
        report["own_item"] = item.pk
    letters = Letter.objects.bulk_create(letters)
    audit.record_bulk_create(letters, verb="演示数据")
    report["letters"] = len(letters)
    report["unsigned_secretary"] = unsigned.name if unsigned else ""

    # -- key tasks and business results (entered from documents) -------------------------------
    tasks = []
    results = []
    entered_by = ctx.users.get("jgdw")
    unit = ctx.organ_committee or ctx.leading_group
    for year in years:
        for kind, name, m1, d1, m2, d2, people, days, money in KEY_TASKS:
            start = datetime.date(year, m1, d1)
            if start > today:
                continue
            end = datetime.date(year, m2, d2)
            tasks.append(
                KeyTask(
                    organization=unit,
                    year=year,
                    kind=kind,
                    name=name,
                    started_on=start,
                    ended_on=end if end <= today else None,
                    lead=leaders[len(tasks) % len(leaders)] if leaders else None,
                    people=people + rng.randint(-3, 3),
                    person_days=days + rng.randint(-20, 20),
                    amount=Decimal(money) if money else None,
                    description=f"党员干部带头参与{name}，设立党员先锋岗。",
                )
            )
        for name, value, unit_word, kind, source in RESULTS:
            if kind == "H1":
                start, end, pk = datetime.date(year, 1, 1), datetime.date(year, 6, 30), "half"
            elif kind == "Q":
                start, end, pk = datetime.date(year, 1, 1), datetime.date(year, 3, 31), "quarter"
            else:
                start, end, pk = datetime.date(year, 1, 1), datetime.date(year, 12, 31), "year"
            if end > today:
                continue  # not yet published
            results.append(
                BusinessResult(
                    organization=unit,
                    name=name,
                    value=Decimal(value),
                    unit=unit_word,
                    period_kind=pk,
                    period_start=start,
                    period_end=end,
                    source_document=f"{year}年{source}",
                    entered_by=entered_by,
                )
            )
    tasks = KeyTask.objects.bulk_create(tasks)
    results = BusinessResult.objects.bulk_create(results)
    audit.record_bulk_create(tasks, verb="演示数据")
    audit.record_bulk_create(results, verb="演示数据")
    report["key_tasks"], report["results"] = len(tasks), len(results)
    report["own_part"] = _secretaries_own_part(ctx, years, lg_head, oc_head, liaisons)
    ctx.extra["duties_demo"] = report
    ctx.log(
        f"责任体系：清单事项{len(made)}项，挂点联系{len(liaisons)}对，责任书/承诺书{len(letters)}份，"
        f"中心工作{len(tasks)}项，业务成果{len(results)}条"
    )


# The secretaries' own 专题党课 of each year (a 述职报告 names its topic), by year back from now.
OWN_LECTURES = {
    "leading_group": [
        "以党的创新理论引领财政高质量发展",
        "坚定拥护‘两个确立’，坚决做到‘两个维护’",
        "守正创新推进财政改革，当好‘过紧日子’的表率",
    ],
    "organ_committee": [
        "推动机关党建和财政业务深度融合",
        "学党章、守党纪，争做合格党员",
        "以严的基调强化正风肃纪",
    ],
}


def _secretaries_own_part(
    ctx: Any, years: list[int], lg_head: Member | None, oc_head: Member | None, liaisons: list[Liaison]
) -> dict[str, int]:
    """What the 党组书记 and the 机关党委书记 do themselves each year, as a real bureau records it:
    a 专题党课 at a branch they liaise with (the branch's own lecture of the quarter, given by
    them), the 机关党委's hearing of the branch secretaries' 述职 in January and its mid-year
    hearing, and the 机关党委书记's talks with each branch secretary."""
    from dangjian.activities.models import Activity

    today: datetime.date = ctx.today
    done = {"lectures": 0, "hearings": 0, "talks": 0}
    types = {t.code: t for t in ActivityType.objects.filter(code__in=("report_hearing", "talk"))}
    secretaries = {
        p.organization_id: p.member
        for p in Post.objects.current(today)
        .filter(kind=PostKind.SECRETARY, organization__in=ctx.branches)
        .select_related("member")
    }
    for key, head in (("leading_group", lg_head), ("organ_committee", oc_head)):
        if head is None:
            continue
        mine = [lia.branch for lia in liaisons if lia.leader_id == head.pk] or list(ctx.branches[:1])
        for year in years:
            # A branch lecture of the year not given by the branch's own secretary, so the
            # secretaries' lecture counts stay as they were.
            lecture = (
                Activity.objects.held()
                .filter(
                    organization__in=mine,
                    activity_type__code="party_lecture",
                    held_on__year=year,
                    lecturer_is_secretary=False,
                )
                .order_by("held_on", "pk")
                .first()
            )
            if lecture is None:
                continue
            topics = OWN_LECTURES[key]
            lecture.lecturer = head
            lecture.topic = f"党课：{topics[(today.year - year) % len(topics)]}"
            lecture.save(update_fields=["lecturer", "topic"])
            done["lectures"] += 1
    if ctx.organ_committee is None or oc_head is None or len(types) < 2:
        return done
    rows = []
    talks = []
    for year in years:
        for month, day, topic in (
            (1, 16, "各党支部书记抓基层党建工作述职评议"),
            (7, 10, "听取各党支部上半年党建工作汇报"),
        ):
            when = datetime.date(year, month, day)
            if when < today:
                rows.append((ctx.organ_committee, "report_hearing", when, oc_head, f"机关党委会议{topic}"))
        for n, branch in enumerate(ctx.branches):
            other = secretaries.get(branch.pk)
            when = datetime.date(year, 4, 8) + A(days=7 * n)
            if other is None or other.pk == oc_head.pk or when >= today:
                continue
            talks.append(
                Activity(
                    organization=ctx.organ_committee,
                    activity_type=types["talk"],
                    status=ActivityStatus.HELD,
                    topic="听取支部工作情况，谈履行书记职责",
                    held_at=_at(when, 15),
                    held_on=when,
                    talk_party_a=oc_head,
                    talk_party_b=other,
                )
            )
    done["hearings"] = _activities(rows, types)
    talks = Activity.objects.bulk_create(talks)
    ActivityCredit.objects.bulk_create(
        [ActivityCredit(activity=a, activity_type=a.activity_type, is_primary=True) for a in talks]
    )
    audit.record_bulk_create(talks, verb="演示数据")
    done["talks"] = len(talks)
    return done
