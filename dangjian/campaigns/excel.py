"""The 为民办实事 ledger in Excel: a template with dropdowns, an all-or-nothing import, an export.

The import reads the sheet with the shared reader and cell parsers (``core.sheets``,
``core.cells``), sends every row through ``do_save_pledge`` (the web form's action, so the same
checks and the same audit), all inside one transaction: any bad row rolls everything back and
every bad row is named with its column and why. A row whose organization, 事项 and 收集日期 match
an existing item changes that item, so importing the export again adds nothing twice.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from dangjian.campaigns.actions import do_save_pledge
from dangjian.campaigns.choices import BeneficiaryUnit, PledgeCategory, PledgeSource, PledgeStatus
from dangjian.campaigns.models import Campaign, ServicePledge
from dangjian.core.cells import (
    CellProblem,
    choice_labels,
    choice_map,
    clean_text,
    parse_choice,
    parse_day,
    parse_name,
    sentence,
)
from dangjian.core.import_report import ImportReport, Problem
from dangjian.core.sheets import Column, FileProblem, Row, Table, read_table
from dangjian.members.choices import ACTIVE_STATUSES
from dangjian.members.models import Member

COLUMNS: tuple[Column, ...] = (
    Column("organization", "承办组织", ("承办单位", "党组织", "所在支部"), required=True, width=18),
    Column("title", "事项", ("事项名称", "实事项目", "办实事事项"), required=True, width=36),
    Column("source", "来源", ("问题来源", "事项来源"), required=True, hint=choice_labels(PledgeSource)),
    Column("category", "类别", ("事项类别",), required=True, hint=choice_labels(PledgeCategory)),
    Column("collected_by", "收集人", ("征集人",)),
    Column("collected_on", "收集日期", ("征集日期", "收集时间"), required=True),
    Column("handler", "责任人", ("承办人", "负责人"), required=True),
    Column("deadline", "办理时限", ("完成时限", "时限")),
    Column("status", "状态", ("办理状态", "办理情况"), hint=choice_labels(PledgeStatus)),
    Column("solved_on", "办结日期", ("完成日期", "办结时间")),
    Column("beneficiaries", "受益数量", ("受益人数", "受益群众")),
    Column("beneficiary_unit", "受益单位", ("计量单位",), hint=choice_labels(BeneficiaryUnit)),
    Column("amount", "涉及资金（万元）", ("涉及资金", "资金（万元）", "金额（万元）"), width=14),
    Column("result", "办理结果", ("办理成效", "完成情况"), width=36),
    Column("campaign", "所属专题活动", ("专题活动",), width=20),
)
HEADERS = [c.header for c in COLUMNS]
_BY_KEY = {c.key: c for c in COLUMNS}
SOURCES = choice_map(
    PledgeSource,
    {
        "调研": PledgeSource.SURVEY,
        "走访": PledgeSource.VISIT,
        "热线": PledgeSource.HOTLINE,
        "12345": PledgeSource.HOTLINE,
        "督查": PledgeSource.INSPECTION,
    },
)
CATEGORIES = choice_map(PledgeCategory)
STATUSES = choice_map(
    PledgeStatus,
    {
        "办结": PledgeStatus.SOLVED,
        "已完成": PledgeStatus.SOLVED,
        "长效机制": PledgeStatus.MECHANISM,
        "正在办理": PledgeStatus.OPEN,
        "未办结": PledgeStatus.OPEN,
    },
)
UNITS = choice_map(
    BeneficiaryUnit,
    {"人次": BeneficiaryUnit.PEOPLE, "家": BeneficiaryUnit.ENTERPRISES, "企业": BeneficiaryUnit.ENTERPRISES},
)
# Which column an action's error belongs to; errors on other fields name the row only.
FIELD_COLUMN = {key: key for key in _BY_KEY}
EXAMPLE_MARK = "（示例）"
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="B22222")
_OPTIONAL_FILL = PatternFill("solid", fgColor="888888")


class _Rollback(Exception):
    pass


def _problems(exc: ValidationError, table: Table, row: Row) -> list[Problem]:
    if not hasattr(exc, "error_dict"):
        return [Problem(sentence(m), row.number) for m in exc.messages]
    out = []
    for name, msgs in exc.message_dict.items():
        key = FIELD_COLUMN.get(name, "")
        letter = table.letter(key) if key and table.has(key) else ""
        header = _BY_KEY[key].header if letter else ""
        out.extend(Problem(sentence(m), row.number, letter, header) for m in msgs)
    return out


def _cell(field: str, parse: Any) -> Any:
    try:
        return parse()
    except CellProblem as exc:
        raise ValidationError({field: str(exc)}) from None


def _day(table: Table, row: Row, key: str) -> Any:
    what = _BY_KEY[key].header
    return _cell(key, lambda: parse_day(table.value(row, key), what, table.number_format(row, key)))


def _member(table: Table, row: Row, key: str, org: Any, members: Any) -> Member | None:
    name = parse_name(table.value(row, key))
    if not name:
        return None
    found = list(members.filter(name=name, organization__path__startswith=org.path)[:2])
    if not found:
        raise ValidationError({key: f"“{name}”不是{org.name}及其下级组织在册的党员。"})
    if len(found) > 1:
        raise ValidationError({key: f"{org.name}有同名党员“{name}”，请在系统中逐条登记。"})
    return found[0]


def _org(table: Table, row: Row, orgs: dict[str, Any]) -> Any:
    name = clean_text(table.value(row, "organization")).replace(" ", "")
    if not name:
        raise ValidationError({"organization": "承办组织不能为空。"})
    org = orgs.get(name)
    if org is None:
        raise ValidationError({"organization": f"“{name}”不是您可以登记的党组织（请填写全称或简称）。"})
    return org


def _number(table: Table, row: Row, key: str, *, integer: bool) -> Any:
    raw = table.value(row, key)
    text = clean_text(raw).replace(",", "").replace("，", "").replace(" ", "") if raw is not None else ""
    if text == "":
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError({key: f"“{text}”不是数字。"}) from None
    if value < 0:
        raise ValidationError({key: "不能为负数。"})
    if integer:
        if value != value.to_integral_value():
            raise ValidationError({key: f"“{text}”应为整数。"})
        return int(value)
    return value.quantize(Decimal("0.01"))


def import_pledges(
    data: bytes, *, filename: str, orgs: Iterable[Any], user: Any, dry_run: bool = False, via: str = "import"
) -> ImportReport:
    """Import the sheet's rows as 为民办实事 items of ``orgs`` (those the user may write), all or nothing."""
    report = ImportReport(filename=filename, dry_run=dry_run, unit="项")
    try:
        table = read_table(data, COLUMNS, anchor="title", named=["承办组织", "事项", "责任人"])
    except FileProblem as exc:
        report.fail(str(exc))
        return report
    report.sheet, report.header_row, report.rows = table.sheet, table.header_row, len(table.rows)
    if table.ignored:
        report.notes.append(f"以下列未读取：{'、'.join(table.ignored)}。")
    by_name: dict[str, Any] = {}
    for org in orgs:
        by_name[org.name] = org
        if org.short_name:
            by_name.setdefault(org.short_name, org)
    members = Member.objects.filter(status__in=ACTIVE_STATUSES)
    campaigns = {c.name: c for c in Campaign.objects.all()}

    def handle(row: Row) -> bool:
        org = _org(table, row, by_name)
        title = clean_text(table.value(row, "title"))
        if not title:
            raise ValidationError({"title": "事项不能为空。"})
        source = _cell(
            "source",
            lambda: parse_choice(table.value(row, "source"), SOURCES, "来源", choice_labels(PledgeSource)),
        )
        category = _cell(
            "category",
            lambda: parse_choice(
                table.value(row, "category"), CATEGORIES, "类别", choice_labels(PledgeCategory)
            ),
        )
        if not source:
            raise ValidationError({"source": "来源不能为空。"})
        if not category:
            raise ValidationError({"category": "类别不能为空。"})
        status = _cell(
            "status",
            lambda: parse_choice(table.value(row, "status"), STATUSES, "状态", choice_labels(PledgeStatus)),
        )
        unit = _cell(
            "beneficiary_unit",
            lambda: parse_choice(
                table.value(row, "beneficiary_unit"), UNITS, "受益单位", choice_labels(BeneficiaryUnit)
            ),
        )
        collected_on = _day(table, row, "collected_on")
        if collected_on is None:
            raise ValidationError({"collected_on": "收集日期不能为空。"})
        handler = _member(table, row, "handler", org, members)
        if handler is None:
            raise ValidationError({"handler": "责任人不能为空。"})
        campaign = None
        campaign_name = clean_text(table.value(row, "campaign"))
        if campaign_name:
            campaign = campaigns.get(campaign_name)
            if campaign is None or not campaign.covers(org):
                raise ValidationError({"campaign": f"没有{org.name}参加的专题活动“{campaign_name}”。"})
        existing = ServicePledge.objects.filter(
            organization=org, title=title, collected_on=collected_on
        ).first()
        do_save_pledge(
            existing,
            acting_user=user,
            via=via,
            organization=org,
            campaign=campaign,
            title=title[:200],
            source=source,
            category=category,
            collected_by=_member(table, row, "collected_by", org, members),
            collected_on=collected_on,
            handler=handler,
            deadline=_day(table, row, "deadline"),
            status=status or PledgeStatus.OPEN,
            solved_on=_day(table, row, "solved_on"),
            beneficiaries=_number(table, row, "beneficiaries", integer=True),
            beneficiary_unit=unit or BeneficiaryUnit.PEOPLE,
            amount=_number(table, row, "amount", integer=False),
            result=clean_text(table.value(row, "result")),
        )
        return existing is None

    try:
        with transaction.atomic():
            for row in table.rows:
                if clean_text(table.value(row, "title")).startswith(EXAMPLE_MARK):
                    continue
                try:
                    with transaction.atomic():
                        created = handle(row)
                except ValidationError as exc:
                    for problem in _problems(exc, table, row):
                        report.add_error(problem)
                    continue
                if created:
                    report.created += 1
                else:
                    report.updated += 1
            if report.error_count or dry_run:
                raise _Rollback
    except _Rollback:
        if report.error_count:
            report.reject()
    report.imported = report.ok and not dry_run
    return report


