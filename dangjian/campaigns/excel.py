"""The 为民办实事 ledger in Excel: a template with dropdowns, an all-or-nothing import, an export.

The import reads the sheet with the shared reader and cell parsers (``core.sheets``,
``core.cells``), sends every row through ``do_save_pledge`` (the web form's action, so the same
checks and the same audit), all inside one transaction: any bad row rolls everything back and
every bad row is named with its column and why. A row whose organization, 事项 and 收集日期 match
an existing item changes that item, so importing the export again adds nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError

from dangjian.campaigns.actions import do_save_pledge
from dangjian.campaigns.choices import BeneficiaryUnit, PledgeCategory, PledgeSource, PledgeStatus
from dangjian.campaigns.models import Campaign, ServicePledge
from dangjian.core import ledger_import as sheet
from dangjian.core.cells import choice_labels, choice_map, parse_name
from dangjian.core.import_report import ImportReport
from dangjian.core.ledger_xlsx import TemplateSpec, export_workbook
from dangjian.core.ledger_xlsx import template_workbook as spec_workbook
from dangjian.core.sheets import Column, Row, Table
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
_HEADER = {c.key: c.header for c in COLUMNS}
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
DATE_KEYS = ("collected_on", "deadline", "solved_on")


SHEET = sheet.LedgerSheet(
    COLUMNS,
    unit="项",
    anchor="title",
    named=("承办组织", "事项", "责任人"),
    existing="updated",
)


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


def _choice(
    table: Table, row: Row, key: str, values: dict[str, str], choices: Any, *, required: bool = False
) -> str:
    return sheet.choice(table, row, key, _HEADER[key], values, choices, required=required)


def org_names(orgs: Iterable[Any]) -> dict[str, Any]:
    """Organizations by full name and by short name (a sheet may use either)."""
    by_name: dict[str, Any] = {}
    for org in orgs:
        by_name[org.name] = org
        if org.short_name:
            by_name.setdefault(org.short_name, org)
    return by_name


def import_pledges(
    data: bytes, *, filename: str, orgs: Iterable[Any], user: Any, dry_run: bool = False, via: str = "import"
) -> ImportReport:
    """Import the sheet's rows as 为民办实事 items of ``orgs`` (those the user may write), all or nothing."""
    by_name = org_names(orgs)
    members = Member.objects.filter(status__in=ACTIVE_STATUSES)
    campaigns = {c.name: c for c in Campaign.objects.all()}

    def handle(table: Table, row: Row) -> bool:
        org_text = sheet.text(table, row, "organization").replace(" ", "")
        org = sheet.organization(org_text, by_name, "organization", "承办组织")
        title = sheet.text(table, row, "title", "事项", required=True)
        source = _choice(table, row, "source", SOURCES, PledgeSource, required=True)
        category = _choice(table, row, "category", CATEGORIES, PledgeCategory, required=True)
        status = _choice(table, row, "status", STATUSES, PledgeStatus)
        unit = _choice(table, row, "beneficiary_unit", UNITS, BeneficiaryUnit)
        collected_on = sheet.day(table, row, "collected_on", "收集日期", required=True)
        handler = _member(table, row, "handler", org, members)
        if handler is None:
            raise ValidationError({"handler": "责任人不能为空。"})
        campaign = None
        campaign_name = sheet.text(table, row, "campaign")
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
            deadline=sheet.day(table, row, "deadline", "办理时限"),
            status=status or PledgeStatus.OPEN,
            solved_on=sheet.day(table, row, "solved_on", "办结日期"),
            beneficiaries=sheet.number(table, row, "beneficiaries", integer=True),
            beneficiary_unit=unit or BeneficiaryUnit.PEOPLE,
            amount=sheet.number(table, row, "amount", integer=False),
            result=sheet.text(table, row, "result"),
        )
        return existing is None

    return SHEET.run(data, handle, filename=filename, dry_run=dry_run)


# ---- template and export ---------------------------------------------------------------------------


def template_workbook(org_names: list[str], campaign_names: list[str]) -> bytes:
    """The import template: header, an example row (skipped on import), dropdowns for the coded
    columns and the user's organizations, and the instructions."""
    return spec_workbook(
        TemplateSpec(
            title="为民办实事",
            columns=COLUMNS,
            choices={
                "source": [str(label) for _v, label in PledgeSource.choices],
                "category": [str(label) for _v, label in PledgeCategory.choices],
                "status": [str(label) for _v, label in PledgeStatus.choices],
                "beneficiary_unit": [str(label) for _v, label in BeneficiaryUnit.choices],
                "organization": org_names or ["（无可登记的党组织）"],
                "campaign": campaign_names,
            },
            example={
                "organization": org_names[0] if org_names else "第一党支部",
                "title": sheet.EXAMPLE_MARK + "为辖区老年人上门办理社保资格认证",
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
                "result": "组织党员志愿者分三批上门，完成126名行动不便老人的认证。",
            },
            notes=(
                "为民办实事台账导入模板 · 填写说明",
                "1. 每行一件实事，从第2行开始填写；第2行是示例（事项以“（示例）”开头），导入时跳过。",
                "2. 深色表头为必填列。来源、类别、状态、受益单位、承办组织请从下拉列表中选择。",
                "3. 收集人、责任人填写承办组织（或其下级组织）在册党员的姓名。",
                "4. 状态为“已办结”或“形成长效机制”的，须填写办结日期和办理结果。",
                "5. 承办组织、事项、收集日期与已登记事项相同的行，视为修改该事项；同一文件重复导入不会重复添加。",
                "6. 导入前逐行检查，有任何一处问题，整个文件都不导入，并按“第几行、哪一列”列出问题。",
            ),
            date_keys=DATE_KEYS,
        )
    )


def export_pledges(pledges: Iterable[ServicePledge]) -> bytes:
    """The items as .xlsx with the template's columns (importable again)."""
    rows = (
        [
            p.organization.name,
            p.title,
            p.get_source_display(),
            p.get_category_display(),
            p.collected_by.name if p.collected_by_id else "",
            p.collected_on,
            p.handler.name,
            p.deadline,
            p.get_status_display(),
            p.solved_on,
            p.beneficiaries,
            p.get_beneficiary_unit_display(),
            p.amount,
            p.result,
            p.campaign.name if p.campaign_id else "",
        ]
        for p in pledges
    )
    return export_workbook("为民办实事", HEADERS, rows, [c.width + 2 for c in COLUMNS])
