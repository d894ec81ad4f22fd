"""The sheets of the duties ledgers: columns, how a row becomes a record, how a record a row."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from dangjian.core.period import Period, PeriodError
from dangjian.duties import actions
from dangjian.duties.choices import DutyKind, ItemStatus, KeyTaskKind, LetterKind
from dangjian.duties.models import BusinessResult, KeyTask, Letter, Liaison, ResponsibilityItem
from dangjian.duties.sheetio import Field, SheetSpec


def _name(obj: Any) -> str:
    return obj.name if obj is not None else ""


def _label(choices: Any, value: str) -> str:
    return str(dict(choices.choices).get(value, value)) if value else ""


ITEMS = SheetSpec(
    name="责任清单",
    slug="items",
    fields=(
        Field("organization", "责任主体", "org", True, aliases=("党组织", "组织"), width=22),
        Field("year", "年度", "year", True, width=8),
        Field("duty_kind", "责任类别", "choice", choices=DutyKind),
        Field("task", "任务", required=True, width=40, max_length=300, aliases=("任务内容", "工作任务")),
        Field("responsible", "责任人", "member", True),
        Field("deadline", "完成时限", "date"),
        Field("status", "状态", "choice", choices=ItemStatus, aliases=("完成情况",)),
        Field("done_on", "完成日期", "date"),
        Field("evidence", "完成情况及佐证", width=30, aliases=("佐证材料",)),
    ),
    build=lambda v, user: ResponsibilityItem(
        organization=v["organization"],
        year=v["year"],
        duty_kind=v["duty_kind"] or DutyKind.MAIN,
        task=v["task"],
        responsible=v["responsible"],
        deadline=v["deadline"],
        status=v["status"] or ItemStatus.PLANNED,
        done_on=v["done_on"],
        evidence=v["evidence"] or "",
    ),
    row=lambda i: [
        i.organization.name,
        i.year,
        i.get_duty_kind_display(),
        i.task,
        i.responsible.name,
        i.deadline,
        i.get_status_display(),
        i.done_on,
        i.evidence,
    ],
    example=(
        "第一党支部",
        2026,
        "主体责任",
        "每季度召开一次支部党员大会",
        "张三",
        "2026-12-31",
        "推进中",
        "",
        "",
    ),
    save=actions.do_save,
)

LIAISONS = SheetSpec(
    name="挂点联系",
    slug="liaisons",
    fields=(
        Field("branch", "联系党支部", "org", True, aliases=("党支部",), width=22),
        Field("leader", "联系领导", "leader", True),
        Field("started_on", "开始日期", "date", True),
        Field("ended_on", "结束日期", "date"),
    ),
    build=lambda v, user: Liaison(
        branch=v["branch"], leader=v["leader"], started_on=v["started_on"], ended_on=v["ended_on"]
    ),
    row=lambda x: [x.branch.name, x.leader.name, x.started_on, x.ended_on],
    example=("第一党支部", "李四", "2026-01-01", ""),
    save=actions.do_save,
)


def _letter(v: dict[str, Any], user: Any) -> Letter:
    return Letter(
        kind=v["kind"] or LetterKind.RESPONSIBILITY,
        title=v["title"],
        year=v["year"],
        signer=v["signer"],
        counterpart=v["counterpart"],
        counterpart_org=v["counterpart_org"],
        signed_on=v["signed_on"],
    )


LETTERS = SheetSpec(
    name="责任书承诺书",
    slug="letters",
    fields=(
        Field("signer_org", "签订人所在党组织", "org", True, aliases=("所在党组织", "党组织"), width=22),
        Field("signer", "签订人", "member", True, aliases=("姓名",)),
        Field("kind", "类别", "choice", True, choices=LetterKind),
        Field("title", "名称", required=True, width=24, max_length=100),
        Field("year", "年度", "year", True, width=8),
        Field("counterpart", "签订对象", "leader", aliases=("签订对象（个人）",)),
        Field("counterpart_org", "签订对象（组织）", "toporg", width=22),
        Field("signed_on", "签订日期", "date", True),
    ),
    build=_letter,
    row=lambda x: [
        x.signer.organization.name,
        x.signer.name,
        x.get_kind_display(),
        x.title,
        x.year,
        _name(x.counterpart),
        _name(x.counterpart_org),
        x.signed_on,
    ],
    example=("第一党支部", "张三", "责任书", "党风廉政建设责任书", 2026, "李四", "", "2026-02-20"),
    save=actions.do_save,
)

KEY_TASKS = SheetSpec(
    name="中心工作",
    slug="key-tasks",
    fields=(
        Field("organization", "组织", "org", True, aliases=("党组织",), width=22),
        Field("year", "年度", "year", True, width=8),
        Field("kind", "类别", "choice", True, choices=KeyTaskKind),
        Field("name", "名称", required=True, width=28, max_length=100),
        Field("started_on", "开始日期", "date", True),
        Field("ended_on", "结束日期", "date"),
        Field("lead", "牵头领导", "member"),
        Field("people", "参与人数（人）", "int", aliases=("参与人数",)),
        Field("person_days", "投入人天（人·天）", "int", aliases=("投入人天", "人天")),
        Field("amount", "涉及资金（万元）", "decimal", aliases=("涉及资金", "资金")),
        Field("description", "工作内容及成效", width=40),
    ),
    build=lambda v, user: KeyTask(
        organization=v["organization"],
        year=v["year"],
        kind=v["kind"],
        name=v["name"],
        started_on=v["started_on"],
        ended_on=v["ended_on"],
        lead=v["lead"],
        people=v["people"] or 0,
        person_days=v["person_days"] or 0,
        amount=v["amount"],
        description=v["description"] or "",
    ),
    row=lambda t: [
        t.organization.name,
        t.year,
        t.get_kind_display(),
        t.name,
        t.started_on,
        t.ended_on,
        _name(t.lead),
        t.people,
        t.person_days,
        t.amount,
        t.description,
    ],
    example=(
        "第一党支部",
        2026,
        "防汛抗灾",
        "汛期防汛值守",
        "2026-06-01",
        "2026-08-31",
        "张三",
        12,
        96,
        "3.50",
        "",
    ),
    save=actions.do_save,
)


def _result(v: dict[str, Any], user: Any) -> BusinessResult:
    result = BusinessResult(
        organization=v["organization"],
        name=v["name"],
        value=v["value"],
        unit=v["unit"],
        source_document=v["source_document"],
        note=v["note"] or "",
    )
    try:
        result.period = Period.parse(v["period_code"])
    except PeriodError as exc:
        raise ValidationError({"period_code": str(exc)}) from None
    return result


RESULTS = SheetSpec(
    name="业务成果",
    slug="results",
    fields=(
        Field("organization", "组织", "org", True, aliases=("党组织", "单位"), width=22),
        Field("name", "指标", required=True, width=24, max_length=100, aliases=("成果", "名称")),
        Field("value", "数值", "decimal", True),
        Field("unit", "单位", required=True, width=8, max_length=20, aliases=("计量单位",)),
        Field("period_code", "期间", required=True, aliases=("统计期间",)),
        Field("source_document", "来源文件", required=True, width=30, max_length=200, aliases=("数据来源",)),
        Field("note", "说明", width=24, max_length=200),
    ),
    build=_result,
    row=lambda r: [r.organization.name, r.name, r.value, r.unit, r.period.code, r.source_document, r.note],
    example=("某局机关党委", "非税收入增长", "8.6", "%", "2026H1", "2026年上半年财政收支情况通报", ""),
    save=actions.do_save,
)

SPECS = {spec.slug: spec for spec in (ITEMS, LIAISONS, LETTERS, KEY_TASKS, RESULTS)}
