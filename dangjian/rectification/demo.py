"""Demo rectification ledger: findings of the branches' 组织生活会 and the 党组's 民主生活会 (linked
to the demo meetings), a 巡察 and an audit with their findings, self-inspection and a fund check,
over the current year and the two before — most closed, some overdue, one reopened.

All texts are invented for the demo.
"""

from __future__ import annotations

import datetime
from typing import Any

from dangjian.activities.models import Activity
from dangjian.core.dates import add_months
from dangjian.members.choices import MemberStatus
from dangjian.members.models import Member
from dangjian.rectification import actions

A = datetime.timedelta

ORG_LIFE = [
    ("理论学习与业务工作结合不够紧密，学用脱节", ["制定学用结合清单", "每季度开展一次学习交流"]),
    ("开展批评与自我批评辣味不足，相互提醒不够", ["支委会专题学习批评与自我批评要求", "开展一轮谈心谈话"]),
    ("党员先锋岗作用发挥不明显", ["重新设岗定责", "季度评议一次"]),
    ("主题党日形式较单一，吸引力不强", ["结合业务开展实践型主题党日"]),
]
DEMOCRATIC_LIFE = [
    ("落实意识形态工作责任制还有差距，研判不够经常", ["每半年专题研判一次意识形态形势"]),
    ("深入基层调研不够，调研成果转化不足", ["班子成员每人确定一个调研课题", "调研报告提交党组会研究"]),
    ("对分管领域干部日常教育提醒不够", ["建立分管领域谈心谈话台账"]),
]
INSPECTION = [
    ("“三重一大”事项集体决策记录不完整", ["修订“三重一大”决策制度", "补齐会议记录"]),
    ("党支部换届程序不够规范", ["对照选举工作条例逐项整改"]),
    ("基层党组织书记抓党建述职评议考核结果运用不够", ["考核结果纳入年度考核"]),
    ("部分党员组织关系转接不及时", ["全面排查组织关系", "建立转接提醒"]),
]
# A special-fund check of the leading group each of the last two years (a finance bureau checks
# its own subsidy funds): its findings go through the ledger like any other.
FUND_CHECKS = [
    (
        -1,
        "惠民惠农财政补贴资金专项检查",
        "局财会监督科",
        "2380.00",
        [
            ("个别补贴资金发放台账与花名册信息不一致", ["逐户核对发放信息", "建立发放台账月度核对机制"]),
            ("补贴资金拨付进度滞后于序时进度", ["制定拨付进度表", "每月通报拨付进度"]),
        ],
    ),
    (
        0,
        "就业补助资金使用情况专项检查",
        "局财会监督科",
        "1640.00",
        [
            ("部分培训补贴申报材料审核不严", ["完善审核要点清单", "对已拨付项目开展复核"]),
            ("资金绩效目标设置不够细化", ["细化绩效目标", "开展绩效运行监控"]),
        ],
    ),
]
CAMPAIGN_FINDINGS = [
    ("会议多、文件多，基层报表重复填报", ["合并同类报表", "建立报表准入制度"]),
    ("个别干部服务企业主动性不强，办事流程解释不清", ["编印办事指南", "开展窗口服务培训"]),
]
AUDIT = [
    ("部分公务接待审批手续不全", ["规范公务接待审批单", "开展一次自查"]),
    ("固定资产账实不符", ["开展资产清查", "完善资产台账"]),
]
SELF = [
    ("党费收缴台账与银行流水核对不及时", ["建立月度核对制度"]),
    ("会议记录存在代签情况", ["重申会议签到要求", "支委逐月检查会议记录"]),
    ("党员学习积分登记滞后", ["每月5日前完成上月积分登记"]),
]


def _meetings(code: str, year: int) -> list[Activity]:
    return list(
        Activity.objects.held()
        .of_type(code)
        .filter(held_on__year=year)
        .select_related("organization")
        .order_by("held_on")
    )


