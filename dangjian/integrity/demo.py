"""Demo builder: integrity work of the fictional bureau for the current year and the two before.

- integrity talks of their own kinds (廉政谈话 by the 党组 secretary with new leaders and
  secretaries each spring, a few 提醒谈话, one 诫勉谈话 last year), recorded as talk activities;
- the unit's rules, one of them revised;
- 三公经费 typed in for the two previous years only (this year's accounts are not closed yet);
- the "two officers" come from the roster's committee posts: the small branch without a committee
  has named no 纪检联络员 yet (a live warning).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from dangjian.activities.choices import ActivityStatus
from dangjian.activities.models import Activity, ActivityCredit, ActivityType
from dangjian.core import audit
from dangjian.integrity.choices import RuleKind
from dangjian.integrity.models import PublicExpense, UnitRule
from dangjian.members.models import Member, Post
from dangjian.orgs.choices import PostKind

RULES = [
    ("党组工作规则", RuleKind.DECISION, 3, 6),
    ("“三重一大”事项集体决策制度", RuleKind.DECISION, 4, 12),
    ("公务接待管理办法", RuleKind.OFFICIAL_RECEPTION, 5, 20),
    ("党风廉政建设责任制实施办法", RuleKind.INTEGRITY, 2, 25),
    ("财务报销审批管理规定", RuleKind.FINANCE, 6, 15),
    ("关于进一步加强作风建设的若干规定", RuleKind.STYLE, 9, 1),
]
EXPENSES = {0: ("0.00", "14.20", "2.85"), 1: ("6.40", "13.75", "2.30")}
# The 机关党委 issues rules of its own for the branches' supervision (year offset, title, kind,
# month, day).
ORGAN_RULES = [
    (-2, "机关党委落实全面从严治党监督责任清单", RuleKind.INTEGRITY, 4, 10),
    (-1, "党支部纪检委员履职工作规范", RuleKind.INTEGRITY, 3, 28),
    (-1, "机关党员干部节假日廉洁提醒制度", RuleKind.STYLE, 9, 15),
    (0, "机关党委廉政风险点排查防控办法", RuleKind.INTEGRITY, 4, 22),
]
# Each year's integrity meetings: the 党组's bureau-wide one and the 机关党委's follow-up.
MEETINGS = [
    ("leading_group", 2, 18, "全面从严治党暨党风廉政建设工作会议"),
    ("organ_committee", 3, 12, "机关党风廉政建设工作推进会"),
]


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(15)))


def build(ctx: Any) -> None:
    if ctx.leading_group is None or not ctx.branches:
        return
    today: datetime.date = ctx.today
    years = [today.year - 2, today.year - 1, today.year]
    types = {
        t.code: t
        for t in ActivityType.objects.filter(
            code__in=("integrity_talk", "reminder_talk", "admonishment_talk")
        )
    }
    head = (
        Post.objects.current(today)
        .filter(organization=ctx.leading_group, kind=PostKind.SECRETARY)
        .select_related("member")
        .first()
    )
    secretaries = list(
        Post.objects.current(today)
        .filter(organization__in=ctx.branches, kind=PostKind.SECRETARY)
        .select_related("member", "organization")
    )
    talks = []
    if head is not None and len(types) == 3:
        for year in years:
            for n, post in enumerate(secretaries):
                day = datetime.date(year, 3, 10 + n)
                if day < today:
                    talks.append(
                        (ctx.leading_group, "integrity_talk", day, head.member, post.member, "节前廉政谈话")
                    )
            staff = list(
                Member.objects.filter(organization=ctx.branches[(year % len(ctx.branches))]).order_by("id")[
                    :2
                ]
            )
            for m in staff:
                day = datetime.date(year, 9, 20)
                if day < today:
                    talks.append(
                        (
                            ctx.branches[year % len(ctx.branches)],
                            "reminder_talk",
                            day,
                            secretaries[0].member,
                            m,
                            "苗头性问题提醒谈话",
                        )
                    )
        last = datetime.date(today.year - 1, 11, 6)
        admonished = Member.objects.filter(organization=ctx.branches[1]).order_by("-id").first()
        if admonished is not None:
            talks.append((ctx.branches[1], "admonishment_talk", last, head.member, admonished, "诫勉谈话"))
    # The 机关党委's deputy secretary talks with each branch's 纪检委员 every April (a reminder of
    # the duty they hold), recorded as integrity talks of the 机关党委.
    organ_deputy = ctx.extra.get("organ_deputy_secretary")
    if ctx.organ_committee is not None and organ_deputy is not None and "integrity_talk" in types:
        officers = list(
            Post.objects.current(today)
            .filter(organization__in=ctx.branches, kind=PostKind.DISCIPLINE)
            .select_related("member")
            .order_by("organization__path")
        )
        for year in years:
            for n, post in enumerate(officers):
                day = datetime.date(year, 4, 8 + n)
                if day < today and post.member != organ_deputy:
                    talks.append(
                        (
                            ctx.organ_committee,
                            "integrity_talk",
                            day,
                            organ_deputy,
                            post.member,
                            "纪检委员履职廉政谈话",
                        )
                    )
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
                talk_party_a=a,
                talk_party_b=b,
            )
            for org, code, day, a, b, topic in talks
        ]
    )
    ActivityCredit.objects.bulk_create(
        [ActivityCredit(activity=x, activity_type=x.activity_type, is_primary=True) for x in made]
    )
    audit.record_bulk_create(made, verb="演示数据")

    rules = []
    for n, (title, kind, month, day) in enumerate(RULES):
        year = years[n % 3]
        issued = datetime.date(year, month, day)
        if issued > today:
            issued = datetime.date(year - 1, month, day)
        rules.append(
            UnitRule(
                organization=ctx.leading_group,
                title=title,
                kind=kind,
                issued_on=issued,
                document_number=f"财党组发〔{issued.year}〕{n + 3}号",
            )
        )
    if ctx.organ_committee is not None:
        for n, (offset, title, kind, month, day) in enumerate(ORGAN_RULES):
            issued = datetime.date(today.year + offset, month, day)
            if issued < today:
                rules.append(
                    UnitRule(
                        organization=ctx.organ_committee,
                        title=title,
                        kind=kind,
                        issued_on=issued,
                        document_number=f"财机党发〔{issued.year}〕{n + 5}号",
                    )
                )
    rules = UnitRule.objects.bulk_create(rules)
    revised = UnitRule.objects.create(
        organization=ctx.leading_group,
        title="公务接待管理办法（2026年修订）"
        if today.year == 2026
        else f"公务接待管理办法（{today.year}年修订）",
        kind=RuleKind.OFFICIAL_RECEPTION,
        issued_on=min(today, datetime.date(today.year, 4, 18)),
        document_number=f"财党组发〔{today.year}〕2号",
        revises=rules[2],
    )
    audit.record_bulk_create(rules, verb="演示数据")

    meeting_type = ActivityType.objects.filter(code="integrity_meeting").first()
    if meeting_type is not None:
        meetings = []
        for year in years:
            for where, month, day, topic in MEETINGS:
                org = getattr(ctx, where, None)
                held = datetime.date(year, month, day)
                if org is None or held >= today:
                    continue
                meetings.append(
                    Activity(
                        organization=org,
                        activity_type=meeting_type,
                        status=ActivityStatus.VERIFIED,
                        topic=f"{year}年{topic}",
                        planned_at=_at(held),
                        held_at=_at(held),
                        held_on=held,
                        place="机关四楼会议室",
                    )
                )
        meetings = Activity.objects.bulk_create(meetings)
        ActivityCredit.objects.bulk_create(
            [ActivityCredit(activity=x, activity_type=meeting_type, is_primary=True) for x in meetings]
        )
        audit.record_bulk_create(meetings, verb="演示数据")

    expenses = []
    unit = ctx.organ_committee or ctx.leading_group
    for back, (abroad, vehicles, reception) in EXPENSES.items():
        year = today.year - 1 - back
        expenses.append(
            PublicExpense(
                organization=unit,
                year=year,
                travel_abroad=Decimal(abroad),
                vehicles=Decimal(vehicles),
                reception=Decimal(reception),
                source_document=f"{year}年度部门决算公开表（一般公共预算财政拨款“三公”经费支出决算表）",
                entered_by=ctx.users.get("jgdw"),
            )
        )
    expenses = PublicExpense.objects.bulk_create(expenses)
    audit.record_bulk_create(expenses, verb="演示数据")
    ctx.extra["integrity_demo"] = {
        "talks": len(made),
        "rules": len(rules) + 1,
        "expenses": len(expenses),
        "revised": revised.pk,
    }
    ctx.log(f"廉政建设：廉政类谈话{len(made)}次，制度{len(rules) + 1}项，三公经费{len(expenses)}个年度")
