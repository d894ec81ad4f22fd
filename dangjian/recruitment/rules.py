"""The admission pipeline's rules as data, with their articles, and the pure date logic over them.

Every number here comes from ../shared/RULES.md (《中国共产党发展党员工作细则》2014, 党章). Article
numbers are written as RULES.md gives them; where RULES.md names no article the chapter of the
细则 is cited instead of guessing a number. The functions below take plain ``Event`` values (no
database), so the same logic serves the action that writes a step, the case page's "next step"
panel, the stored summary the due list filters on, and the unit tests.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from dangjian.core.dates import add_months, years_between
from dangjian.members.voting import motion_passed, quorum_met
from dangjian.recruitment.choices import Stage, StepKind

# ---------------------------------------------------------------------------------------------
# Numbers (RULES.md, "Admitting members")
MIN_AGE = 18  # 细则第五条; 党章第一条
MIN_AGE_SOURCE = "党章第一条、细则第五条"
TALK_WITHIN_MONTHS = 1  # 细则第七条
REVIEW_EVERY_MONTHS = 6  # 细则第十一条
ACTIVIST_MIN_MONTHS = 12  # 细则第十三条
SPONSORS = 2  # 细则第十四条, full members
# 细则第十条: "一至二名正式党员作培养联系人"; the flowchart's usual practice is two.
MENTORS_MIN, MENTORS_MAX = 1, 2
TRAINING_MIN_DAYS = 3  # 细则第十七条
TRAINING_MIN_HOURS = 24
APPROVAL_WITHIN_MONTHS = 3  # 细则第二十五条
APPROVAL_SPECIAL_MONTHS = 6  # 细则第二十五条 (special cases)
PROBATION_MONTHS = 12  # 党章第七条
EXTENSION_MIN_MONTHS, EXTENSION_MAX_MONTHS = 6, 12  # 党章第七条; 细则
EXTENSION_SOURCE = "党章第七条"
CONFIRMATION_APPROVAL_MONTHS = 3  # 细则第五章
VOTE_SOURCE = "支部工作条例第十一条、细则第二十一、二十二条"
DUE_SOON_DAYS = 30  # a deadline this close is shown amber on the case page

# Flowchart step numbers with a meaning the code relies on.
APPLICATION, TALK, ACTIVIST, MENTORS, OBSERVE = 1, 2, 3, 5, 6
CANDIDATE, SPONSOR, TRAINING = 7, 9, 11
ADMISSION_VOTE, COMMITTEE_TALK, APPROVAL, ASSIGN, OATH = 15, 16, 17, 19, 20
CONFIRMATION_APPLICATION, CONFIRMATION_VOTE, CONFIRMATION_APPROVAL, ARCHIVE = 22, 23, 24, 25
VOTE_STEPS = (ADMISSION_VOTE, CONFIRMATION_VOTE)
# Steps that are redone after an extension of probation: a new application and a new vote.
CONFIRMATION_STEPS = (CONFIRMATION_APPLICATION, CONFIRMATION_VOTE, CONFIRMATION_APPROVAL)


@dataclass(frozen=True)
class Limit:
    """A date limit measured in months from an earlier step (``anchor``)."""

    anchor: int
    months: int
    source: str
    text: str  # what the limit says, for messages: "收到入党申请后一个月内"
    special_months: int | None = None  # a longer limit for special cases (细则第二十五条)
    plus_extension: bool = False  # probation: the anchor plus 12 months plus any extension


@dataclass(frozen=True)
class StepRule:
    """One of the 25 steps: its stage, prerequisites, date limits, materials and article."""

    number: int
    stage: Stage
    name: str
    source: str
    requires: tuple[int, ...] = ()
    earliest: Limit | None = None
    deadline: Limit | None = None
    checklist: tuple[str, ...] = ()
    people: str = ""  # "mentors" | "sponsors": the step names members
    vote: bool = False
    repeatable: bool = False  # 培养教育考察 is recorded every half year
    note: str = ""


_APP, _ACT, _CAN, _ADM, _PRO = (
    Stage.APPLICATION,
    Stage.ACTIVIST,
    Stage.CANDIDATE,
    Stage.ADMISSION,
    Stage.PROBATION,
)
_CH2, _CH3, _CH4, _CH5 = "细则第二章", "细则第三章", "细则第四章", "细则第五章"

PROBATION_END = Limit(
    ADMISSION_VOTE,
    PROBATION_MONTHS,
    "党章第七条",
    "预备期满一年（自支部大会通过之日起）",
    plus_extension=True,
)

RULES: dict[int, StepRule] = {
    r.number: r
    for r in [
        StepRule(
            1,
            _APP,
            "递交入党申请书",
            "细则第五、六条",
            checklist=("入党申请书",),
            note=f"年满{MIN_AGE}周岁方可申请入党。",
        ),
        StepRule(
            2,
            _APP,
            "党组织派人谈话",
            "细则第七条",
            requires=(1,),
            deadline=Limit(1, TALK_WITHIN_MONTHS, "细则第七条", "收到入党申请书后一个月内"),
            checklist=("谈话记录",),
        ),
        StepRule(
            3,
            _ACT,
            "推荐和确定入党积极分子",
            _CH2,
            requires=(2,),
            checklist=("党员推荐或群团组织推优材料", "支委会会议记录"),
        ),
        StepRule(4, _ACT, "上级党委备案", _CH2, requires=(3,), checklist=("入党积极分子备案表",)),
        StepRule(
            5,
            _ACT,
            "指定培养联系人",
            "细则第十条",
            requires=(3,),
            people="mentors",
            checklist=("培养联系人名单",),
            note=f"指定{MENTORS_MIN}至{MENTORS_MAX}名正式党员。",
        ),
        StepRule(
            6,
            _ACT,
            "培养教育考察",
            "细则第十一条",
            requires=(5,),
            repeatable=True,
            checklist=("思想汇报", "半年考察意见"),
            note="每半年考察一次，每次考察登记一条。",
        ),
        StepRule(
            7,
            _CAN,
            "确定发展对象",
            "细则第十三条",
            requires=(4, 6),
            earliest=Limit(3, ACTIVIST_MIN_MONTHS, "细则第十三条", "确定为入党积极分子满一年"),
            checklist=("党小组意见", "培养联系人意见", "党员和群众意见", "支委会会议记录"),
        ),
        StepRule(8, _CAN, "上级党委备案", _CH3, requires=(7,), checklist=("发展对象备案表",)),
        StepRule(
            9,
            _CAN,
            "确定入党介绍人",
            "细则第十四条",
            requires=(7,),
            people="sponsors",
            checklist=("入党介绍人意见",),
            note=f"须{SPONSORS}名正式党员。",
        ),
        StepRule(
            10,
            _CAN,
            "进行政治审查",
            "细则第十五、十六条",
            requires=(7,),
            checklist=("政治审查报告", "函调或外调材料"),
        ),
        StepRule(
            11,
            _CAN,
            "开展集中培训",
            "细则第十七条",
            requires=(7,),
            checklist=("培训结业证书",),
            note=f"不少于{TRAINING_MIN_DAYS}天或{TRAINING_MIN_HOURS}学时。",
        ),
        StepRule(
            12,
            _ADM,
            "支部委员会审查",
            _CH4,
            requires=(8, 9, 10, 11),
            checklist=("支委会会议记录", "公示情况报告"),
        ),
        StepRule(
            13,
            _ADM,
            "上级党委预审",
            "细则第十九条",
            requires=(12,),
            checklist=("预审意见",),
            note="预审后三个月内调离本单位的，不再办理。",
        ),
        StepRule(14, _ADM, "填写入党志愿书", _CH4, requires=(13,), checklist=("入党志愿书",)),
        StepRule(
            15,
            _ADM,
            "支部党员大会讨论接收",
            "细则第二十一、二十二条",
            requires=(14,),
            vote=True,
            checklist=("支部党员大会会议记录", "入党志愿书（支部决议）"),
        ),
        StepRule(
            16,
            _ADM,
            "上级党委派人谈话",
            _CH4,
            requires=(15,),
            deadline=Limit(
                15,
                APPROVAL_WITHIN_MONTHS,
                "细则第二十五条",
                "支部大会通过后三个月内审批前",
                special_months=APPROVAL_SPECIAL_MONTHS,
            ),
            checklist=("谈话记录",),
        ),
        StepRule(
            17,
            _ADM,
            "上级党委审批",
            "细则第二十五条",
            requires=(16,),
            deadline=Limit(
                15,
                APPROVAL_WITHIN_MONTHS,
                "细则第二十五条",
                "支部大会通过后三个月内",
                special_months=APPROVAL_SPECIAL_MONTHS,
            ),
            checklist=("党委会议记录", "审批意见"),
            note="审批后在花名册中登记为预备党员。",
        ),
        StepRule(18, _ADM, "再上一级党委组织部门备案", _CH4, requires=(17,), checklist=("备案材料",)),
        StepRule(19, _ADM, "编入党支部和党小组", _CH5, requires=(17,)),
        StepRule(20, _PRO, "入党宣誓", _CH5, requires=(17,), checklist=("宣誓仪式记录",)),
        StepRule(
            21,
            _PRO,
            "继续教育考察",
            _CH5,
            requires=(20,),
            repeatable=True,
            checklist=("思想汇报", "考察意见"),
        ),
        StepRule(
            22, _PRO, "提出转正申请", _CH5, requires=(21,), earliest=PROBATION_END, checklist=("转正申请书",)
        ),
        StepRule(
            23,
            _PRO,
            "支部党员大会讨论转正",
            _CH5,
            requires=(22,),
            earliest=PROBATION_END,
            vote=True,
            checklist=("支部党员大会会议记录",),
        ),
        StepRule(
            24,
            _PRO,
            "上级党委审批转正",
            _CH5,
            requires=(23,),
            deadline=Limit(23, CONFIRMATION_APPROVAL_MONTHS, _CH5, "支部大会讨论转正后三个月内"),
            checklist=("审批意见",),
            note="审批后在花名册中转为正式党员，党龄自预备期满之日算起（党章第七条）。",
        ),
        StepRule(25, _PRO, "材料归档", _CH5, requires=(24,), checklist=("入党材料归入人事档案",)),
    ]
}

# The step that moves a case into each stage (the person's standing, as the list groups it).
STAGE_ENTRY: list[tuple[int, Stage]] = [
    (APPLICATION, Stage.APPLICATION),
    (ACTIVIST, Stage.ACTIVIST),
    (CANDIDATE, Stage.CANDIDATE),
    (12, Stage.ADMISSION),
    (APPROVAL, Stage.PROBATION),
]


def step_label(number: int) -> str:
    return f"第{number}步“{RULES[number].name}”"


def fmt(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# ---------------------------------------------------------------------------------------------
# Vote: the same rule as the general-meeting ledger (支部工作条例第十一条; 细则第二十一、二十二条)


@dataclass(frozen=True)
class VoteResult:
    quorum: bool
    passed: bool


def vote_errors(
    eligible: int | None, present: int | None, votes_for: int | None, against: int | None, abstain: int | None
) -> list[str]:
    """Chinese errors for vote figures that cannot be right, or a meeting without quorum."""
    if None in (eligible, present, votes_for, against, abstain):
        return ["请填写应到、实到有表决权的正式党员人数和赞成、反对、弃权票数。"]
    assert eligible is not None and present is not None  # for the type checker
    errors = []
    if eligible <= 0:
        errors.append("应到会有表决权的正式党员人数须大于0。")
    if present > eligible:
        errors.append("实到人数不能多于应到人数。")
    if votes_for + against + abstain > present:  # type: ignore[operator]
        errors.append("赞成、反对、弃权票数之和不能多于实到人数。")
    if not errors and not quorum_met(present, eligible):
        errors.append(
            f"会议不足法定人数：实到有表决权的正式党员{present}人，未超过应到{eligible}人的半数，"
            f"表决无效（{VOTE_SOURCE}）。预备党员没有表决权。"
        )
    return errors


def vote_result(eligible: int, present: int, votes_for: int) -> VoteResult:
    """Quorum: more than half of those with a vote present; pass: "for" > half of those who should attend."""
    return VoteResult(quorum=quorum_met(present, eligible), passed=motion_passed(votes_for, eligible))


# ---------------------------------------------------------------------------------------------
# Timeline evaluation


@dataclass(frozen=True)
class Event:
    """A recorded step as the rules see it (``seq`` orders records made on the same day)."""

    number: int | None
    date: datetime.date
    kind: str = StepKind.STEP
    passed: bool | None = None
    months: int | None = None  # an extension's length
    special: bool = False  # approval under the special-case limit (细则第二十五条)
    seq: int = 0

    @property
    def key(self) -> tuple[datetime.date, int]:
        return (self.date, self.seq)


@dataclass
class NextStep:
    """The step a case waits for, when it may happen, and by when."""

    rule: StepRule
    earliest: datetime.date | None
    deadline: datetime.date | None
    deadline_source: str = ""
    earliest_reason: str = ""


@dataclass
class Timeline:
    """What the recorded events add up to."""

    events: list[Event]
    done: dict[int, datetime.date] = field(default_factory=dict)
    extension: Event | None = None
    closed_by: Event | None = None

    @property
    def probation_end(self) -> datetime.date | None:
        vote = self.done.get(ADMISSION_VOTE)
        if vote is None or APPROVAL not in self.done:
            return None
        months = PROBATION_MONTHS + ((self.extension.months or 0) if self.extension else 0)
        return add_months(vote, months)

    @property
    def stage(self) -> Stage:
        stage = Stage.APPLICATION
        for number, entered in STAGE_ENTRY:
            if number in self.done:
                stage = entered
        return stage

    def is_done(self, number: int) -> bool:
        return number in self.done


def build(events: list[Event]) -> Timeline:
    """Work out which steps are done (and when) from the recorded events."""
    ordered = sorted(events, key=lambda e: e.key)
    timeline = Timeline(events=ordered)
    for event in ordered:
        if event.kind == StepKind.EXTENSION:
            timeline.extension = event
            # The confirmation steps start again after an extension.
            for number in CONFIRMATION_STEPS:
                timeline.done.pop(number, None)
        elif event.kind in (StepKind.CANCELLATION, StepKind.CLOSURE):
            timeline.closed_by = event
        elif event.number is not None:
            rule = RULES[event.number]
            if rule.vote and not event.passed:
                continue  # a failed vote is on the record but does not complete the step
            if rule.repeatable and event.number in timeline.done:
                timeline.done[event.number] = max(timeline.done[event.number], event.date)
                continue
            timeline.done.setdefault(event.number, event.date)
    return timeline


def _first_of(timeline: Timeline, number: int) -> datetime.date | None:
    """The date a later step is measured from: the first record of a repeatable step, else the done date."""
    if number not in timeline.done:
        return None
    if RULES[number].repeatable:
        return min(e.date for e in timeline.events if e.number == number and e.kind == StepKind.STEP)
    return timeline.done[number]


def limits(rule: StepRule, timeline: Timeline, *, special: bool = False) -> NextStep:
    """Earliest date and deadline for ``rule`` on this timeline (None where a date is not yet known)."""
    earliest: datetime.date | None = None
    reason = ""
    for number in rule.requires:
        day = _first_of(timeline, number)
        if day is not None and (earliest is None or day > earliest):
            earliest, reason = day, f"不早于{step_label(number)}的日期"
    if rule.earliest is not None:
        if rule.earliest.plus_extension:
            day = timeline.probation_end
        else:
            anchor = timeline.done.get(rule.earliest.anchor)
            day = add_months(anchor, rule.earliest.months) if anchor else None
        if day is not None and (earliest is None or day >= earliest):
            earliest, reason = day, f"{rule.earliest.text}（{rule.earliest.source}）"
    deadline = None
    source = ""
    if rule.deadline is not None:
        anchor = timeline.done.get(rule.deadline.anchor)
        if anchor is not None:
            months = (
                rule.deadline.special_months
                if special and rule.deadline.special_months
                else rule.deadline.months
            )
            deadline = add_months(anchor, months)
            source = f"{rule.deadline.text}（{rule.deadline.source}）"
    return NextStep(
        rule=rule, earliest=earliest, deadline=deadline, deadline_source=source, earliest_reason=reason
    )


def open_steps(timeline: Timeline) -> list[NextStep]:
    """Every step that may be recorded now (its prerequisites done), in flowchart order."""
    if timeline.closed_by is not None:
        return []
    found = []
    for rule in RULES.values():
        if rule.number in timeline.done:
            continue
        if all(r in timeline.done for r in rule.requires):
            found.append(limits(rule, timeline))
    return found


def next_step(timeline: Timeline) -> NextStep | None:
    """The step the case waits for: the lowest-numbered open step."""
    steps = open_steps(timeline)
    return steps[0] if steps else None


def review_due(timeline: Timeline) -> datetime.date | None:
    """When the next half-yearly activist review falls due (细则第十一条), while one is owed."""
    if timeline.closed_by or ACTIVIST not in timeline.done or CANDIDATE in timeline.done:
        return None
    last = timeline.done.get(OBSERVE) or timeline.done[ACTIVIST]
    return add_months(last, REVIEW_EVERY_MONTHS)


# ---------------------------------------------------------------------------------------------
# Checking a new record


@dataclass
class Check:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def check_step(
    timeline: Timeline,
    number: int,
    day: datetime.date,
    *,
    today: datetime.date,
    birth_date: datetime.date | None = None,
    special: bool = False,
) -> Check:
    """Whether flowchart step ``number`` may be recorded on ``day``; errors refuse it, warnings do not."""
    check = Check()
    rule = RULES.get(number)
    if rule is None:
        check.errors.append(f"没有第{number}步，发展党员流程共25步。")
        return check
    label = step_label(number)
    if timeline.closed_by is not None:
        check.errors.append("该发展对象的流程已终止，不能再登记步骤。")
        return check
    if day > today:
        check.errors.append(f"{label}的日期（{fmt(day)}）不能晚于今天。")
    if number in timeline.done and not rule.repeatable:
        check.errors.append(f"{label}已于{fmt(timeline.done[number])}登记，不能重复登记。")
        return check
    missing = [r for r in rule.requires if r not in timeline.done]
    if missing:
        names = "、".join(step_label(r) for r in missing)
        check.errors.append(f"不能登记{label}：尚未完成{names}（{rule.source}）。")
        return check
    for r in rule.requires:
        before = _first_of(timeline, r)
        if before is not None and day < before:
            check.errors.append(
                f"{label}的日期（{fmt(day)}）早于其前置步骤{step_label(r)}的日期（{fmt(before)}）。"
            )
    found = limits(rule, timeline, special=special)
    if rule.earliest is not None and found.earliest is not None and day < found.earliest:
        check.errors.append(
            f"{label}最早可在{fmt(found.earliest)}进行：{rule.earliest.text}（{rule.earliest.source}）。"
        )
    if found.deadline is not None and day > found.deadline:
        check.warnings.append(
            f"{label}已超过期限：应在{fmt(found.deadline)}前完成，{found.deadline_source}。"
        )
    if number == ADMISSION_VOTE and birth_date is not None and years_between(birth_date, day) < MIN_AGE:
        check.errors.append(f"支部大会讨论接收时未满{MIN_AGE}周岁，不能接收为预备党员（{MIN_AGE_SOURCE}）。")
    if number == APPLICATION and birth_date is not None and years_between(birth_date, day) < MIN_AGE:
        check.errors.append(f"递交入党申请书时未满{MIN_AGE}周岁（{MIN_AGE_SOURCE}）。")
    return check


def check_extension(timeline: Timeline, day: datetime.date, months: int, *, today: datetime.date) -> Check:
    """An extension of probation: once, 6 to 12 months, decided when probation ends (党章第七条)."""
    check = Check()
    if timeline.closed_by is not None:
        check.errors.append("该发展对象的流程已终止，不能延长预备期。")
        return check
    if day > today:
        check.errors.append(f"延长预备期的日期（{fmt(day)}）不能晚于今天。")
    if APPROVAL not in timeline.done:
        check.errors.append(f"尚未完成{step_label(APPROVAL)}，还不是预备党员，不能延长预备期。")
        return check
    if CONFIRMATION_VOTE in timeline.done:
        check.errors.append("支部大会已讨论通过转正，不能再延长预备期。")
    if timeline.extension is not None:
        check.errors.append(
            f"预备期已于{fmt(timeline.extension.date)}延长过一次，不能再次延长（{EXTENSION_SOURCE}）。"
        )
    if not EXTENSION_MIN_MONTHS <= months <= EXTENSION_MAX_MONTHS:
        check.errors.append(
            f"延长预备期应为{EXTENSION_MIN_MONTHS}至{EXTENSION_MAX_MONTHS}个月（{EXTENSION_SOURCE}），不能为{months}个月。"
        )
    end = timeline.probation_end
    if end is not None and day < end:
        check.errors.append(f"延长预备期应在预备期满（{fmt(end)}）时由支部大会讨论决定，不能早于该日。")
    return check


def check_cancellation(timeline: Timeline, day: datetime.date, *, today: datetime.date) -> Check:
    check = Check()
    if timeline.closed_by is not None:
        check.errors.append("该发展对象的流程已终止。")
    elif APPROVAL not in timeline.done:
        check.errors.append(f"尚未完成{step_label(APPROVAL)}，还不是预备党员，应使用“终止发展”。")
    elif CONFIRMATION_APPROVAL in timeline.done:
        check.errors.append("已批准转正，不能取消预备党员资格。")
    if day > today:
        check.errors.append(f"日期（{fmt(day)}）不能晚于今天。")
    return check
