"""Demo builder: a campaign a year (2024–2026), its 为民办实事 items and research projects.

Runs after the activities builder and links the activities it held (study sessions, lectures,
warning education of the campaign's months) to each campaign instead of copying them, adding
only what the activities builder does not hold: the mobilisation meetings and the 调研 sessions.
Deliberate gaps, described in ``ctx.extra["campaigns_demo"]``:

- this year's campaign has no plan document yet and its midyear item is one short, past its deadline;
- two of this year's 为民办实事 items are past their deadline and still open;
- last year's campaign left one branch out of its activities;
- one research project has no output yet.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from dangjian.activities.actions import sync_credits
from dangjian.activities.choices import ActivityStatus
from dangjian.activities.models import Activity, ActivityType
from dangjian.campaigns.choices import (
    BeneficiaryUnit,
    PledgeCategory,
    PledgeSource,
    PledgeStatus,
    ProjectStatus,
    TeamKind,
)
from dangjian.campaigns.models import (
    Campaign,
    PlanItem,
    ResearchOutput,
    ResearchProject,
    ServicePledge,
    TeamMember,
)
from dangjian.core import audit
from dangjian.members.choices import ACTIVE_STATUSES
from dangjian.members.models import Member

D = datetime.date

# (year offset from this year, name, kind, goal formula, start (month, day), end (month, day) or None,
#  plan title, plan items: (title, type code, target count, due (month, day)))
CAMPAIGNS = [
    (
        -2,
        "党纪学习教育",
        "discipline_study",
        "学纪、知纪、明纪、守纪",
        (4, 8),
        (7, 31),
        "关于在全局开展党纪学习教育的实施方案",
        [
            ("开展《中国共产党纪律处分条例》专题学习", "study_session", 6, (7, 15)),
            ("开展警示教育", "warning_education", 3, (7, 31)),
            ("讲授专题党课", "party_lecture", 4, (7, 31)),
        ],
    ),
    (
        -1,
        "深入贯彻中央八项规定精神学习教育",
        "other",
        "学纪、知纪、明纪、守纪，以学促查、以学促改",
        (3, 24),
        (7, 31),
        "深入贯彻中央八项规定精神学习教育工作方案",
        [
            ("集中学习中央八项规定及其实施细则精神", "study_session", 6, (5, 31)),
            ("召开警示教育会", "warning_education", 2, (6, 30)),
            ("开展“我为群众办实事”主题党日", "theme_day", 4, (7, 31)),
        ],
    ),
    (
        0,
        "“作风建设提升年”专项整治",
        "rectification",
        "查摆问题、整改落实、建章立制",
        (3, 5),
        None,
        "“作风建设提升年”专项整治工作方案",
        [
            ("开展作风建设专题学习", "study_session", 8, (12, 31)),
            ("召开专项整治推进会", "committee_meeting", 3, (12, 31)),
            ("组织警示教育", "warning_education", 3, (6, 30)),
        ],
    ),
]
PLEDGES = [
    ("为辖区老年人上门办理社保资格认证", PledgeCategory.LIVELIHOOD, BeneficiaryUnit.PEOPLE, (60, 200), None),
    (
        "开通小微企业财政补助申报“绿色通道”",
        PledgeCategory.ENTERPRISE,
        BeneficiaryUnit.ENTERPRISES,
        (10, 60),
        (20, 120),
    ),
    ("简化政府采购供应商资格审查材料", PledgeCategory.SERVICE, BeneficiaryUnit.ENTERPRISES, (20, 90), None),
    ("帮扶村修缮灌溉水渠", PledgeCategory.LIVELIHOOD, BeneficiaryUnit.HOUSEHOLDS, (40, 160), (8, 40)),
    ("清理规范涉企收费项目", PledgeCategory.POLICY, BeneficiaryUnit.ENTERPRISES, (30, 150), None),
    ("编印惠民惠农财政补贴政策明白纸", PledgeCategory.POLICY, BeneficiaryUnit.PEOPLE, (300, 1500), (1, 3)),
    (
        "为社区困难家庭发放临时救助金",
        PledgeCategory.LIVELIHOOD,
        BeneficiaryUnit.HOUSEHOLDS,
        (10, 50),
        (5, 25),
    ),
    ("精简基层报表，合并重复填报事项", PledgeCategory.GRASSROOTS, BeneficiaryUnit.PEOPLE, (50, 200), None),
    ("推行非税收入电子缴款“一码通”", PledgeCategory.SERVICE, BeneficiaryUnit.PEOPLE, (500, 3000), (15, 60)),
    ("为退役军人集中解答优抚资金政策", PledgeCategory.POLICY, BeneficiaryUnit.PEOPLE, (40, 120), None),
    (
        "协调解决帮扶村农产品销售难题",
        PledgeCategory.LIVELIHOOD,
        BeneficiaryUnit.HOUSEHOLDS,
        (20, 80),
        (3, 12),
    ),
    ("缩短政府采购资金支付时限", PledgeCategory.ENTERPRISE, BeneficiaryUnit.ENTERPRISES, (40, 200), None),
]
# Each campaign takes members to a red site (现场教学): (days after the start, place, topic).
SITE_VISITS = [
    (32, "江临市革命历史纪念馆", "重温入党初心"),
    (61, "临江县廉政教育基地", "接受警示教育"),
]
RESULTS = {
    PledgeStatus.SOLVED: "已按计划办结，群众反映良好。",
    PledgeStatus.MECHANISM: "已办结，并出台工作规程形成长效机制。",
}
PROJECTS = [
    (-2, "预算绩效管理提质增效调研", True),
    (-2, "基层财政所职能转变调研", True),
    (-1, "涉企资金直达快享机制调研", True),
    (-1, "乡村振兴财政衔接资金使用效益调研", True),
    (0, "财政数字化改革推进情况调研", False),
    (0, "基层减负与报表精简调研", False),
]


def build(ctx: Any) -> None:
    builder = _Builder(ctx)
    builder.campaigns()
    builder.pledges()
    builder.projects()
    ctx.extra["campaigns_demo"] = builder.gaps
    ctx.log(
        f"  专题活动：{Campaign.objects.count()} 项，为民办实事 {ServicePledge.objects.count()} 件，"
        f"调研课题 {ResearchProject.objects.count()} 个"
    )


class _Builder:
    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.today: D = ctx.today
        self.types = {t.code: t for t in ActivityType.objects.all()}
        members = Member.objects.filter(status__in=ACTIVE_STATUSES).select_related("organization")
        self.by_org: dict[int, list[Member]] = {}
        for m in members:
            self.by_org.setdefault(m.organization_id, []).append(m)
        everyone = [m for ms in self.by_org.values() for m in ms]
        self.leaders = [m for m in everyone if m.department == "局领导"] or everyone[:3]
        self.gaps: dict[str, Any] = {}
        self.campaign_by_year: dict[int, Campaign] = {}

    def _held(self, org: Any, code: str, day: D, topic: str) -> Activity | None:
        if day >= self.today:
            return None
        held_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        status = ActivityStatus.VERIFIED if (self.today - day).days > 30 else ActivityStatus.HELD
        activity = Activity(
            organization=org,
            activity_type=self.types[code],
            status=status,
            topic=topic,
            planned_at=held_at,
            held_at=held_at,
            place="机关三楼会议室",
        )
        activity.save()
        sync_credits(activity, [])
        return activity

    # ---- campaigns ----------------------------------------------------------------------------
    def campaigns(self) -> None:
        ctx, rng = self.ctx, self.rng
        for offset, name, kind, goal, start, end, plan_title, items in CAMPAIGNS:
            year = self.today.year + offset
            started = D(year, *start)
            ended = D(year, *end) if end else None
            if started >= self.today:
                continue
            mobilization = self._held(
                ctx.organ_committee, "mobilization_meeting", started, f"{name}动员部署会"
            )
            current = offset == 0
            campaign = Campaign.objects.create(
                organization=ctx.organ_committee,
                name=f"{year}年{name}" if kind == "rectification" else name,
                kind=kind,
                goal_formula=goal,
                started_on=started,
                ended_on=ended,
                mobilization=mobilization,
                plan_title=plan_title,
                plan_adopted_on=started - datetime.timedelta(days=rng.randint(3, 10)),
                # This year's plan has been adopted but its file not uploaded yet (a gap to show).
                plan_document=None if current else ContentFile(b"%PDF-1.4 demo plan\n", name="plan.pdf"),
            )
            self.campaign_by_year[offset] = campaign
            for title, code, target, due in items:
                PlanItem.objects.create(
                    campaign=campaign,
                    title=title,
                    activity_type=self.types[code],
                    target_count=target,
                    due_by=D(year, *due),
                )
            self._team(campaign)
            visits = self._site_visits(campaign)
            self._link(campaign, mobilization, [(code, n) for _t, code, n, _d in items], current=current)
            campaign.activities.add(*visits)
            if current:
                self.gaps["campaign_without_plan_document"] = campaign.pk

    def _site_visits(self, campaign: Campaign) -> list[Activity]:
        """Two branches' site visits in the campaign's months, with their members present."""
        from dangjian.activities.choices import AttendanceStatus
        from dangjian.activities.models import Attendance

        made = []
        for n, (after, place, topic) in enumerate(SITE_VISITS):
            day = campaign.started_on + datetime.timedelta(days=after)
            if campaign.ended_on and day > campaign.ended_on:
                continue
            branch = self.ctx.branches[(campaign.started_on.year + n) % len(self.ctx.branches)]
            visit = self._held(branch, "site_visit", day, f"赴{place}开展现场教学，{topic}")
            if visit is None:
                continue
            visit.place = place
            visit.save(update_fields=["place"])
            Attendance.objects.bulk_create(
                [
                    Attendance(activity=visit, member=m, status=AttendanceStatus.PRESENT)
                    for m in self.by_org.get(branch.pk, [])
                ]
            )
            made.append(visit)
        return made

    def _team(self, campaign: Campaign) -> None:
        leaders = self.leaders
        secretaries = self.ctx.extra.get("secretaries") or []
        rows = [(TeamKind.LEADING_GROUP, leaders[0], "组长")]
        rows += [(TeamKind.LEADING_GROUP, m, "副组长") for m in leaders[1:3]]
        rows += [(TeamKind.LEADING_GROUP, m, "成员") for m in leaders[3:6]]
        deputy = self.ctx.extra.get("organ_deputy_secretary")
        if deputy is not None:
            rows.append((TeamKind.WORKING_TEAM, deputy, "组长"))
        rows += [(TeamKind.WORKING_TEAM, m, "成员") for m in secretaries[:3] if m != deputy]
        seen = set()
        for team, member, role in rows:
            if (team, member.pk) in seen:
                continue
            seen.add((team, member.pk))
            TeamMember.objects.create(campaign=campaign, team=team, member=member, role=role)

    def _link(
        self,
        campaign: Campaign,
        mobilization: Activity | None,
        items: list[tuple[str, int]],
        *,
        current: bool,
    ) -> None:
        """Count held activities of each plan item's type in the campaign's months towards it:
        about as many as planned, this year one short on the last item (due at midyear), and last year none of
        one branch's (gaps to show)."""
        end = campaign.ended_on or self.today
        left_out = (
            self.ctx.branches[-1] if not current and campaign.started_on.year == self.today.year - 1 else None
        )
        if left_out is not None:
            self.gaps["campaign_branch_left_out"] = (campaign.pk, left_out.pk)
        chosen: list[Activity] = [mobilization] if mobilization is not None else []
        for n, (code, target) in enumerate(items):
            candidates = [
                a
                for a in Activity.objects.held()
                .within(campaign.started_on, end)
                .filter(
                    credits__activity_type__code=code,
                    organization__path__startswith=campaign.organization.path,
                )
                .distinct()
                .order_by("held_on", "id")
                if left_out is None or a.organization_id != left_out.pk
            ]
            wanted = target - 1 if current and n == len(items) - 1 else target + self.rng.randint(0, 2)
            chosen += self.rng.sample(candidates, k=min(len(candidates), wanted))
        campaign.activities.add(*chosen)
        audit.record(campaign, "计入专题活动", {"count": len(chosen), "by": "演示数据"})

    # ---- 为民办实事 ------------------------------------------------------------------------------
    def pledges(self) -> None:
        rng, today = self.rng, self.today
        branches = self.ctx.branches
        overdue_left = 2
        for offset in (-2, -1, 0):
            year = today.year + offset
            campaign = self.campaign_by_year.get(offset)
            picks = rng.sample(PLEDGES, k=min(len(PLEDGES), 6 + 2 * (offset + 2)))
            for n, (title, category, unit, people, money) in enumerate(picks):
                branch = branches[n % len(branches)]
                staff = self.by_org.get(branch.pk) or []
                if len(staff) < 2:
                    continue
                collected = D(
                    year,
                    rng.randint(3, 9 if offset < 0 else max(3, min(9, today.month - 1))),
                    rng.randint(1, 28),
                )
                if collected >= today:
                    collected = today - datetime.timedelta(days=rng.randint(20, 60))
                deadline = collected + datetime.timedelta(days=rng.choice([30, 60, 90]))
                if offset < 0:
                    status = PledgeStatus.MECHANISM if rng.random() < 0.25 else PledgeStatus.SOLVED
                elif overdue_left and deadline < today:
                    status, overdue_left = PledgeStatus.OPEN, overdue_left - 1
                elif deadline < today and rng.random() < 0.8:
                    status = PledgeStatus.SOLVED
                else:
                    status = PledgeStatus.OPEN
                    deadline = max(deadline, today + datetime.timedelta(days=rng.randint(10, 60)))
                solved = None
                if status != PledgeStatus.OPEN:
                    solved = min(
                        deadline - datetime.timedelta(days=rng.randint(0, 20)),
                        today - datetime.timedelta(days=1),
                    )
                    solved = max(solved, collected)
                ServicePledge.objects.create(
                    organization=branch,
                    campaign=campaign if campaign and campaign.started_on <= collected else None,
                    title=title,
                    source=rng.choice(PledgeSource.values),
                    category=category,
                    collected_by=staff[1],
                    collected_on=collected,
                    handler=staff[0],
                    deadline=deadline,
                    status=status,
                    solved_on=solved,
                    beneficiaries=rng.randint(*people) if status != PledgeStatus.OPEN else None,
                    beneficiary_unit=unit,
                    amount=Decimal(rng.randint(*money)) / 2
                    if money and status != PledgeStatus.OPEN
                    else None,
                    result=RESULTS.get(status, ""),
                )
        self.gaps["overdue_pledges"] = list(
            ServicePledge.objects.overdue_on(today).values_list("pk", flat=True)
        )

    # ---- research -------------------------------------------------------------------------------
    def projects(self) -> None:
        rng, today = self.rng, self.today
        branches = self.ctx.branches
        for n, (offset, title, finished) in enumerate(PROJECTS):
            year = today.year + offset
            started = D(year, rng.randint(3, 4), rng.randint(1, 28))
            if started >= today:
                continue
            leader = self.leaders[n % len(self.leaders)]
            branch = branches[n % len(branches)]
            # Projects of a campaign report back before it closes (its summary cites their outputs).
            done_on = D(year, rng.randint(6, 7), rng.randint(1, 28)) if finished else None
            project = ResearchProject.objects.create(
                organization=self.ctx.organ_committee,
                campaign=self.campaign_by_year.get(offset),
                title=title,
                leader=leader,
                started_on=started,
                finished_on=done_on,
                status=ProjectStatus.FINISHED if finished else ProjectStatus.ONGOING,
            )
            project.team.set((self.by_org.get(branch.pk) or [])[:3])
            sessions = []
            for k in range(rng.randint(2, 4)):
                day = started + datetime.timedelta(days=20 + 25 * k)
                session = self._held(branch, "field_research", day, f"{title}：赴基层实地调研（第{k + 1}次）")
                if session is not None:
                    sessions.append(session)
            project.sessions.set(sessions)
            if finished:
                ResearchOutput.objects.create(
                    project=project,
                    kind="report",
                    title=f"关于{title.removesuffix('调研')}的调研报告",
                    issued_on=done_on,
                    adopted=rng.random() < 0.6,
                )
                if rng.random() < 0.5:
                    ResearchOutput.objects.create(
                        project=project,
                        kind="proposal",
                        title=f"{title.removesuffix('调研')}的对策建议",
                        issued_on=done_on,
                    )
            elif sessions and n % 2 == 0:
                ResearchOutput.objects.create(
                    project=project,
                    kind="article",
                    title=f"{title.removesuffix('调研')}的阶段性思考",
                    issued_on=min(
                        today - datetime.timedelta(days=1), sessions[-1].held_on + datetime.timedelta(days=10)
                    ),
                )
            else:
                self.gaps["project_without_output"] = project.pk