# ---- template and export ---------------------------------------------------------------------------


def _header(ws: Any) -> None:
    for index, col in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=index, value=col.header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL if col.required else _OPTIONAL_FILL
        ws.column_dimensions[get_column_letter(index)].width = col.width + 2
    ws.freeze_panes = "A2"


def _letter(key: str) -> str:
    return get_column_letter([c.key for c in COLUMNS].index(key) + 1)


def template_workbook(org_names: list[str], campaign_names: list[str]) -> bytes:
    """The import template: header, an example row (skipped on import), dropdowns for the coded
    columns and the user's organizations, and the instructions."""
    book = Workbook()
    ws = book.active
    ws.title = "为民办实事"
    _header(ws)
    example = {
        "organization": org_names[0] if org_names else "第一党支部",
        "title": EXAMPLE_MARK + "为辖区老年人上门办理社保资格认证",
        "source": PledgeSource.VISIT.label,
        "category": PledgeCategory.LIVELIHOOD.label,
        "collected_by": "张三",
        "collected_on": "2026-03-10",
        "handler": "李四",
        "deadline": "2026-06-30",
        "status": PledgeStatus.SOLVED.label,
        "solved_on": "2026-05-20",
        "beneficiaries": 126,
        "beneficiary_unit": BeneficiaryUnit.PEOPLE.label,
        "amount": "",
        "result": "组织党员志愿者分三批上门，完成126名行动不便老人的认证。",
        "campaign": "",
    }
    ws.append([example[c.key] for c in COLUMNS])
    for cell in ws[2]:
        cell.font = Font(color="808080", italic=True)
    lists = book.create_sheet("选项")
    choices = {
        "source": [str(label) for _v, label in PledgeSource.choices],
        "category": [str(label) for _v, label in PledgeCategory.choices],
        "status": [str(label) for _v, label in PledgeStatus.choices],
        "beneficiary_unit": [str(label) for _v, label in BeneficiaryUnit.choices],
        "organization": org_names or ["（无可登记的党组织）"],
        "campaign": campaign_names,
    }
    for index, (key, values) in enumerate(choices.items(), start=1):
        letter = get_column_letter(index)
        lists.cell(row=1, column=index, value=_BY_KEY[key].header)
        for r, value in enumerate(values, start=2):
            lists.cell(row=r, column=index, value=value)
        if not values:
            continue
        rule = DataValidation(
            type="list",
            formula1=f"=选项!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=not _BY_KEY[key].required,
            showErrorMessage=True,
            errorTitle="请从下拉列表中选择",
            error=f"{_BY_KEY[key].header}请从下拉列表中选择。",
        )
        ws.add_data_validation(rule)
        rule.add(f"{_letter(key)}2:{_letter(key)}1001")
    for key in ("collected_on", "deadline", "solved_on"):
        rule = DataValidation(
            type="date",
            operator="greaterThan",
            formula1="36526",
            allow_blank=True,
            showErrorMessage=True,
            error="请填写日期，如2026-03-10。",
        )
        ws.add_data_validation(rule)
        rule.add(f"{_letter(key)}2:{_letter(key)}1001")
    lists.sheet_state = "hidden"
    notes = book.create_sheet("填写说明")
    notes.append(["为民办实事台账导入模板 · 填写说明"])
    notes["A1"].font = Font(bold=True, size=14)
    for line in (
        "1. 每行一件实事，从第2行开始填写；第2行是示例（事项以“（示例）”开头），导入时跳过。",
        "2. 红色表头为必填列。来源、类别、状态、受益单位、承办组织请从下拉列表中选择。",
        "3. 收集人、责任人填写承办组织（或其下级组织）在册党员的姓名。",
        "4. 状态为“已办结”或“形成长效机制”的，须填写办结日期和办理结果。",
        "5. 承办组织、事项、收集日期与已登记事项相同的行，视为修改该事项；同一文件重复导入不会重复添加。",
        "6. 导入前逐行检查，有任何一处问题，整个文件都不导入，并按“第几行、哪一列”列出问题。",
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 100
    return _save(book)


def _safe(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula is written as plain text."""
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@")):
        return "'" + value
    return value


def export_pledges(pledges: Iterable[ServicePledge]) -> bytes:
    """The items as .xlsx with the template's columns (importable again)."""
    book = Workbook()
    ws = book.active
    ws.title = "为民办实事"
    _header(ws)
    for p in pledges:
        values = {
            "organization": p.organization.name,
            "title": p.title,
            "source": p.get_source_display(),
            "category": p.get_category_display(),
            "collected_by": p.collected_by.name if p.collected_by_id else "",
            "collected_on": p.collected_on,
            "handler": p.handler.name,
            "deadline": p.deadline,
            "status": p.get_status_display(),
            "solved_on": p.solved_on,
            "beneficiaries": p.beneficiaries,
            "beneficiary_unit": p.get_beneficiary_unit_display(),
            "amount": p.amount,
            "result": p.result,
            "campaign": p.campaign.name if p.campaign_id else "",
        }
        ws.append([_safe(values[c.key]) for c in COLUMNS])
        for key in ("collected_on", "deadline", "solved_on"):
            ws[f"{_letter(key)}{ws.max_row}"].number_format = "yyyy-mm-dd"
    return _save(book)


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
