"""Honours in Excel: the import template (dropdowns for level and organization), the
all-or-nothing import (every row through ``actions.do_create_honour``, errors by row and column)
and the export of the list as filtered. A row already in the ledger (same title, date and
honoured member or organization) is left alone, so an export re-imports harmlessly."""

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
from dangjian.honours import actions
from dangjian.honours.choices import HonourLevel
from dangjian.honours.models import Honour
from dangjian.members.models import Member
from dangjian.orgs.models import Organization

COLUMNS: tuple[Column, ...] = (
    Column("title", "荣誉名称", ("表彰名称", "荣誉称号"), required=True, width=24),
    Column("level", "级别", ("表彰级别",), required=True, width=10),
    Column("grantor", "授予单位", ("表彰单位", "授予机关"), required=True, width=20),
    Column("awarded_on", "授予日期", ("表彰日期", "获奖日期"), required=True, width=12),
    Column("member", "获表彰党员", ("姓名", "党员姓名"), width=12, hint="表彰党组织时不填"),
    Column("organization", "获表彰组织", ("党组织", "所在党组织"), width=20, hint="表彰党员时可不填"),
    Column("document_number", "表彰文号", ("文号",), width=18),
    Column("note", "说明", ("备注",), width=24),
)
LEVELS = choice_map(
    HonourLevel,
    {
        "国家": "national",
        "省级": "provincial",
        "市级": "municipal",
        "县级": "district",
        "区级": "district",
        "机关": "internal",
        "本单位": "internal",
    },
)
SHEET = sheet.LedgerSheet(COLUMNS, unit="项", anchor="title", named=("荣誉名称", "级别", "授予单位"))
EXPORT_HEADERS = [
    "序号",
    "荣誉名称",
    "级别",
    "授予单位",
    "授予日期",
    "获表彰党员",
    "获表彰组织",
    "表彰文号",
    "说明",
]


def template(user: Any) -> bytes:
    orgs = list(
        restrict(Organization.objects.active().order_by("path"), user, "change").values_list(
            "name", flat=True
        )[:500]
    )
    return template_workbook(
        TemplateSpec(
            title="表彰荣誉",
            columns=COLUMNS,
            choices={"level": [str(label) for _v, label in HonourLevel.choices], "organization": orgs},
            example={
                "title": "（示例，导入前请删除此行）优秀共产党员",
                "level": "市级",
                "grantor": "中共某市委",
                "awarded_on": datetime.date(2026, 6, 28),
                "member": "张三",
                "organization": orgs[0] if orgs else "第一党支部",
                "document_number": "某委〔2026〕15号",
            },
            notes=(
                "表彰荣誉导入模板 · 填写说明",
                "1. 每行一项表彰，从第2行开始填写；第2行是示例，请删除。",
                "2. 深色表头为必填列；“级别”“获表彰组织”请从下拉列表中选择。",
                "3. 表彰党员：填写“获表彰党员”（花名册中的姓名；同名时写成“张三（所在党组织）”），“获表彰组织”可不填。",
                "4. 表彰党组织：只填“获表彰组织”。",
                "5. 导入前逐行检查，有任何一处问题整个文件都不导入，并按“第几行、哪一列”列出问题；可先勾选“试导入”。",
            ),
            date_keys=("awarded_on",),
        )
    )


def import_honours(
    data: bytes, *, filename: str, user: Any, dry_run: bool = False, via: str = "import"
) -> ImportReport:
    """Import the sheet's rows as honours, all or nothing; a row already in the ledger is left alone."""
    orgs = {o.name: o for o in restrict(Organization.objects.active(), user, "change")}
    members = restrict(Member.objects.all(), user)

    def handle(table: Table, row: Row) -> bool:
        title = sheet.text(table, row, "title", "荣誉名称", required=True)
        level = sheet.choice(table, row, "level", "级别", LEVELS, HonourLevel, required=True)
        day = sheet.day(table, row, "awarded_on", "授予日期", required=True)
        member_text = sheet.text(table, row, "member")
        org_text = sheet.text(table, row, "organization")
        member = sheet.member(member_text, members, "member") if member_text else None
        org = sheet.organization(org_text, orgs, "organization", "获表彰组织") if org_text else None
        if org is None and member is None:
            raise ValidationError({"organization": "请填写获表彰党员或获表彰组织。"})
        same = Honour.objects.filter(title=title, awarded_on=day)
        same = same.filter(member=member) if member else same.filter(organization=org, member__isnull=True)
        if same.exists():
            return False
        actions.do_create_honour(
            acting_user=user,
            via=via,
            title=title,
            level=level,
            grantor=sheet.text(table, row, "grantor"),
            awarded_on=day,
            member=member,
            organization=org,
            document_number=sheet.text(table, row, "document_number")[:60],
            note=sheet.text(table, row, "note")[:200],
        )
        return True

    return SHEET.run(data, handle, filename=filename, dry_run=dry_run)


def export(honours: Any) -> bytes:
    rows = (
        [
            i,
            h.title,
            h.get_level_display(),
            h.grantor,
            h.awarded_on,
            h.member.name if h.member_id else "",
            h.organization.name,
            h.document_number,
            h.note,
        ]
        for i, h in enumerate(honours.select_related("organization", "member"), start=1)
    )
    return export_workbook("表彰荣誉", EXPORT_HEADERS, rows, [6, 24, 10, 20, 12, 12, 20, 18, 24])
