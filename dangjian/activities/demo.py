"""Demo builder: three years of organizational life for the fictional bureau, with true gaps.

Runs after the members builder. Everything is bulk-created (the demo must build in seconds),
so the fields ``do_record`` would derive are set here by the same rules: ``held_on``, one
credit per counted type, ``lecturer_is_secretary`` from the posts of the day, and the voters
snapshot of a general meeting that votes. Deliberate gaps, for the compliance warnings, are
described in ``ctx.extra``:

- ``committee_gap_branch`` / ``committee_gap_months``: a branch that skipped its 支委会 in those
  months (first day of each month);
- ``absent_member`` / ``absent_since``: a member marked absent at everything since that date
  (over six months — 党章 Art 9);
- ``silent_secretary`` / ``silent_secretary_branch``: a branch secretary who has not lectured
  this year (支部工作条例 Art 16);
- ``activities_demo``: counts of what was built.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from typing import Any

from django.utils import timezone

from dangjian.activities.actions import draw_pick, is_late
from dangjian.activities.choices import ActivityStatus, AttendanceStatus
from dangjian.activities.models import (
    Activity,
    ActivityCredit,
    ActivityType,
    Attendance,
    Reflection,
    SpeakerDraw,
)
from dangjian.activities.roster import member_active_on, member_votes_on
from dangjian.core import audit
from dangjian.core.dates import add_months
from dangjian.members.models import Member, Post
from dangjian.orgs.choices import PostKind

# Meetings the demo's branches sign in to by scanning (扫码签到) in the last two months.
SCANNED_TYPES = {"general_meeting", "theme_day", "party_lecture"}

THEME_TOPICS = [
    "重温入党誓词，过政治生日",
    "学习党章党规",
    "学习贯彻习近平新时代中国特色社会主义思想",
    "参观廉政教育基地",
    "“我为群众办实事”志愿服务",
    "学习《中国共产党纪律处分条例》",
    "财政系统警示教育案例学习",
    "党史学习教育专题研讨",
    "深入社区开展政策宣讲",
    "学习全国两会精神",
    "践行“四下基层”制度",
    "年度工作回顾与作风建设",
]
HIGHLIGHTS = {
    (2, 5): "结合“我为群众办实事”，支部党员走进联系社区开设“财政政策小课堂”，为居民讲解惠民补贴申领流程，"
    "现场解答群众咨询，把政策讲到家门口。",
    (4, 9): "支部组织党员深入社区和企业开展财政政策宣讲，把减税降费、稳岗补贴等政策送到群众身边，"
    "逐步形成“政策宣讲进社区”支部品牌。",
}
COMMITTEE_TOPICS = [
    "研究本月主题党日安排",
    "研究党员发展和教育管理工作",
    "研究党费收缴情况",
    "研究落实意识形态工作责任制",
    "研究年度组织生活会准备工作",
    "研究上级党组织部署的重点工作",
]
LECTURE_TOPICS = [
    "坚定理想信念，筑牢财政干部思想根基",
    "以党的创新理论指导财政改革实践",
    "严守纪律规矩，做忠诚干净担当的财政干部",
    "弘扬伟大建党精神",
    "全面从严治党永远在路上",
    "发扬斗争精神，增强斗争本领",
]
STUDY_TOPICS = [
    "学习习近平总书记重要讲话精神",
    "学习中央经济工作会议精神",
    "学习《习近平谈治国理政》",
    "学习党的二十大报告",
    "学习中央八项规定精神",
    "学习预算法及实施条例",
]
LEAVE_REASONS = ["出差", "公务外出", "病假", "参加培训", "年休假", "下乡调研"]
PLACES = ["机关三楼会议室", "党员活动室", "五楼小会议室", "机关党建活动中心"]


TALK_CODES = ("talk", "integrity_talk", "reminder_talk", "admonishment_talk")


def _weekday(day: datetime.date) -> datetime.date:
    """Move a Saturday or Sunday to the next Monday: meetings are held on working days."""
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def build(ctx: Any) -> None:
    started = datetime.datetime.now()
    builder = _Builder(ctx)
    builder.plan_everything()
    builder.write()
    seconds = (datetime.datetime.now() - started).total_seconds()
    ctx.extra["activities_demo"] = dict(builder.counts)
    ctx.log(
        f"  组织生活：{builder.counts['activities']} 项活动、{builder.counts['attendances']} 条出勤记录"
        f"（{seconds:.1f} 秒）"
    )


class _Builder:
    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.today: datetime.date = ctx.today
        self.last_day = self.today - datetime.timedelta(days=1)  # never "held" later than yesterday
        self.first_day = datetime.date(self.today.year - 2, 1, 1)
        self.types = {t.code: t for t in ActivityType.objects.all()}
        self.members = list(Member.objects.select_related("organization", "cell"))
        self.by_org: dict[int, list[Member]] = defaultdict(list)
        self.by_cell: dict[int, list[Member]] = defaultdict(list)
        for m in self.members:
            self.by_org[m.organization_id].append(m)
            if m.cell_id:
                self.by_cell[m.cell_id].append(m)
        self.posts = list(Post.objects.select_related("member"))
        self.member_by_id = {m.pk: m for m in self.members}
        # (activity, type codes also counted, cells, [(member, status, reason, makeup)], guests)
        self.planned: list[dict[str, Any]] = []
        self.reflections: list[Reflection] = []
        self.counts: dict[str, int] = defaultdict(int)
        self._choose_gaps()

    # The deliberate gaps --------------------------------------------------------------------
    def _choose_gaps(self) -> None:
        ctx, rng = self.ctx, self.rng
        branches = ctx.branches
        with_committee = [b for b in branches if b.has_committee]
        gap_branch = with_committee[3] if len(with_committee) > 3 else with_committee[-1]
        months = [datetime.date(self.today.year, m, 1) for m in range(1, self.today.month)]
        months += [datetime.date(self.today.year - 1, m, 1) for m in range(1, 13)]
        self.gap_months = sorted(rng.sample(months, min(4, len(months))))
        self.gap_branch = gap_branch
        ctx.extra["committee_gap_branch"] = gap_branch
        ctx.extra["committee_gap_months"] = self.gap_months

        secretaries = ctx.extra.get("secretaries") or []
        silent_index = 1 if len(branches) > 1 else 0
        self.silent_branch = branches[silent_index]
        self.silent_secretary = secretaries[silent_index] if len(secretaries) > silent_index else None
        ctx.extra["silent_secretary"] = self.silent_secretary
        ctx.extra["silent_secretary_branch"] = self.silent_branch

        # An ordinary member (no post, no account) of another branch stops coming.
        posted = {p.member_id for p in self.posts}
        absent_branch = branches[4] if len(branches) > 4 else branches[-1]
        candidates = [
            m
            for m in self.by_org[absent_branch.pk]
            if m.status == "full" and m.pk not in posted and m.user_id is None and not m.is_mobile
        ]
        self.absent_member = candidates[0] if candidates else None
        self.absent_since = add_months(self.today, -8)
        ctx.extra["absent_member"] = self.absent_member
        ctx.extra["absent_since"] = self.absent_since

    # Who and when -------------------------------------------------------------------------------
    def _posts_on(self, org: Any, day: datetime.date, kinds: tuple[str, ...] | None = None) -> list[Member]:
        return [
            p.member
            for p in self.posts
            if p.organization_id == org.pk
            and p.started_on <= day
            and (p.ended_on is None or p.ended_on > day)
            and (kinds is None or p.kind in kinds)
            and p.kind != PostKind.CELL_LEADER
        ]

    def _secretary_on(self, org: Any, day: datetime.date) -> Member | None:
        found = self._posts_on(org, day, (PostKind.SECRETARY,))
        return found[0] if found else None

    def _roster(self, org: Any, day: datetime.date, code: str) -> list[Member]:
        if code == "committee_meeting":
            people = self._posts_on(org, day)
        elif org.kind == "cell":
            people = self.by_cell[org.pk]
        elif org.kind in ("leading_group", "organ_committee"):
            people = self._posts_on(org, day) + self.by_org[org.pk]
        else:
            people = self.by_org[org.pk]
        unique = {m.pk: m for m in people if member_active_on(m, day)}
        return sorted(unique.values(), key=lambda m: m.pk)

    def _at(self, day: datetime.date, hour: int) -> datetime.datetime:
        return timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(hour, 30 if hour == 14 else 0))
        )

    def _months(self) -> list[datetime.date]:
        months, month = [], self.first_day
        while month <= self.today:
            months.append(month)
            month = add_months(month, 1)
        return months

    # Planning ---------------------------------------------------------------------------------
    def _add(
        self,
        org: Any,
        code: str,
        day: datetime.date,
        topic: str,
        *,
        hour: int = 9,
        also: tuple[str, ...] = (),
        cells: tuple[Any, ...] = (),
        lecturer: Member | None = None,
        vote: str = "",
        **fields: Any,
    ) -> dict[str, Any] | None:
        if day > self.last_day or day < self.first_day:
            return None
        if org.established_on and day < org.established_on:
            return None
        held_at = self._at(day, hour)
        # Older records have been checked by the 机关党委; the last month's wait in the queue.
        status = ActivityStatus.VERIFIED if (self.today - day).days > 30 else ActivityStatus.HELD
        activity = Activity(
            organization=org,
            activity_type=self.types[code],
            status=status,
            topic=topic,
            planned_at=held_at if code != "talk" else None,
            held_at=held_at,
            held_on=day,
            place=self.rng.choice(PLACES),
            lecturer=lecturer,
            **fields,
        )
        if "host" not in fields and code not in TALK_CODES:
            # Meetings are chaired by the organization's secretary (a cell's by its branch's),
            # so a 述职报告 can tell what its subject chaired from what the branches held.
            activity.host = self._secretary_on(org.parent if org.kind == "cell" else org, day)
        if lecturer is not None:
            secretary = self._secretary_on(org.parent if org.kind == "cell" else org, day)
            activity.lecturer_is_secretary = secretary is not None and secretary.pk == lecturer.pk
        rows: list[tuple[Member, str, str, datetime.date | None]] = []
        if self.types[code].takes_attendance:
            for m in self._roster(org, day, code):
                rows.append(self._attendance(m, day))
        if vote:
            voters = [m for m, *_ in rows if member_votes_on(m, day)]
            present = [
                m for m, status, *_ in rows if status == AttendanceStatus.PRESENT and member_votes_on(m, day)
            ]
            if len(present) * 2 <= len(voters):
                vote = ""  # no quorum, no vote (支部工作条例 Art 11)
            else:
                activity.has_vote, activity.vote_subject = True, vote
                activity.eligible_voters, activity.present_voters = len(voters), len(present)
                activity.votes_for, activity.votes_against, activity.votes_abstain = len(present), 0, 0
        item = {"activity": activity, "also": also, "cells": cells, "rows": rows}
        self.planned.append(item)
        return item

    def _attendance(self, m: Member, day: datetime.date) -> tuple[Member, str, str, datetime.date | None]:
        if self.absent_member is not None and m.pk == self.absent_member.pk and day >= self.absent_since:
            return m, AttendanceStatus.ABSENT, "", None
        roll = self.rng.random()
        if roll < 0.90:
            return m, AttendanceStatus.PRESENT, "", None
        status = AttendanceStatus.LEAVE if roll < 0.96 else AttendanceStatus.ABSENT
        reason = self.rng.choice(LEAVE_REASONS) if status == AttendanceStatus.LEAVE else ""
        makeup = day + datetime.timedelta(days=self.rng.randint(2, 12))
        return m, status, reason, makeup if makeup <= self.last_day and self.rng.random() < 0.75 else None

    def plan_everything(self) -> None:
        ctx, rng = self.ctx, self.rng
        for month in self._months():
            quarter_end = month.month % 3 == 0
            for index, branch in enumerate(ctx.branches):
                self._branch_month(index, branch, month, quarter_end)
            for cell in ctx.cells:
                day = _weekday(month.replace(day=rng.randint(18, 24)))
                self._add(
                    cell,
                    "cell_meeting",
                    day,
                    f"{cell.name.split('（')[0]}学习{rng.choice(STUDY_TOPICS)}",
                    hour=16,
                )
            self._leading_group_month(month)
            if month.month % 2 == 0:
                self._forum(month)
        self._yearly()
        self._talks()

    def _branch_month(self, index: int, branch: Any, month: datetime.date, quarter_end: bool) -> None:
        rng = self.rng
        if branch.has_committee and not (branch.pk == self.gap_branch.pk and month in self.gap_months):
            day = _weekday(month.replace(day=rng.randint(3, 7)))
            self._add(branch, "committee_meeting", day, rng.choice(COMMITTEE_TOPICS), hour=16)
        # 主题党日: a fixed day of the month (支部工作条例 Art 16); some include a lecture or service.
        day = _weekday(month.replace(day=15))
        also: tuple[str, ...] = ()
        topic = THEME_TOPICS[(month.month - 1) % len(THEME_TOPICS)]
        if "志愿服务" in topic or "社区" in topic:
            also = ("volunteer_service",)
        elif "警示" in topic or "廉政" in topic:
            also = ("warning_education",)
        elif month.month in (7,):
            also = ("party_lecture",)
        # Two branches' theme days are marked as highlights each year (the reports' 特色亮点).
        highlight = HIGHLIGHTS.get((index, month.month))
        extra = {"is_highlight": True, "highlight_text": highlight} if highlight else {}
        self._add(branch, "theme_day", day, f"主题党日：{topic}", hour=14, also=also, **extra)
        if quarter_end:
            self._general_meeting(index, branch, month)
            self._lecture(index, branch, month)

    def _general_meeting(self, index: int, branch: Any, month: datetime.date) -> None:
        day = _weekday(month.replace(day=self.rng.randint(22, 27)))
        vote = "评议党员、表决通过年度党建工作计划" if month.month == 3 else ""
        if month.month == 12:
            vote = "表决通过支部年度工作报告"
        self._add(
            branch,
            "general_meeting",
            day,
            f"{month.year}年第{month.month // 3}季度支部党员大会",
            hour=15,
            vote=vote,
            also=("study_session",) if month.month == 6 else (),
        )

    def _lecture(self, index: int, branch: Any, month: datetime.date) -> None:
        day = _weekday(month.replace(day=self.rng.randint(8, 12)))
        secretary = self._secretary_on(branch, day)
        committee = [m for m in self._posts_on(branch, day) if secretary is None or m.pk != secretary.pk]
        silent = branch.pk == self.silent_branch.pk and day.year == self.today.year
        # The secretary lectures once a year (Art 16), in the second quarter; others take the rest.
        if month.month == 6 and secretary is not None and not silent:
            lecturer = secretary
        else:
            pool = committee or [m for m in self.by_org[branch.pk] if member_active_on(m, day)]
            lecturer = self.rng.choice(pool) if pool else None
        self._add(branch, "party_lecture", day, self.rng.choice(LECTURE_TOPICS), hour=15, lecturer=lecturer)

    def _leading_group_month(self, month: datetime.date) -> None:
        lg = self.ctx.leading_group
        day = _weekday(month.replace(day=self.rng.randint(9, 14)))
        # 第一议题: the 党组 studies the latest important speech first at most of its meetings.
        first_agenda = month.month % 3 != 2
        self._add(
            lg,
            "central_study",
            day,
            f"党组理论学习中心组{self.rng.choice(STUDY_TOPICS)}",
            hour=9,
            is_first_agenda=first_agenda,
        )

    def _forum(self, month: datetime.date) -> None:
        oc = self.ctx.organ_committee
        branch = self.ctx.branches[0]
        day = _weekday(month.replace(day=self.rng.randint(25, 28)))
        # The 机关党委 runs the forum for the whole organ: its secretary chairs it.
        self._add(
            branch,
            "biweekly_forum",
            day,
            "双周讲坛：青年干部学习分享",
            hour=16,
            host=self._secretary_on(oc, day),
        )

    def _yearly(self) -> None:
        ctx = self.ctx
        for year in range(self.first_day.year, self.today.year + 1):
            for branch in ctx.branches:
                # 组织生活会 with 民主评议党员 (Art 17, 19), in Q4 — or January for the year before.
                day = _weekday(datetime.date(year, 12, self.rng.randint(10, 20)))
                self._add(
                    branch,
                    "org_life_meeting",
                    day,
                    f"{year}年度组织生活会暨民主评议党员",
                    hour=14,
                    also=("member_appraisal",),
                )
                self._add(
                    branch,
                    "warning_education",
                    _weekday(datetime.date(year, 4, 20)),
                    "观看警示教育片《财政系统典型案例》",
                    hour=15,
                    host=self._secretary_on(ctx.organ_committee, datetime.date(year, 4, 20)),
                )
            self._add(
                ctx.leading_group,
                "democratic_life_meeting",
                _weekday(datetime.date(year, 12, 26)),
                f"{year}年度党组民主生活会",
                hour=9,
            )

    def _talks(self) -> None:
        """Each secretary talks with each member of the branch once a year (Art 18), spread out."""
        ctx = self.ctx
        talk_type = self.types["talk"]
        del talk_type
        for year in range(self.first_day.year, self.today.year + 1):
            for index, branch in enumerate(ctx.branches):
                for m in self.by_org[branch.pk]:
                    day = _weekday(
                        datetime.date(year, 1, 1) + datetime.timedelta(days=self.rng.randint(20, 330))
                    )
                    secretary = (
                        self._secretary_on(branch, day) or (ctx.extra.get("secretaries") or [None])[index]
                    )
                    if secretary is None or secretary.pk == m.pk or not member_active_on(m, day):
                        continue
                    if (
                        self.absent_member is not None
                        and m.pk == self.absent_member.pk
                        and day >= self.absent_since
                    ):
                        continue
                    self._add(
                        branch,
                        "talk",
                        day,
                        self.rng.choice(["谈思想、谈工作", "谈作风纪律", "了解思想动态和工作困难"]),
                        hour=10,
                        talk_party_a=secretary,
                        talk_party_b=m,
                    )

    # Writing --------------------------------------------------------------------------------
    def _scans(self, activity: Activity) -> Any:
        """扫码签到 times for meetings of the last two months (branches began scanning in then):
        most arrive a little early, a few after the grace. Its own random stream, so the rest of
        the demo stays as it was."""
        recent = self.today - datetime.timedelta(days=60)
        if not activity.held_at or activity.held_on is None or activity.held_on < recent:
            return lambda member: None
        if activity.activity_type.code not in SCANNED_TYPES:
            return lambda member: None
        rng = random.Random(activity.held_at.isoformat() + activity.topic)
        return lambda member: (
            activity.held_at
            + datetime.timedelta(minutes=rng.choice([-12, -9, -7, -5, -4, -3, -2, -1, 0, 2, 3, 8, 15]))
        )

    def write(self) -> None:
        items = self.planned
        activities = Activity.objects.bulk_create([i["activity"] for i in items], batch_size=500)
        audit.record_bulk_create(activities, verb="演示数据")
        credits, also_rows, cell_rows, attendances = [], [], [], []
        AlsoThrough = Activity.also_counts_as.through
        CellThrough = Activity.cells.through
        for item, activity in zip(items, activities, strict=True):
            credits.append(
                ActivityCredit(activity=activity, activity_type=activity.activity_type, is_primary=True)
            )
            for code in item["also"]:
                credits.append(
                    ActivityCredit(activity=activity, activity_type=self.types[code], is_primary=False)
                )
                also_rows.append(AlsoThrough(activity_id=activity.pk, activitytype_id=self.types[code].pk))
            for cell in item["cells"]:
                cell_rows.append(CellThrough(activity_id=activity.pk, organization_id=cell.pk))
            scans = self._scans(activity)
            for member, status, reason, makeup in item["rows"]:
                scanned = scans(member) if status == AttendanceStatus.PRESENT else None
                attendances.append(
                    Attendance(
                        activity=activity,
                        member=member,
                        status=status,
                        leave_reason=reason,
                        makeup_on=makeup,
                        makeup_note="自学会议精神并向支部书记汇报" if makeup else "",
                        signed_in_at=scanned,
                        late=bool(scanned and is_late(activity, scanned)),
                    )
                )
        ActivityCredit.objects.bulk_create(credits, batch_size=2000)
        AlsoThrough.objects.bulk_create(also_rows, batch_size=2000)
        CellThrough.objects.bulk_create(cell_rows, batch_size=2000)
        Attendance.objects.bulk_create(attendances, batch_size=2000)
        self.counts["activities"] = len(activities)
        self.counts["attendances"] = len(attendances)
        self._draws(items)
        self._reflections(items)
        self._upcoming()

    def _draws(self, items: list[dict[str, Any]]) -> None:
        draws = []
        for item in items:
            activity = item["activity"]
            if activity.activity_type.code != "biweekly_forum":
                continue
            present = sorted(m.pk for m, status, *_ in item["rows"] if status == AttendanceStatus.PRESENT)
            if len(present) >= 2:
                seed = f"{activity.held_on:%Y%m%d}-{activity.pk}"
                draws.append(
                    SpeakerDraw(
                        activity=activity,
                        seed=seed,
                        count=2,
                        candidate_ids=present,
                        picked_ids=draw_pick(seed, present, 2),
                    )
                )
        SpeakerDraw.objects.bulk_create(draws)

    def _reflections(self, items: list[dict[str, Any]]) -> None:
        rows = []
        for item in items:
            activity = item["activity"]
            if activity.activity_type.code not in ("theme_day", "party_lecture") or self.rng.random() > 0.35:
                continue
            present = [m for m, status, *_ in item["rows"] if status == AttendanceStatus.PRESENT]
            for m in self.rng.sample(present, min(2, len(present))):
                day = min(activity.held_on + datetime.timedelta(days=self.rng.randint(1, 7)), self.last_day)
                rows.append(
                    Reflection(
                        member=m,
                        activity=activity,
                        title=f"参加“{activity.topic[:30]}”的心得体会",
                        submitted_on=day,
                        text="通过学习，进一步增强了“四个意识”，坚定了“四个自信”……",
                    )
                )
        Reflection.objects.bulk_create(rows, batch_size=1000)
        self.counts["reflections"] = len(rows)

    def _upcoming(self) -> None:
        """Next month's plans: approved, awaiting approval, one returned and one draft."""
        next_month = add_months(self.today.replace(day=1), 1)
        plans = []
        for index, branch in enumerate(self.ctx.branches):
            for code, day, topic in (
                ("committee_meeting", 5, "研究下月重点工作"),
                ("theme_day", 15, "主题党日：学习新修订的党内法规"),
            ):
                if code == "committee_meeting" and not branch.has_committee:
                    continue
                when = self._at(_weekday(next_month.replace(day=day)), 14)
                status = [ActivityStatus.APPROVED, ActivityStatus.PLANNED][(index + day) % 2]
                if index == 2 and code == "theme_day":
                    status = ActivityStatus.RETURNED
                if index == 3 and code == "theme_day":
                    status = ActivityStatus.DRAFT
                plans.append(
                    Activity(
                        organization=branch,
                        activity_type=self.types[code],
                        status=status,
                        topic=topic,
                        planned_at=when,
                        place=PLACES[0],
                        return_reason="主题与上月重复，请调整学习内容"
                        if status == ActivityStatus.RETURNED
                        else "",
                    )
                )
        created = Activity.objects.bulk_create(plans)
        ActivityCredit.objects.bulk_create(
            [ActivityCredit(activity=a, activity_type=a.activity_type, is_primary=True) for a in created]
        )
        audit.record_bulk_create(created, verb="演示数据")
        self.counts["plans"] = len(created)
