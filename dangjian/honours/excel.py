"""Honours in Excel: the import template (dropdowns for level and organization), the
all-or-nothing import (every row through ``actions.do_create_honour``, errors by row and column)
and the export of the list as filtered. A row already in the ledger (same title, date and
honoured member or organization) is left alone, so an export re-imports harmlessly."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from dangjian.core.cells import (
    CellProblem,
    choice_labels,
    choice_map,
    clean_text,
    parse_choice,
    parse_day,
    sentence,
)
from dangjian.core.import_report import ImportReport, Problem
from dangjian.core.ledger_xlsx import TemplateSpec, export_workbook, template_workbook
from dangjian.core.scope import restrict
from dangjian.core.sheets import Column, FileProblem, Row, Table, read_table
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
HEADERS = {c.key: c.header for c in COLUMNS}
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


class _Rollback(Exception):
    pass


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


def _problems(exc: ValidationError, table: Table, row: Row) -> list[Problem]:
    if not hasattr(exc, "error_dict"):
        return [Problem(sentence(m), row.number) for m in exc.messages]
    out = []
    for name, messages in exc.message_dict.items():
        key = name if name in HEADERS else ""
        letter = table.letter(key) if key else ""
        out.extend(Problem(sentence(m), row.number, letter, HEADERS[key] if letter else "") for m in messages)
    return out


def _member(text: str, members: Any) -> Member:
    name, _, where = text.replace("(", "（").replace(")", "）").partition("（")
    name, where = name.strip(), where.rstrip("）").strip()
    found = members.filter(name=name)
    if where:
        found = found.filter(organization__name=where)
    matches = list(found.select_related("organization")[:3])
    if not matches:
        raise ValidationError({"member": f"“{text}”不在您管理的花名册中。"})
    if len(matches) > 1:
        raise ValidationError({"member": f"花名册中有同名党员“{name}”，请写成“{name}（所在党组织）”区分。"})
    return matches[0]


def import_honours(upload: Any, *, user: Any, dry_run: bool = False, via: str = "web") -> ImportReport:
    report = ImportReport(filename=getattr(upload, "name", "") or "", dry_run=dry_run, unit="项")
    try:
        table = read_table(upload.read(), COLUMNS, anchor="title", named=["荣誉名称", "级别", "授予单位"])
    except FileProblem as exc:
        report.fail(str(exc))
        return report
    report.sheet, report.header_row, report.rows = table.sheet, table.header_row, len(table.rows)
    if table.ignored:
        report.notes.append(f"以下列未读取：{'、'.join(table.ignored)}。")
    orgs = {o.name: o for o in restrict(Organization.objects.active(), user, "change")}
    members = restrict(Member.objects.all(), user)

    def handle(row: Row) -> bool:
        title = clean_text(table.value(row, "title"))
        if not title:
            raise ValidationError({"title": "荣誉名称不能为空。"})
        try:
            level = parse_choice(table.value(row, "level"), LEVELS, "级别", choice_labels(HonourLevel))
        except CellProblem as exc:
            raise ValidationError({"level": str(exc)}) from None
        if not level:
            raise ValidationError({"level": "级别不能为空。"})
        try:
            day = parse_day(
                table.value(row, "awarded_on"), "授予日期", table.number_format(row, "awarded_on")
            )
        except CellProblem as exc:
            raise ValidationError({"awarded_on": str(exc)}) from None
        if day is None:
            raise ValidationError({"awarded_on": "授予日期不能为空。"})
        member_text = clean_text(table.value(row, "member"))
        org_text = clean_text(table.value(row, "organization"))
        member = _member(member_text, members) if member_text else None
        org = None
        if org_text:
            org = orgs.get(org_text)
            if org is None:
                raise ValidationError({"organization": f"“{org_text}”不是您可以登记的党组织。"})
        elif member is None:
            raise ValidationError({"organization": "请填写获表彰党员或获表彰组织。"})
        same = Honour.objects.filter(title=title, awarded_on=day)
        same = same.filter(member=member) if member else same.filter(organization=org, member__isnull=True)
        if same.exists():
            return False
        actions.do_create_honour(
            acting_user=user,
            via="import" if via == "web" else via,
            title=title,
            level=level,
            grantor=clean_text(table.value(row, "grantor")),
            awarded_on=day,
            member=member,
            organization=org,
            document_number=clean_text(table.value(row, "document_number"))[:60],
            note=clean_text(table.value(row, "note"))[:200],
        )
        return True

    try:
        with transaction.atomic():
            for row in table.rows:
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
                    report.unchanged += 1
            if report.error_count or dry_run:
                raise _Rollback
    except _Rollback:
        if report.error_count:
            report.reject()
    report.imported = report.ok and not dry_run
    return report


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
