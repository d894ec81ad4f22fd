"""What the drafts judge by: when a figure is too weak to stand among the achievements, which
ledger findings become 存在的问题, and which next-period figures become 下一步 commitments.

Thresholds are data with their basis (../shared/RULES.md, or the unit's own rule where no
central number exists), so a changed rule is a change here, not in a template. A sentence in
"主要工作" that names a figure below its threshold is left out (the figure goes to the problems
instead): a weak rate is never written up as an achievement.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Threshold:
    """The least value of a rate that a draft may present as an achievement."""

    key: str
    minimum: Decimal
    basis: str


THRESHOLDS: dict[str, Threshold] = {
    t.key: t
    for t in (
        # 支部工作条例 Art 18: talks with every member generally at least once a year.
        Threshold("talks.reach", Decimal("90"), "《中国共产党支部工作条例（试行）》第十八条"),
        Threshold("talks.coverage", Decimal("90"), "《中国共产党支部工作条例（试行）》第十八条"),
        # No central figure: the unit's own standard for attendance at organizational life.
        Threshold("attendance.rate", Decimal("85"), "本单位规定（组织生活出勤率不低于85%）"),
        # Dues are paid monthly (党费规定 Art 12): anything below full collection is a gap.
        Threshold("dues.rate", Decimal("100"), "《关于中国共产党党费收缴、使用和管理的规定》第十二条"),
        Threshold("makeup.completion", Decimal("90"), "本单位规定（缺席党员应及时补学）"),
        # A campaign's plan done below nine in ten is not written up as an achievement (成效).
        Threshold("thiscampaign.plan_rate", Decimal("90"), "专项活动实施方案（计划事项应按期完成）"),
    )
}


def is_weak(key: str, value: object) -> bool:
    """Whether figure ``key`` with ``value`` is below its threshold (no threshold: never weak)."""
    threshold = THRESHOLDS.get(key)
    if threshold is None or value is None:
        return False
    try:
        return Decimal(str(value)) < threshold.minimum
    except ArithmeticError:
        return False


@dataclass(frozen=True)
class Rule:
    """A paragraph drafted when ``key`` crosses its limit: a problem found in the ledger, or a
    commitment for the next period. ``text`` holds phrasing variants with figure placeholders."""

    code: str
    key: str
    text: tuple[str, ...]
    weak_below: Decimal | None = None  # fires when the value is below this …
    above: Decimal = Decimal("0")  # … otherwise when it is above this


def fires(rule: Rule, value: object) -> bool:
    if value is None:
        return False
    number = Decimal(str(value))
    if rule.weak_below is not None:
        return number < rule.weak_below
    return number > rule.above


# 存在的问题 drafted from the ledger, in the order a reader weighs them. Each names its figure,
# whose evidence (the organizations, members or records behind it) the draft links to.
PROBLEMS: tuple[Rule, ...] = (
    Rule(
        "compliance",
        "warnings.missing",
        (
            "组织生活制度落实还有差距。对照组织生活制度要求，目前仍有{warnings.missing}预警事项未按期完成，个别支部“三会一课”存在时紧时松的现象。",
            "基层组织生活规范化水平有待提升。对照制度要求，尚有{warnings.missing}预警事项未按要求完成，组织生活质量还不够均衡。",
            "支部组织生活落实不够均衡。系统预警显示仍有{warnings.missing}事项没有按期完成，部分支部存在赶进度、补记录的情况。",
        ),
    ),
    Rule(
        "terms",
        "terms.overdue",
        (
            "基层组织换届还不够及时，{terms.overdue}党组织已到届未换届。",
            "按期换届制度执行不够到位，目前有{terms.overdue}党组织任期届满尚未换届。",
        ),
    ),
    Rule(
        "talks",
        "talks.reach",
        (
            "谈心谈话覆盖不够全面。{span}与{talks.people}党员开展了谈心谈话，覆盖率为{talks.reach}，距离每名党员每年至少谈1次的要求还有差距。",
            "思想政治工作做得还不够细。{span}谈心谈话覆盖党员{talks.reach}（共{talks.people}），仍有党员没有谈到，及时掌握思想动态的渠道还不够畅通。",
        ),
        weak_below=THRESHOLDS["talks.reach"].minimum,
    ),
    Rule(
        "secretary_lectures",
        "secretaries.no_lecture",
        (
            "支部书记“领头雁”作用发挥不够充分，{span}有{secretaries.no_lecture}党支部的书记没有为党员讲党课。",
            "个别支部书记带头讲党课的要求没有落实，{span}尚有{secretaries.no_lecture}党支部的书记未讲党课。",
        ),
    ),
    Rule(
        "attendance",
        "attendance.rate",
        (
            "组织生活参与度有待提高，{span}党员参加组织生活的出勤率为{attendance.rate}，个别党员因工作忙请假较多。",
            "部分党员参加组织生活不够经常，{span}出勤率为{attendance.rate}，低于本单位要求。",
        ),
        weak_below=THRESHOLDS["attendance.rate"].minimum,
    ),
    Rule(
        "attended_nothing",
        "members.attended_nothing",
        (
            "党员教育管理还有薄弱环节，{span}有{members.attended_nothing}没有参加过任何组织生活。",
            "个别党员参加组织生活不经常，{span}仍有{members.attended_nothing}未参加任何组织生活。",
        ),
    ),
    Rule(
        "makeup",
        "makeup.outstanding",
        (
            "缺席补学跟进不够及时，尚有{makeup.outstanding}缺席或请假未完成补学。",
            "补学制度执行还不够严格，目前仍有{makeup.outstanding}缺席记录没有补学。",
        ),
    ),
    Rule(
        "dues",
        "dues.in_arrears",
        (
            "党费收缴管理还需加强，截至{end}仍有{dues.in_arrears}欠交党费，合计{dues.arrears}。",
            "按月足额交纳党费的意识还需强化，截至{end}有{dues.in_arrears}未按时交纳，欠交{dues.arrears}。",
        ),
    ),
    Rule(
        "rectification",
        "rectification.overdue",
        (
            "问题整改还不够彻底，有{rectification.overdue}整改问题超过时限仍未销号。",
            "整改落实存在拖延现象，{rectification.overdue}问题已过整改时限尚未完成。",
        ),
    ),
    Rule(
        "pledges",
        "pledges.overdue",
        (
            "为民办实事跟进不够，{pledges.overdue}群众诉求超过办理时限仍未办结。",
            "“我为群众办实事”项目推进不平衡，有{pledges.overdue}事项逾期未办结。",
        ),
    ),
)

# 下一步 drafted from the next period's ledger: what is already planned or falling due.
NEXT_STEPS: tuple[Rule, ...] = (
    Rule(
        "planned",
        "next.activities.planned",
        (
            "抓好组织生活计划落实，已报计划的{next.activities.planned}组织生活要按时开展、及时登记。",
            "严格按计划开展组织生活，确保已报备的{next.activities.planned}活动按期召开、质量达标。",
        ),
    ),
    Rule(
        "terms",
        "next.terms.due",
        (
            "按期做好换届工作，指导{next.terms.due}任期届满的党组织提前谋划、依规换届。",
            "提前谋划基层组织换届，确保{next.terms.due}到期党组织按期完成换届选举。",
        ),
    ),
    Rule(
        "admissions",
        "next.cases.items_due",
        (
            "严把发展党员质量关，按时限办理到期的{next.cases.items_due}发展党员程序节点。",
            "稳妥做好发展党员工作，按规定时限完成{next.cases.items_due}到期的发展程序。",
        ),
    ),
    Rule(
        "lectures",
        "secretaries.no_lecture",
        (
            "落实书记讲党课制度，督促{span}未讲党课的{secretaries.no_lecture}党支部书记在{next}第一季度完成授课。",
            "压实支部书记讲党课责任，对{span}书记未讲党课的{secretaries.no_lecture}党支部跟踪督办。",
        ),
    ),
    Rule(
        "talks",
        "talks.reach",
        (
            "做实谈心谈话，在{span}覆盖{talks.reach}的基础上，{next}实现对全体党员谈心谈话全覆盖。",
            "{next}对尚未谈到的党员逐一开展谈心谈话，把覆盖率从{talks.reach}提高到100%。",
        ),
        weak_below=Decimal("100"),
    ),
    Rule(
        "rectification",
        "rectification.open",
        (
            "持续抓好问题整改，对尚未销号的{rectification.open}整改问题逐项明确时限、跟踪问效。",
            "坚持问题导向抓整改，推动{rectification.open}未销号问题按期整改到位。",
        ),
    ),
    Rule(
        "pledges",
        "pledges.open",
        (
            "持续办好民生实事，推动{pledges.open}在办事项按时办结、群众满意。",
            "对在办的{pledges.open}群众诉求逐件跟踪，做到件件有回音、事事有着落。",
        ),
    ),
)


def rule_keys() -> list[str]:
    """Every figure key the rules name (the build computes them with the template's own)."""
    import re

    found: list[str] = []
    for rule in (*PROBLEMS, *NEXT_STEPS):
        found.append(rule.key)
        for text in rule.text:
            found.extend(m for m in re.findall(r"\{[~#]?([a-z_][a-z0-9_.]*)\}", text))
    skip = {"span", "end", "period", "year", "next", "org"}
    return [k for k in dict.fromkeys(found) if k not in skip]
