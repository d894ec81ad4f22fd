"""The rectification ledger in Excel: the import template (dropdowns for the coded columns), the
all-or-nothing import of findings, and the export of the list as filtered.

Each row goes through ``actions.do_create_finding`` (the web form's action, so ``Finding.clean``
and the permission check apply) inside one transaction; any bad row rolls everything back and
every bad row is named with its column and why. A row identical to one already in the ledger
(same organization, date and description) is left alone, so an export re-imports harmlessly.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError

from dangjian.core import ledger_import as sheet
from dangjian.core.cells import choice_map
from dangjian.core.import_report import ImportReport
from dangjian.core.ledger_xlsx import TemplateSpec, export_workbook, template_workbook
from dangjian.core.scope import restrict
from dangjian.core.sheets import Column, Row, Table
from dangjian.members.choices import ACTIVE_STATUSES
from dangjian.members.models import Member
from dangjian.orgs.models import Organization
from dangjian.rectification import actions
from dangjian.rectification.choices import FindingSource
from dangjian.rectification.models import Finding, Inspection

COLUMNS: tuple[Column, ...] = (
    Column("organization", "整改主体", ("党组织", "责任单位", "所在党组织"), required=True, width=20),
    Column("source", "问题来源", ("来源",), required=True, width=12),
    Column("found_on", "发现日期", ("查摆日期", "反馈日期"), required=True, width=12),
    Column("description", "问题描述", ("存在问题", "问题表现", "问题"), required=True, width=40),
    Column("responsible", "责任人", ("整改责任人",), required=True, width=10),
    Column("deadline", "整改时限", ("完成时限", "时限"), required=True, width=12),
    Column("measures", "整改措施", ("措施",), width=40, hint="多条措施请在单元格内换行，每行一条"),
    Column("inspection", "来源检查", ("巡察审计名称",), width=24, hint="填写已登记的巡察、审计、检查的名称"),
)
HEADERS = {c.key: c.header for c in COLUMNS}
SOURCES = choice_map(FindingSource, {"巡察反馈": FindingSource.INSPECTION, "自查": FindingSource.SELF})
SHEET = sheet.LedgerSheet(
    COLUMNS, unit="个", anchor="description", named=("整改主体", "问题来源", "问题描述")
)
EXPORT_HEADERS = [
    "序号",
    "整改主体",
    "问题来源",
    "发现日期",
    "问题描述",
    "责任人",
    "整改时限",
    "整改措施",
    "来源检查",
    "状态",
    "销号日期",
    "整改成效及佐证",
    "验收人",
    "重新整改次数",
]


def template(user: Any) -> bytes:
    orgs = list(
        restrict(Organization.objects.active().order_by("path"), user, "change").values_list(
            "name", flat=True
        )[:500]
    )
    return template_workbook(
        TemplateSpec(
            title="整改台账",
            columns=COLUMNS,
            choices={"organization": orgs, "source": [str(label) for _v, label in FindingSource.choices]},
            example={
                "organization": orgs[0] if orgs else "第一党支部",
                "source": "组织生活会",
                "found_on": datetime.date(2026, 1, 15),
                "description": "（示例，导入前请删除此行）理论学习与业务工作结合不够紧密",
                "responsible": "张三",
                "deadline": datetime.date(2026, 6, 30),
                "measures": "制定年度学习计划\n每季度开展一次学用结合交流",
            },
            notes=(
                "整改台账导入模板 · 填写说明",
                "1. 每行一个问题，从第2行开始填写；第2行是示例，请删除。",
                "2. 深色表头为必填列；“整改主体”“问题来源”请从下拉列表中选择。",
                "3. “责任人”填写花名册中的姓名；同名时请在姓名后加括号注明所在党组织，如“张三（第一党支部）”。",
                "4. “整改措施”可写多条，在单元格内换行（Alt+Enter），每行一条。",
                "5. 导入前逐行检查，有任何一处问题，整个文件都不导入，并按“第几行、哪一列”列出问题；可先勾选“试导入”。",
                "6. 与台账中已有问题（整改主体、发现日期、问题描述都相同）重复的行不会重复登记。",
            ),
            date_keys=("found_on", "deadline"),
        )
    )


def import_findings(
    data: bytes, *, filename: str, user: Any, dry_run: bool = False, via: str = "import"
) -> ImportReport:
    """Import the sheet's rows as findings with their measures, all or nothing."""
    orgs = {o.name: o for o in restrict(Organization.objects.active(), user, "change")}
    members = restrict(Member.objects.filter(status__in=ACTIVE_STATUSES), user)
    inspections = restrict(Inspection.objects.all(), user)

    def handle(table: Table, row: Row) -> bool:
        org = sheet.organization(
            sheet.text(table, row, "organization"), orgs, "organization", HEADERS["organization"]
        )
        source = sheet.choice(table, row, "source", "问题来源", SOURCES, FindingSource, required=True)
        found_on = sheet.day(table, row, "found_on", HEADERS["found_on"], required=True)
        description = sheet.text(table, row, "description", HEADERS["description"], required=True)
        if Finding.objects.filter(organization=org, found_on=found_on, description=description).exists():
            return False
        responsible_text = sheet.text(table, row, "responsible", HEADERS["responsible"], required=True)
        responsible = sheet.member(responsible_text, members, "responsible", within=org)
        deadline = sheet.day(table, row, "deadline", HEADERS["deadline"], required=True)
        inspection = None
        title = sheet.text(table, row, "inspection")
        if title:
            inspection = inspections.filter(title=title).order_by("-started_on").first()
            if inspection is None:
                raise ValidationError({"inspection": f"没有找到名为“{title}”的巡察审计检查，请先登记。"})
        raw = table.value(row, "measures")
        lines = [ln.strip() for ln in str(raw or "").splitlines() if ln.strip()]
        actions.do_create_finding(
            acting_user=user,
            via=via,
            measures=lines,
            organization=org,
            source=source,
            found_on=found_on,
            description=description,
            responsible=responsible,
            deadline=deadline,
            inspection=inspection,
        )
        return True

    return SHEET.run(data, handle, filename=filename, dry_run=dry_run)


def export(findings: Any) -> bytes:
    qs = findings.select_related("organization", "responsible", "inspection", "verified_by").prefetch_related(
        "measures"
    )
    rows = (
        [
            i,
            f.organization.name,
            f.get_source_display(),
            f.found_on,
            f.description,
            f.responsible.name,
            f.deadline,
            "\n".join(m.text for m in f.measures.all()),
            f.inspection.title if f.inspection_id else "",
            f.get_status_display(),
            f.closed_on,
            f.closing_evidence,
            f.verified_by.get_username() if f.verified_by_id else "",
            f.reopen_count,
        ]
        for i, f in enumerate(qs, start=1)
    )
    return export_workbook(
        "整改台账", EXPORT_HEADERS, rows, [6, 20, 12, 12, 40, 10, 12, 40, 24, 8, 12, 30, 10, 8]
    )
