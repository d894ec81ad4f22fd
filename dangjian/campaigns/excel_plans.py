"""Campaign work plans and research projects (调研课题) in Excel: templates, imports, exports.

A bureau writes a campaign's work plan (实施方案) as a table of tasks with counts and deadlines
(专题学习 3次 by June), and keeps its research projects as a list with the leading cadre, the
team, the dates and the reports written: those are the sheets here. Both go through the shared
all-or-nothing import (``core.ledger_import``) and the ledgers' own ``do_*`` actions, so the
checks and the audit are the web form's. A row naming a plan item (campaign and 计划事项) or a
project (organization and 课题) already in the ledger changes it, so an export re-imports as it
was; the export has the template's columns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError

from dangjian.activities.forms import member_choices
from dangjian.activities.models import ActivityType
from dangjian.campaigns import actions
from dangjian.campaigns.choices import OutputKind, ProjectStatus
from dangjian.campaigns.excel import org_names
from dangjian.campaigns.models import Campaign, PlanItem, ResearchProject
from dangjian.core import ledger_import as sheet
from dangjian.core.cells import choice_map, parse_name
from dangjian.core.import_report import ImportReport
from dangjian.core.ledger_xlsx import TemplateSpec, export_workbook, template_workbook
from dangjian.core.scope import restrict
from dangjian.core.sheets import Column, Row, Table

STEPS = "1. 每行一条，从第2行开始填写；第2行是示例（以“（示例）”开头），导入时跳过，也可删除。"
ALL_OR_NOTHING = (
    "导入前逐行检查，有任何一处问题，整个文件都不导入，并按“第几行、哪一列”列出问题；可先勾选“试导入”。"
)

# ---- campaign work plans -------------------------------------------------------------------------

PLAN_COLUMNS: tuple[Column, ...] = (
    Column("campaign", "专题活动", ("专题活动名称", "活动名称"), required=True, width=24),
    Column("title", "计划事项", ("工作任务", "任务", "事项"), required=True, width=36),
    Column("activity_type", "活动类型", ("类型",), width=14, hint="按此类型统计已开展次数"),
    Column("target_count", "计划次数", ("次数",), width=10),
    Column("due_by", "完成时限", ("时限", "完成时间"), width=12),
)
PLAN_HEADERS = [c.header for c in PLAN_COLUMNS]
PLAN_SHEET = sheet.LedgerSheet(
    PLAN_COLUMNS, unit="项", anchor="title", named=("专题活动", "计划事项"), existing="updated"
)


def writable_campaigns(orgs: Iterable[Any]) -> list[Campaign]:
    """The campaigns run by ``orgs`` (those the user may write to): the ones whose plan they keep."""
    return list(Campaign.objects.filter(organization__in=list(orgs)).select_related("organization"))


def plan_template(campaigns: Sequence[Campaign]) -> bytes:
    names = list(dict.fromkeys(c.name for c in campaigns))[:500]
    active = ActivityType.objects.filter(active=True).order_by("order", "id")
    types = list(active.values_list("name", flat=True))
    study = active.filter(code="study_session").values_list("name", flat=True).first()
    return template_workbook(
        TemplateSpec(
            title="专题活动计划",
            columns=PLAN_COLUMNS,
            choices={"campaign": names, "activity_type": types},
            example={
                "campaign": names[0] if names else "学习贯彻主题教育",
                "title": sheet.EXAMPLE_MARK + "开展专题学习研讨",
                "activity_type": study or (types[0] if types else ""),
                "target_count": 3,
                "due_by": "2026-06-30",
            },
            notes=(
                "专题活动计划导入模板 · 填写说明",
                STEPS,
                "2. 深色表头为必填列；“专题活动”“活动类型”请从下拉列表中选择（专题活动须先在系统中建立）。",
                "3. 选了活动类型的，系统按该类型统计已开展次数并与计划次数对照；不选则只作记录。计划次数不填按1次。",
                "4. 专题活动、计划事项与已有计划相同的行，视为修改该计划；重复导入不会重复添加。",
                "5. " + ALL_OR_NOTHING,
            ),
            date_keys=("due_by",),
        )
    )


def import_plan(
    data: bytes, *, filename: str, campaigns: Sequence[Campaign], user: Any, dry_run: bool = False
) -> ImportReport:
    """Import the sheet's rows as plan items of ``campaigns`` (those the user may change), all or nothing."""
    by_name: dict[str, list[Campaign]] = {}
    for c in campaigns:
        by_name.setdefault(c.name, []).append(c)
    types = {t.name: t for t in ActivityType.objects.filter(active=True)}

    def handle(table: Table, row: Row) -> bool:
        name = sheet.text(table, row, "campaign", "专题活动", required=True)
        found = by_name.get(name, [])
        if not found:
            raise ValidationError({"campaign": f"“{name}”不是您可以修改计划的专题活动。"})
        if len(found) > 1:
            raise ValidationError({"campaign": f"有{len(found)}个专题活动名为“{name}”，请在系统中逐条登记。"})
        campaign = found[0]
        title = sheet.text(table, row, "title", "计划事项", required=True)[:200]
        type_name = sheet.text(table, row, "activity_type")
        activity_type = types.get(type_name) if type_name else None
        if type_name and activity_type is None:
            raise ValidationError({"activity_type": f"“{type_name}”不是启用的活动类型，请从下拉列表中选择。"})
        count = sheet.number(table, row, "target_count", integer=True)
        if count is not None and not 1 <= count <= 999:
            raise ValidationError({"target_count": "计划次数应在1到999之间。"})
        existing = PlanItem.objects.filter(campaign=campaign, title=title).first()
        actions.do_save_plan_item(
            existing,
            campaign=campaign,
            title=title,
            activity_type=activity_type,
            target_count=count or 1,
            due_by=sheet.day(table, row, "due_by", "完成时限"),
            acting_user=user,
            via="import",
        )
        return existing is None

    return PLAN_SHEET.run(data, handle, filename=filename, dry_run=dry_run)


