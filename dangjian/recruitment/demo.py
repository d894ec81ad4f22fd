"""Demo admission cases: one or more in every stage, one overdue, one with probation extended, a plan.

All names are invented. Dates are measured back from the demo's ``today`` so that the due list
always has something to show.
"""

from __future__ import annotations

import datetime
from typing import Any

from dangjian.core.dates import add_months
from dangjian.members.choices import MemberStatus
from dangjian.members.models import Member
from dangjian.members.validators import id_check_digit
from dangjian.recruitment import actions, rules

A = datetime.timedelta


def happy_dates(start: datetime.date) -> dict[int, datetime.date]:
    """A date for every step after an application on ``start`` that respects every rule."""
    d: dict[int, datetime.date] = {1: start, 2: start + A(10), 3: add_months(start, 1)}
    d[4], d[5] = d[3] + A(1), d[3] + A(2)
    d[6] = add_months(d[3], 4)
    d[7] = add_months(d[3], 12) + A(5)
    for n, days in zip(range(8, 15), (1, 2, 3, 4, 20, 25, 30), strict=True):
        d[n] = d[7] + A(days)
    d[15] = d[14] + A(10)
    d[16], d[17], d[18], d[19], d[20] = (d[15] + A(x) for x in (20, 30, 32, 33, 35))
    d[21] = add_months(d[15], 6)
    d[22] = add_months(d[15], 12)
    d[23], d[24], d[25] = d[22] + A(5), d[22] + A(30), d[22] + A(40)
    return d


# (name, gender, months ago the application came in, last step to record, what else happens)
CASES: list[tuple[str, str, int, int, str]] = [
    ("林晓雨", "female", 0, 1, ""),  # application: talk due within the month
    ("韩子墨", "male", 2, 1, ""),  # application: talk overdue
    ("许可欣", "female", 5, 2, ""),  # talked to, waiting to be named activist
    ("邓嘉禾", "male", 8, 6, ""),  # activist, review falls due
    ("曹语桐", "female", 11, 5, ""),  # activist, review overdue
    ("彭立川", "male", 15, 11, ""),  # candidate, trained, waiting for the committee review
    ("蒋思远", "male", 17, 14, ""),  # admission stage: ready for the vote
    ("沈若兰", "female", 17, 15, "failed"),  # vote failed, can go on later
    ("范书宁", "female", 16, 15, ""),  # vote passed, approval pending
    ("魏承泽", "male", 22, 21, ""),  # probationary, observed
    ("秦雅静", "female", 27, 21, ""),  # probation ended: confirmation due
    ("姚文博", "male", 40, 23, "extended"),  # confirmation vote failed, probation extended 6 months
    ("袁梦琪", "female", 36, 25, ""),  # confirmed and archived
]


def build(ctx: Any) -> None:
    if not ctx.branches:
        return
    today: datetime.date = ctx.today
    created = 0
    for index, (name, gender, months_ago, upto, extra) in enumerate(CASES):
        branch = ctx.branches[index % min(len(ctx.branches), 4)]
        full = list(Member.objects.filter(organization=branch, status=MemberStatus.FULL).order_by("id")[:12])
        if len(full) < 2:
            continue
        start = add_months(today, -months_ago) - A(5 if months_ago else 3)
        if months_ago == 0:
            start = today - A(3)
        born = datetime.date(1990 + index % 8, 1 + index % 12, 5 + index)
        first17 = f"330106{born:%Y%m%d}{700 + index:03d}"
        case = actions.do_open_case(
            application_date=start,
            acting_user=None,
            via="demo",
            name=name,
            gender=gender,
            birth_date=born,
            id_number=first17 + id_check_digit(first17),
            phone=f"1390000{index:04d}",
            department="综合科",
            organization=branch,
            checklist=["入党申请书"],
        )
        dates = happy_dates(start)
        voters = len(full)
        for number in range(2, upto + 1):
            kwargs: dict[str, Any] = {}
            if number in (rules.MENTORS, rules.SPONSOR):
                kwargs["people"] = full[:2] if number == rules.MENTORS else full[2:4] or full[:2]
            if number in rules.VOTE_STEPS:
                fail = (extra == "failed" and number == 15) or (extra == "extended" and number == 23)
                kwargs["vote"] = actions.Vote(
                    eligible=voters,
                    present=voters,
                    votes_for=1 if fail else voters,
                    against=voters - 1 if fail else 0,
                    abstain=0,
                )
            if number == rules.TRAINING:
                kwargs["training_days"] = 3
            actions.do_record_step(
                case,
                number,
                date=dates[number],
                acting_user=None,
                via="demo",
                checklist=list(rules.RULES[number].checklist),
                notes="",
                **kwargs,
            )
        if extra == "extended":
            actions.do_extend_probation(
                case,
                months=6,
                date=dates[23],
                acting_user=None,
                via="demo",
                notes="支部党员大会决定延长预备期六个月。",
            )
        created += 1
    for branch in ctx.branches:
        actions.do_save_plan(organization=branch, year=today.year, planned=2, acting_user=None, via="demo")
    ctx.log(
        f"  发展党员：{created} 份档案（各阶段均有，含超期和延长预备期各一例），{len(ctx.branches)} 个支部的年度计划"
    )