def build(ctx: Any) -> None:
    if not ctx.branches:
        return
    today: datetime.date = ctx.today
    verifier = ctx.users.get("jgdw")
    verifier_member = getattr(getattr(verifier, "role", None), "member_id", None)
    year = today.year
    ordinary = getattr(getattr(ctx.users.get("dy1"), "role", None), "member", None)
    made = {"found": 0, "closed": 0, "overdue": 0, "reopened": 0}

    def people(org: Any) -> list[Member]:
        found = list(
            Member.objects.filter(organization=org, status=MemberStatus.FULL)
            .exclude(pk=verifier_member)
            .order_by("id")[:6]
        )
        return found or list(
            Member.objects.filter(status=MemberStatus.FULL).exclude(pk=verifier_member).order_by("id")[:6]
        )

    def add(
        org: Any,
        source: str,
        found_on: datetime.date,
        text: str,
        measures: list[str],
        *,
        days: int,
        state: str,
        index: int,
        **links: Any,
    ) -> None:
        who = people(org)
        finding = actions.do_create_finding(
            acting_user=None,
            via="demo",
            organization=org,
            source=source,
            found_on=found_on,
            description=text,
            responsible=who[index % len(who)],
            deadline=found_on + A(days),
            measures=measures,
            **links,
        )
        made["found"] += 1
        if state in ("closed", "reopened"):
            closed_on = min(found_on + A(days - 10), today - A(1))
            for measure in finding.measures.all():
                actions.do_complete_measure(measure, done_on=closed_on - A(5), acting_user=None, via="demo")
            actions.do_close_finding(
                finding,
                closed_on=closed_on,
                evidence=f"已完成{len(measures)}项整改措施，相关制度和台账已归档。",
                acting_user=verifier,
                via="demo",
            )
            made["closed"] += 1
        if state == "reopened":
            actions.do_reopen_finding(
                finding,
                reason="复查发现问题反弹，整改不到位",
                on=min(closed_on + A(40), today - A(3)),
                deadline=today + A(20),
                acting_user=verifier,
                via="demo",
            )
            made["reopened"] += 1
        if state == "open" and finding.deadline < today:
            made["overdue"] += 1
        if state == "half" and finding.measures.exists():
            first = finding.measures.order_by("id").first()
            actions.do_complete_measure(
                first, done_on=min(found_on + A(20), today), acting_user=None, via="demo"
            )

    # 组织生活会 of the branches: two years back all closed; last year's mostly closed, one reopened,
    # one still open past its deadline (the gap a supervisor should catch).
    for back in (2, 1):
        for n, meeting in enumerate(_meetings("org_life_meeting", year - back)[:5]):
            text, measures = ORG_LIFE[n % len(ORG_LIFE)]
            state = "closed"
            if back == 1 and n == 1:
                state = "reopened"
            elif back == 1 and n == 2:
                state = "open"
            add(
                meeting.organization,
                "org_life",
                meeting.held_on,
                text,
                measures,
                days=120,
                state=state,
                index=n,
                meeting=meeting,
            )
    for back in (2, 1):
        for meeting in _meetings("democratic_life_meeting", year - back)[:1]:
            for k, (text, measures) in enumerate(DEMOCRATIC_LIFE):
                state = "closed" if back == 2 or k != 2 else "half"
                add(
                    meeting.organization,
                    "democratic_life",
                    meeting.held_on,
                    text,
                    measures,
                    days=180,
                    state=state,
                    index=k,
                    meeting=meeting,
                )

    # A 巡察 last spring of the organ committee and an audit two years back of the leading group.
    start = datetime.date(year - 1, 4, 8)
    inspection = actions.do_create_inspection(
        acting_user=None,
        via="demo",
        organization=ctx.organ_committee,
        kind="inspection",
        title=f"{year - 1}年县委第二巡察组常规巡察",
        conducted_by="县委第二巡察组",
        started_on=start,
        ended_on=start + A(45),
        report_number=f"二巡反馈〔{year - 1}〕3号",
    )
    states = ["closed", "closed", "open", "half"]
    for k, (text, measures) in enumerate(INSPECTION):
        org = ctx.branches[k % len(ctx.branches)] if k in (1, 3) else ctx.organ_committee
        days = 180 if k != 3 else (today - start).days + 25  # the last one is due in a few weeks
        add(
            org,
            "inspection",
            start + A(60),
            text,
            measures,
            days=days,
            state=states[k],
            index=k,
            inspection=inspection,
        )
    audit_start = datetime.date(year - 2, 9, 1)
    audit = actions.do_create_inspection(
        acting_user=None,
        via="demo",
        organization=ctx.leading_group,
        kind="audit",
        title=f"{year - 2}年主要负责人经济责任审计",
        conducted_by="县审计局",
        started_on=audit_start,
        ended_on=audit_start + A(30),
        report_number=f"审经责〔{year - 2}〕12号",
        amount_checked=1860,
    )
    for k, (text, measures) in enumerate(AUDIT):
        add(
            ctx.leading_group,
            "audit",
            audit_start + A(40),
            text,
            measures,
            days=90,
            state="closed",
            index=k + 1,
            inspection=audit,
        )

    for offset, title, by, amount, rows in FUND_CHECKS:
        check_start = datetime.date(year + offset, 5, 12)
        if check_start >= today:
            continue
        check = actions.do_create_inspection(
            acting_user=None,
            via="demo",
            organization=ctx.leading_group,
            kind="fund_check",
            title=f"{year + offset}年{title}",
            conducted_by=by,
            started_on=check_start,
            ended_on=check_start + A(20),
            report_number=f"财监〔{year + offset}〕{7 - offset}号",
            amount_checked=amount,
        )
        for k, (text, measures) in enumerate(rows):
            # last year's both closed; this year's second still in progress within its deadline
            state = "closed" if offset < 0 or k == 0 else "half"
            days = 90 if state == "closed" else (today - check_start).days + 40
            add(
                ctx.leading_group,
                "fund_check",
                check_start + A(25),
                text,
                measures,
                days=days,
                state=state,
                index=k,
                inspection=check,
            )

    # The 机关纪委 checks the branches' dues each autumn (a task on the 机关党委's list): last
    # year's check found one problem, since closed.
    dues_start = datetime.date(year - 1, 10, 9)
    dues_check = actions.do_create_inspection(
        acting_user=None,
        via="demo",
        organization=ctx.organ_committee,
        kind="supervision",
        title=f"{year - 1}年党费收缴使用管理专项检查",
        conducted_by="机关纪委",
        started_on=dues_start,
        ended_on=dues_start + A(15),
        report_number=f"机纪检〔{year - 1}〕2号",
    )
    add(
        ctx.branches[-2],
        "supervision",
        dues_start + A(16),
        "个别党支部党费收缴登记不及时，缴纳凭证保管不规范",
        ["建立党费收缴月度登记台账", "统一凭证归档要求"],
        days=60,
        state="closed",
        index=0,
        inspection=dues_check,
    )

    # Problems each campaign of the last two years turned up in its 查摆 (their source is the
    # campaign): last year's closed, this year's one closed and one in progress.
    from dangjian.campaigns.models import Campaign

    for campaign in Campaign.objects.filter(started_on__year__gte=year - 1).order_by("started_on"):
        for k, (text, measures) in enumerate(CAMPAIGN_FINDINGS):
            found_on = campaign.started_on + A(40 + 10 * k)
            if found_on >= today:
                continue
            state = "closed" if campaign.started_on.year < year or k == 0 else "half"
            add(
                ctx.branches[(k + 2) % len(ctx.branches)],
                "campaign",
                found_on,
                text,
                measures,
                days=90 if state == "closed" else (today - found_on).days + 30,
                state=state,
                index=k,
                campaign=campaign,
            )

    # This year's self-inspection: one overdue, one in progress, one just registered.
    for k, (text, measures) in enumerate(SELF):
        found_on = add_months(today, -(5 - 2 * k))
        days = [60, 150, 90][k]
        add(
            ctx.branches[k % len(ctx.branches)],
            "self",
            found_on,
            text,
            measures,
            days=days,
            state="open" if k != 1 else "half",
            index=k,
            # The ordinary demo member (dy1) answers for branch 1's: it shows on their own page.
            person=ordinary if k == 0 else None,
        )
    ctx.log(
        f"  整改台账：{made['found']} 个问题（销号 {made['closed']} 个，重新整改 {made['reopened']} 个，"
        f"超期 {made['overdue']} 个），巡察审计和专项资金检查"
    )