def export_plan(items: Any) -> bytes:
    rows = (
        [
            i.campaign.name,
            i.title,
            i.activity_type.name if i.activity_type_id else "",
            i.target_count,
            i.due_by,
        ]
        for i in items.select_related("campaign", "activity_type")
    )
    return export_workbook("专题活动计划", PLAN_HEADERS, rows, [c.width + 2 for c in PLAN_COLUMNS])


# ---- research projects ---------------------------------------------------------------------------

PROJECT_COLUMNS: tuple[Column, ...] = (
    Column("organization", "组织", ("承担单位", "党组织", "牵头单位"), required=True, width=18),
    Column("title", "课题", ("课题名称", "调研课题", "调研题目"), required=True, width=32),
    Column("leader", "牵头领导", ("牵头人", "负责领导", "课题负责人"), required=True, width=12),
    Column("team", "课题组成员", ("成员", "参与人员"), width=24, hint="多人用顿号分隔"),
    Column("started_on", "立项日期", ("开始日期", "立项时间"), required=True, width=12),
    Column("finished_on", "结题日期", ("完成日期", "结题时间"), width=12),
    Column("status", "状态", ("进展情况",), width=10),
    Column("campaign", "所属专题活动", ("专题活动",), width=20),
    Column("outputs", "调研成果", ("成果", "成果名称"), width=40, hint="每行一项，可写成“政策建议：标题”"),
)
PROJECT_HEADERS = [c.header for c in PROJECT_COLUMNS]
PROJECT_SHEET = sheet.LedgerSheet(
    PROJECT_COLUMNS, unit="项", anchor="title", named=("组织", "课题", "牵头领导"), existing="updated"
)
PROJECT_STATUSES = choice_map(ProjectStatus, {"结题": ProjectStatus.FINISHED, "在研": ProjectStatus.ONGOING})
OUTPUT_KINDS = {str(label): value for value, label in OutputKind.choices}
# Names are split on list punctuation and line breaks, not spaces: a padded "张  三" is one person.
_SEPARATORS = re.compile(r"[、，,；;/\n]+")


def _outputs(raw: str) -> list[tuple[str, str]]:
    """ "调研报告：标题" lines as (kind, title); a line without a known kind is a 调研报告."""
    found = []
    for line in raw.splitlines():
        line = line.strip()
        if not line:
            continue
        kind_label, sep, rest = line.replace(":", "：").partition("：")
        if sep and kind_label.strip() in OUTPUT_KINDS and rest.strip():
            found.append((OUTPUT_KINDS[kind_label.strip()], rest.strip()[:200]))
        else:
            found.append((OutputKind.REPORT.value, line[:200]))
    return found


