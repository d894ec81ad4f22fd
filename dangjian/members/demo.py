"""Demo builder: the fictional 江临市财政局 — its party organizations, roster and accounts.

Everything here is invented: 江临市 (and 云川市, 青禾市 in native places) are not real cities,
names are drawn from common surnames and given-name characters, ID numbers use the unassigned
prefecture code 99 (so they match no real person) with correct check digits, and phone numbers
carry "0000" in the middle. Runs first among the demo builders (see ``BUILDER_APPS``) and fills
``ctx.leading_group``, ``organ_committee``, ``branches``, ``cells`` and ``users`` for the others.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from dangjian.core.choices import RoleKind
from dangjian.core.dates import add_years
from dangjian.core.models import Role
from dangjian.members.actions import do_assign_post, do_change_status, do_create_member, do_transfer_out
from dangjian.members.choices import DuesCategory, Education, Gender, MemberStatus
from dangjian.members.models import Member
from dangjian.members.validators import id_check_digit
from dangjian.orgs.actions import do_record_election, do_save_organization
from dangjian.orgs.choices import OrgKind, PostKind
from dangjian.orgs.models import Organization

CITY = "江临市"
BUREAU = f"{CITY}财政局"

# (branch name suffix, [(department, head count)], cell plan or None). Branch 1 holds the bureau's
# leaders and has three 党小组; branch 8 is small (5 full + 1 probationary): no committee.
BRANCH_PLAN: list[tuple[str, list[tuple[str, int]]]] = [
    (
        "办公室、人事教育科、法规税政科",
        [("局领导", 4), ("办公室", 8), ("人事教育科", 5), ("法规税政科", 3), ("机关党委办公室", 4)],
    ),
    ("预算科、绩效管理科", [("预算科", 11), ("绩效管理科", 7)]),
    ("国库科、国库支付中心", [("国库科", 7), ("国库支付中心", 9)]),
    ("行政政法科、教科文科", [("行政政法科", 7), ("教科文科", 8)]),
    ("经济建设科、农业农村科", [("经济建设科", 8), ("农业农村科", 7)]),
    ("社会保障科、国有资产管理科", [("社会保障科", 8), ("国有资产管理科", 7)]),
    ("会计管理科、财会监督科、政府采购管理科", [("会计管理科", 5), ("财会监督科", 5), ("政府采购管理科", 4)]),
    ("财政信息中心", [("财政信息中心", 6)]),
]
CELL_PLAN = [
    ("第一党小组", ("局领导", "办公室")),
    ("第二党小组", ("人事教育科", "法规税政科")),
    ("第三党小组", ("机关党委办公室",)),
]
NUMERALS = "一二三四五六七八九十"
SMALL_BRANCH = 8  # has fewer than 7 full members (支部工作条例 Art 20)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶贺顾毛郝龚邵万"
)
# Given names: a first and a second character, or a single character, from common choices.
GIVEN = {
    Gender.MALE: (
        "志文建海俊晓宇明立振浩永国家天嘉思",
        "强明涛伟军斌磊鹏飞宇浩杰凯博阳睿哲毅刚勇峰林松宏鑫泽瑞华平东辉",
        "伟强军斌磊鹏飞宇浩杰俊凯博毅刚勇峰林松鑫涛明辉华",
    ),
    Gender.FEMALE: (
        "秀丽晓雪佳欣文思雨梦婉诗静玉春",
        "英丽娟静敏艳芳燕红霞玲婷梅琳颖慧怡雯洁倩璐岚蕾萍莉琴彤瑶",
        "丽娟静敏艳芳燕红霞玲婷雪梅琳颖慧洁倩璐岚蕾萍莉琴",
    ),
}
# Names of well-known people the generator could produce are skipped (no real person is named).
FAMOUS = {
    "李强",
    "王刚",
    "李明",
    "王伟",
    "刘强",
    "陈刚",
    "李鹏",
    "胡军",
    "周杰",
    "杨洋",
    "刘涛",
    "黄磊",
    "李娜",
    "张静",
    "李静",
    "王军",
    "韩红",
    "李宇",
    "张杰",
    "姚明",
    "雷军",
    "朱军",
    "王毅",
    "王勇",
    "秦刚",
    "何立峰",
    "袁家军",
    "王文涛",
    "许海峰",
    "王俊凯",
    "黄晓明",
    "雷峰",
    "雷锋",
    "王宇",
}
ETHNICITIES = ["汉族"] * 46 + ["回族", "满族", "壮族", "土家族", "苗族", "蒙古族"]
NATIVE_PLACES = [
    f"{CITY}城东区",
    f"{CITY}城西区",
    f"{CITY}南湖区",
    f"{CITY}北山区",
    f"{CITY}江口县",
    f"{CITY}平安县",
    "云川市东坡区",
    "云川市桥头县",
    "青禾市河湾区",
    "青禾市石门县",
]
# Prefecture code 99 is unassigned in GB/T 2260, so no ID number below can belong to anyone.
REGION_CODES = ["369901", "369902", "369921", "369922", "369923", "459901", "459922"]
EDUCATION_WEIGHTS = [
    (Education.BACHELOR, 55),
    (Education.MASTER, 33),
    (Education.DOCTORATE, 3),
    (Education.COLLEGE, 7),
    (Education.SECONDARY, 2),
]
COMMITTEE_POSTS = [
    PostKind.SECRETARY,
    PostKind.DEPUTY_SECRETARY,
    PostKind.ORGANIZATION,
    PostKind.PUBLICITY,
    PostKind.DISCIPLINE,
]
# Dues bases kept exactly on the bracket bounds of RULES.md (in service: ≤3000 / ≤5000 / ≤10000).
BOUNDARY_BASES = [Decimal("3000.00"), Decimal("5000.00"), Decimal("10000.00")]


@dataclass
class Person:
    """One invented person before they become a Member row."""

    name: str
    gender: str
    birth: datetime.date
    department: str
    title: str
    rank: int  # 0 科员 … 3 科长, 4 局领导: drives age, base and who sits on committees


def build(ctx: Any) -> None:
    """Build the bureau: organizations, ~120 members with posts and terms, and the demo accounts."""
    started = datetime.datetime.now()
    builder = _Builder(ctx)
    builder.organizations()
    builder.roster()
    builder.posts_and_terms()
    builder.users()
    seconds = (datetime.datetime.now() - started).total_seconds()
    ctx.log(
        f"  {BUREAU}：{len(ctx.branches)} 个党支部、{len(ctx.cells)} 个党小组、"
        f"{Member.objects.count()} 名党员（{seconds:.1f} 秒）"
    )


class _Builder:
    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.today: datetime.date = ctx.today
        self.used_names: set[str] = set()
        self.used_ids: set[str] = set()
        self.members_by_branch: list[list[Member]] = []
        self.boundary_bases = list(BOUNDARY_BASES)

    # Organizations -------------------------------------------------------------------------
    def organizations(self) -> None:
        ctx = self.ctx
        established = datetime.date(2010, 3, 18)
        ctx.leading_group = self._org(f"{BUREAU}党组", OrgKind.LEADING_GROUP, None, 1, established)
        ctx.organ_committee = self._org(
            f"{BUREAU}机关党委", OrgKind.ORGAN_COMMITTEE, ctx.leading_group, 1, established
        )
        for number, (covers, departments) in enumerate(BRANCH_PLAN, start=1):
            branch = self._org(
                f"机关第{NUMERALS[number - 1]}党支部（{covers}）",
                OrgKind.BRANCH,
                ctx.organ_committee,
                number,
                established,
                short_name=f"第{NUMERALS[number - 1]}支部",
                has_committee=number != SMALL_BRANCH,
                description="覆盖：" + "、".join(dept for dept, _ in departments),
            )
            ctx.branches.append(branch)
        for order, (name, departments) in enumerate(CELL_PLAN, start=1):
            cell = self._org(
                f"{name}（{'、'.join(departments)}）", OrgKind.CELL, ctx.branches[0], order, established
            )
            ctx.cells.append(cell)

    def _org(
        self, name: str, kind: str, parent: Any, order: int, established: datetime.date, **kw: Any
    ) -> Any:
        org = Organization(name=name, kind=kind, parent=parent, order=order, established_on=established, **kw)
        return do_save_organization(org, acting_user=None, via="demo")

    # Roster --------------------------------------------------------------------------------
    def roster(self) -> None:
        ctx = self.ctx
        cell_of = {
            dept: cell for cell, (_n, depts) in zip(ctx.cells, CELL_PLAN, strict=True) for dept in depts
        }
        # Probationary members: admitted by the general meeting within the last year.
        probationary_slots = {
            (1, "预算科", 9),
            (3, "教科文科", 7),
            (5, "国有资产管理科", 6),
            (7, "财政信息中心", 5),
        }
        for index, (_covers, departments) in enumerate(BRANCH_PLAN):
            branch = ctx.branches[index]
            members: list[Member] = []
            for department, count in departments:
                for position in range(count):
                    person = self._person(department, position, count)
                    probationary = (index, department, position) in probationary_slots
                    members.append(
                        self._member(
                            person, branch, cell_of.get(department) if index == 0 else None, probationary
                        )
                    )
            self.members_by_branch.append(members)
        # One member has moved to another agency: the transfer is recorded, the row stays.
        leaver = self.members_by_branch[4][-1]
        transfer = do_transfer_out(
            leaver,
            date=self.today - datetime.timedelta(days=47),
            counterpart=f"{CITY}发展和改革委员会机关党委",
            letter_number=f"江财党转〔{self.today.year}〕3号",
            reason="工作调动",
            acting_user=None,
            via="demo",
        )
        ctx.extra["transferred_out"] = transfer.member

    def _person(self, department: str, position: int, count: int) -> Person:
        rng = self.rng
        if department == "局领导":
            rank = 4
            title = "局长" if position == 0 else "副局长"
            age = rng.randint(50, 57) if position == 0 else rng.randint(44, 56)
        elif position == 0:
            rank = 3
            title = "主任" if department.endswith(("室", "中心")) else "科长"
            age = rng.randint(40, 56)
        elif position == 1 and count >= 6:
            rank = 2
            title = "副主任" if department.endswith(("室", "中心")) else "副科长"
            age = rng.randint(34, 50)
        else:
            age = rng.choices(
                [rng.randint(25, 30), rng.randint(31, 40), rng.randint(41, 50), rng.randint(51, 59)],
                weights=[35, 35, 20, 10],
            )[0]
            rank = 0 if age < 31 else 1
            title = (
                rng.choice(["科员", "一级科员"])
                if rank == 0
                else rng.choice(["四级主任科员", "三级主任科员", "二级主任科员", "一级主任科员"])
            )
        gender = Gender.MALE if rng.random() < 0.57 else Gender.FEMALE
        birth = add_years(self.today, -age) - datetime.timedelta(days=rng.randint(1, 364))
        return Person(self._name(gender), gender, birth, department, title, rank)

    def _name(self, gender: str) -> str:
        first, second, single = GIVEN[gender]
        rng = self.rng
        while True:
            given = rng.choice(single) if rng.random() < 0.3 else rng.choice(first) + rng.choice(second)
            name = rng.choice(SURNAMES) + given
            famous = name in FAMOUS or name[:2] in FAMOUS
            if name not in self.used_names and not famous and len(set(name)) == len(name):
                self.used_names.add(name)
                return name

    def _id_number(self, birth: datetime.date, gender: str) -> str:
        while True:
            sequence = self.rng.randint(0, 499) * 2 + (1 if gender == Gender.MALE else 0)  # odd = male
            first17 = f"{self.rng.choice(REGION_CODES)}{birth:%Y%m%d}{sequence:03d}"
            number = first17 + id_check_digit(first17)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def _dues_base(self, rank: int) -> Decimal:
        # The first member of each of these ranks sits exactly on a bracket's upper bound.
        boundary = {0: Decimal("3000.00"), 1: Decimal("5000.00"), 3: Decimal("10000.00")}.get(rank)
        if boundary is not None and boundary in self.boundary_bases:
            self.boundary_bases.remove(boundary)
            return boundary
        low, high = [(3000, 4600), (4200, 7800), (6800, 9200), (8200, 10800), (10200, 12000)][rank]
        return Decimal(self.rng.randrange(low, high, 10)).quantize(Decimal("0.01"))

    def _admission(self, birth: datetime.date, probationary: bool) -> datetime.date:
        if probationary:
            return self.today - datetime.timedelta(days=self.rng.randint(40, 330))
        # Most joined at university or in their first years at work; confirmation must lie in the past.
        earliest = add_years(birth, 19)
        latest = min(add_years(birth, 33), add_years(self.today, -1) - datetime.timedelta(days=30))
        return earliest + datetime.timedelta(days=self.rng.randint(0, max(0, (latest - earliest).days)))

    def _member(self, person: Person, branch: Any, cell: Any, probationary: bool) -> Member:
        rng = self.rng
        if probationary:
            # New members are young recruits; keep them at least 25 and admitted at 18 or older.
            person.rank, person.title = 0, "一级科员"
            person.birth = add_years(self.today, -rng.randint(25, 29)) - datetime.timedelta(
                days=rng.randint(1, 300)
            )
        education = rng.choices([e for e, _ in EDUCATION_WEIGHTS], weights=[w for _, w in EDUCATION_WEIGHTS])[
            0
        ]
        if person.rank == 0 and education in (Education.COLLEGE, Education.SECONDARY):
            education = Education.BACHELOR  # recent civil-service entrants all hold a degree
        admission = self._admission(person.birth, probationary)
        member = do_create_member(
            acting_user=None,
            via="demo",
            name=person.name,
            gender=person.gender,
            ethnicity=rng.choice(ETHNICITIES),
            birth_date=person.birth,
            native_place=rng.choice(NATIVE_PLACES),
            education=education,
            id_number=self._id_number(person.birth, person.gender),
            phone=f"1{rng.choice('3578')}{rng.randint(0, 9)}0000{rng.randint(0, 9999):04d}",
            department=person.department,
            job_title=person.title,
            organization=branch,
            cell=cell,
            status=MemberStatus.PROBATIONARY,
            status_since=admission,
            admission_date=admission,
            dues_category=DuesCategory.IN_SERVICE,
            # Entry-level pay: a new recruit's base sits on the lowest bracket's bound.
            dues_base=Decimal("3000.00") if probationary else self._dues_base(person.rank),
        )
        if not probationary:
            # Confirmed on time, one year after admission (党章 Art 7): the history shows both steps.
            do_change_status(
                member,
                MemberStatus.FULL,
                date=add_years(admission, 1),
                reason="预备期满，支部党员大会通过，按期转正",
                acting_user=None,
                via="demo",
            )
        member._demo_rank = person.rank  # type: ignore[attr-defined]
        return member

    # Posts and terms -----------------------------------------------------------------------
    def posts_and_terms(self) -> None:
        ctx = self.ctx
        rng = self.rng
        # Branch terms: most well inside their three years; branch 3 due within 90 days, branch 6 overdue.
        elected_by_branch: dict[int, datetime.date] = {}
        for index, branch in enumerate(ctx.branches):
            if index == 2:
                current = add_years(self.today, -3) + datetime.timedelta(days=rng.randint(35, 70))
            elif index == 5:
                current = add_years(self.today, -3) - datetime.timedelta(days=rng.randint(40, 80))
            else:
                current = self.today - datetime.timedelta(days=rng.randint(120, 900))
            if index != 5:
                # The previous committee, ended by this election, so the page shows a history.
                do_record_election(
                    branch, elected_on=add_years(current, -3), acting_user=None, via="demo", note="上一届"
                )
            do_record_election(branch, elected_on=current, acting_user=None, via="demo")
            elected_by_branch[index] = current
        oc_elected = self.today - datetime.timedelta(days=rng.randint(500, 800))
        do_record_election(ctx.organ_committee, elected_on=oc_elected, acting_user=None, via="demo")

        secretaries: list[Member] = []
        committee_ids: set[int] = set()
        for index, branch in enumerate(ctx.branches):
            full = [m for m in self.members_by_branch[index] if m.status == MemberStatus.FULL]
            # Senior staff first: the secretary needs at least a year of party standing (Art 23).
            senior = sorted(full, key=lambda m: (-m._demo_rank, m.confirmation_date))  # type: ignore[attr-defined]
            if index == 0:
                senior = [m for m in senior if m.department not in ("局领导", "机关党委办公室")]
            started = elected_by_branch[index]
            if branch.has_committee:
                kinds = (
                    COMMITTEE_POSTS
                    if len(full) >= 15
                    else [k for k in COMMITTEE_POSTS if k != PostKind.DEPUTY_SECRETARY]
                )
            else:
                kinds = [PostKind.SECRETARY]
            holders = senior[:1] + rng.sample(senior[1:6], len(kinds) - 1)
            for kind, member in zip(kinds, holders, strict=True):
                self._post(branch, kind, member, started)
                committee_ids.add(member.pk)
            secretaries.append(holders[0])
        for cell in ctx.cells:
            in_cell = [
                m for m in self.members_by_branch[0] if m.cell_id == cell.pk and m.status == MemberStatus.FULL
            ]
            leader = next((m for m in in_cell if m.pk not in committee_ids and m._demo_rank < 4), in_cell[0])  # type: ignore[attr-defined]
            self._post(cell, PostKind.CELL_LEADER, leader, elected_by_branch[0])
            committee_ids.add(leader.pk)

        leaders = [m for m in self.members_by_branch[0] if m.department == "局领导"]
        lg_since = add_years(self.today, -2) - datetime.timedelta(days=rng.randint(0, 300))
        self._post(ctx.leading_group, PostKind.SECRETARY, leaders[0], lg_since)
        for leader in leaders[1:]:
            self._post(ctx.leading_group, PostKind.LEADING_GROUP_MEMBER, leader, lg_since)
        party_office = [m for m in self.members_by_branch[0] if m.department == "机关党委办公室"]
        # The office head is the full-time deputy secretary; the next most senior the discipline member.
        party_office[1:] = sorted(party_office[1:], key=lambda m: (-m._demo_rank, m.birth_date))  # type: ignore[attr-defined]
        oc_members = secretaries[1:]
        organ_posts = [
            (PostKind.SECRETARY, leaders[1]),  # a deputy director on the leading group leads the committee
            (PostKind.DEPUTY_SECRETARY, party_office[0]),  # the full-time deputy secretary
            (PostKind.DISCIPLINE, party_office[1]),
            (PostKind.COMMITTEE_MEMBER, oc_members[0]),
            (PostKind.COMMITTEE_MEMBER, oc_members[2]),
        ]
        for kind, member in organ_posts:
            self._post(ctx.organ_committee, kind, member, oc_elected)
        ctx.extra["secretaries"] = secretaries
        ctx.extra["organ_deputy_secretary"] = party_office[0]
        ctx.extra["discipline_member"] = party_office[1]
        ctx.extra["committee_member_ids"] = committee_ids

    def _post(self, org: Any, kind: str, member: Member, started: datetime.date) -> None:
        do_assign_post(org, kind=kind, member=member, started_on=started, acting_user=None, via="demo")

    # Accounts ------------------------------------------------------------------------------
    def users(self) -> None:
        ctx = self.ctx
        User = get_user_model()

        def account(
            username: str, kind: str, *, org: Any = None, member: Member | None = None, **extra: Any
        ) -> Any:
            # Hashed per account: each gets its own salt, so one cracked hash is not all of them.
            user = User.objects.create(username=username, password=make_password(ctx.password), **extra)
            Role.objects.create(user=user, kind=kind, organization=org, member=member)
            if member is not None:
                member.user = user
                member.save(update_fields=["user", "updated_at"])
            ctx.users[username] = user
            return user

        account("admin", RoleKind.ADMIN, is_staff=True, is_superuser=True, first_name="系统管理员")
        account(
            "jgdw",
            RoleKind.AGENCY_OFFICER,
            org=ctx.organ_committee,
            member=ctx.extra["organ_deputy_secretary"],
        )
        for number, (branch, secretary) in enumerate(
            zip(ctx.branches, ctx.extra["secretaries"], strict=True), 1
        ):
            account(f"zb{number}", RoleKind.ORG_OFFICER, org=branch, member=secretary)
        account("jj", RoleKind.DISCIPLINE, member=ctx.extra["discipline_member"])
        linked = {m.pk for m in ctx.extra["secretaries"]} | {
            ctx.extra["organ_deputy_secretary"].pk,
            ctx.extra["discipline_member"].pk,
        }
        ordinary = next(
            m
            for m in self.members_by_branch[0]
            if m.status == MemberStatus.FULL
            and m.pk not in ctx.extra["committee_member_ids"]
            and m.pk not in linked
            and m._demo_rank < 3  # type: ignore[attr-defined]
            and m.department != "局领导"
        )
        account("dy1", RoleKind.MEMBER, member=ordinary)