def project_template(orgs: Sequence[str], campaigns: Sequence[str]) -> bytes:
    return template_workbook(
        TemplateSpec(
            title="调研课题",
            columns=PROJECT_COLUMNS,
            choices={
                "organization": list(orgs) or ["（无可登记的党组织）"],
                "status": [str(label) for _v, label in ProjectStatus.choices],
                "campaign": list(campaigns),
            },
            example={
                "organization": orgs[0] if orgs else "第一党支部",
                "title": sheet.EXAMPLE_MARK + "优化营商环境专题调研",
                "leader": "张三",
                "team": "李四、王五",
                "started_on": "2026-03-01",
                "finished_on": "2026-09-30",
                "status": ProjectStatus.FINISHED.label,
                "outputs": "调研报告：关于优化营商环境的调研报告\n政策建议：简化企业开办流程的建议",
            },
            notes=(
                "调研课题导入模板 · 填写说明",
                STEPS,
                "2. 深色表头为必填列；“组织”“状态”“所属专题活动”请从下拉列表中选择。",
                "3. 牵头领导、课题组成员填写花名册中的姓名，多名成员用顿号分隔；同名时写成“张三（所在党组织）”。",
                "4. 状态为“已结题”的须填写结题日期。",
                "5. 调研成果每行一项（单元格内换行：Alt+Enter），可写成“政策建议：标题”；"
                "类别可为"
                + "、".join(OUTPUT_KINDS)
                + "，不写类别按调研报告登记，形成日期取结题日期（未结题取立项日期）。",
                "6. 组织、课题与已登记课题相同的行，视为修改该课题，并补登表中新增的成果（已登记的成果不会删除）。",
                "7. " + ALL_OR_NOTHING,
            ),
            date_keys=("started_on", "finished_on"),
        )
    )


def import_projects(
    data: bytes, *, filename: str, orgs: Iterable[Any], user: Any, dry_run: bool = False
) -> ImportReport:
    """Import the sheet's rows as research projects of ``orgs`` (those the user may write), all or nothing."""
    by_name = org_names(orgs)
    members = member_choices(user)
    campaigns = {c.name: c for c in restrict(Campaign.objects.select_related("organization"), user)}

    def handle(table: Table, row: Row) -> bool:
        org = sheet.organization(sheet.text(table, row, "organization"), by_name, "organization", "组织")
        title = sheet.text(table, row, "title", "课题", required=True)[:200]
        leader_text = sheet.text(table, row, "leader", "牵头领导", required=True)
        leader = sheet.member(leader_text, members, "leader")
        team = [
            sheet.member(name, members, "team", within=org)
            for name in dict.fromkeys(
                parse_name(n) for n in _SEPARATORS.split(str(table.value(row, "team") or ""))
            )
            if name
        ]
        started_on = sheet.day(table, row, "started_on", "立项日期", required=True)
        finished_on = sheet.day(table, row, "finished_on", "结题日期")
        status = sheet.choice(table, row, "status", "状态", PROJECT_STATUSES, ProjectStatus)
        campaign = None
        campaign_name = sheet.text(table, row, "campaign")
        if campaign_name:
            campaign = campaigns.get(campaign_name)
            if campaign is None:
                raise ValidationError({"campaign": f"没有名为“{campaign_name}”的专题活动。"})
        existing = ResearchProject.objects.filter(organization=org, title=title).first()
        project = actions.do_save_project(
            existing,
            acting_user=user,
            via="import",
            team=team,
            organization=org,
            campaign=campaign,
            title=title,
            leader=leader,
            started_on=started_on,
            finished_on=finished_on,
            status=status or ProjectStatus.ONGOING,
        )
        have = set(project.outputs.values_list("title", flat=True))
        for kind, output_title in _outputs(str(table.value(row, "outputs") or "")):
            if output_title in have:
                continue
            have.add(output_title)
            try:
                actions.do_add_output(
                    project,
                    kind=kind,
                    title=output_title,
                    issued_on=finished_on or started_on,
                    acting_user=user,
                    via="import",
                )
            except ValidationError as exc:
                raise ValidationError(
                    {"outputs": [f"成果“{output_title}”：{m}" for m in exc.messages]}
                ) from None
        return existing is None

    return PROJECT_SHEET.run(data, handle, filename=filename, dry_run=dry_run)


def export_projects(projects: Any) -> bytes:
    qs = projects.select_related("organization", "leader", "campaign").prefetch_related("team", "outputs")
    rows = (
        [
            p.organization.name,
            p.title,
            p.leader.name,
            "、".join(m.name for m in p.team.all()),
            p.started_on,
            p.finished_on,
            p.get_status_display(),
            p.campaign.name if p.campaign_id else "",
            "\n".join(f"{o.get_kind_display()}：{o.title}" for o in p.outputs.all()),
        ]
        for p in qs
    )
    return export_workbook("调研课题", PROJECT_HEADERS, rows, [c.width + 2 for c in PROJECT_COLUMNS])
