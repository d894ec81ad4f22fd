"""Audited writes on campaigns, service pledges and research projects.

Each ``do_<verb>`` checks that the acting user may write the organization the record belongs
to (``check_write``), validates with the model's ``clean()`` before it writes, and runs in one
transaction under ``audit.acting`` so the field diff is logged against the user; links between
records (an activity joining a campaign, a session joining a project) are logged by name.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from dangjian.activities.models import Activity, ActivityType
from dangjian.campaigns.choices import PledgeStatus, TeamKind
from dangjian.campaigns.models import (
    Campaign,
    PlanItem,
    ResearchOutput,
    ResearchProject,
    ServicePledge,
    TeamMember,
)
from dangjian.core import audit
from dangjian.core.scope import check_write
from dangjian.core.uploads import human_size, sniff
from dangjian.members.models import Member
from dangjian.orgs.models import Organization

MOBILIZATION = "mobilization_meeting"
# A project's sessions are 调研 activities (site_visit is 红色教育现场教学, not research).
SESSION_TYPES = ("field_research",)
CAMPAIGN_FIELDS = (
    "organization",
    "name",
    "kind",
    "goal_formula",
    "started_on",
    "ended_on",
    "plan_title",
    "plan_adopted_on",
)
PLEDGE_FIELDS = (
    "organization",
    "campaign",
    "title",
    "source",
    "category",
    "collected_by",
    "collected_on",
    "handler",
    "deadline",
    "status",
    "solved_on",
    "beneficiaries",
    "beneficiary_unit",
    "amount",
    "result",
)
PROJECT_FIELDS = ("organization", "campaign", "title", "leader", "started_on", "finished_on", "status")
DOCUMENT_TYPES = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024


def _set(obj: Any, fields: dict[str, Any], allowed: tuple[str, ...], what: str) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"{what}() got unexpected fields {sorted(unknown)}")
    for name, value in fields.items():
        setattr(obj, name, value)


def _check_document(upload: UploadedFile, field: str) -> None:
    """A plan or output document: a PDF or .docx by its bytes, within the size limit."""
    name = (upload.name or "未命名文件").rsplit("/", 1)[-1]
    if not upload.size:
        raise ValidationError({field: f"文件“{name}”是空文件。"})
    if upload.size > DOCUMENT_MAX_BYTES:
        raise ValidationError(
            {
                field: f"文件“{name}”大小为{human_size(upload.size)}，超过上限{human_size(DOCUMENT_MAX_BYTES)}。"
            }
        )
    kind = sniff(upload.file)
    if kind not in DOCUMENT_TYPES:
        raise ValidationError({field: f"文件“{name}”不是PDF或Word文档（.docx），已拒收。"})
    upload.name = f"{uuid.uuid4().hex}{DOCUMENT_TYPES[kind]}"  # never trust the user's file name on disk


def _stored_org(obj: Any) -> Organization:
    """The organization a record belonged to when loaded (a bound form may already have changed it)."""
    loaded = getattr(obj, "_audit_loaded", None) or {}
    org_id = loaded.get("organization_id", obj.organization_id)
    return Organization.objects.get(pk=org_id)


def _member_in(member: Member | None, org: Organization, field: str, who: str) -> None:
    """People on a campaign's teams or a pledge come from the organization's subtree."""
    if member is not None and not member.organization.path.startswith(org.path):
        raise ValidationError({field: f"{who}“{member.name}”不是{org.name}及其下级组织的党员。"})


# ---- campaigns -----------------------------------------------------------------------------------


@transaction.atomic
def do_save_campaign(
    campaign: Campaign | None = None,
    *,
    acting_user: Any,
    mobilization: Activity | None = None,
    plan_document: UploadedFile | None = None,
    via: str = "web",
    **fields: Any,
) -> Campaign:
    """Create or change a campaign; its mobilisation meeting is a 动员部署会 of its subtree."""
    with audit.acting(acting_user, via):
        if campaign is not None:
            check_write(acting_user, _stored_org(campaign), "修改")
        campaign = campaign or Campaign()
        _set(campaign, fields, CAMPAIGN_FIELDS, "do_save_campaign")
        if not campaign.organization_id:
            raise ValidationError({"organization": "请选择组织实施的党组织。"})
        check_write(acting_user, campaign.organization, "组织")
        if mobilization is not None:
            if mobilization.activity_type.code != MOBILIZATION:
                raise ValidationError({"mobilization": "动员部署会须是“动员部署会”类型的活动。"})
            if not campaign.covers(mobilization.organization):
                raise ValidationError({"mobilization": "动员部署会须由本组织或其下级组织召开。"})
        campaign.mobilization = mobilization
        if plan_document is not None:
            _check_document(plan_document, "plan_document")
            campaign.plan_document = plan_document
        campaign.full_clean()
        campaign.save()
        if mobilization is not None:
            campaign.activities.add(mobilization)
    return campaign


@transaction.atomic
def do_add_team_member(
    campaign: Campaign, *, member: Member, team: str, role: str, acting_user: Any, via: str = "web"
) -> TeamMember:
    with audit.acting(acting_user, via):
        check_write(acting_user, campaign.organization, "调整")
        if team not in TeamKind.values:
            raise ValidationError({"team": "请选择领导小组或工作专班。"})
        _member_in(member, campaign.organization, "member", "成员")
        if campaign.team.filter(team=team, member=member).exists():
            raise ValidationError({"member": f"{member.name}已在{TeamKind(team).label}中。"})
        row = TeamMember(campaign=campaign, member=member, team=team, role=(role or "成员").strip()[:20])
        row.full_clean()
        row.save()
    return row


@transaction.atomic
def do_remove_team_member(row: TeamMember, *, acting_user: Any, via: str = "web") -> None:
    with audit.acting(acting_user, via):
        check_write(acting_user, row.campaign.organization, "调整")
        row.delete()


@transaction.atomic
def do_save_plan_item(
    item: PlanItem | None = None,
    *,
    campaign: Campaign,
    title: str,
    activity_type: ActivityType | None,
    target_count: int,
    due_by: Any = None,
    acting_user: Any,
    via: str = "web",
) -> PlanItem:
    """One thing the work plan says will be done, e.g. 专题学习 3 times by June."""
    with audit.acting(acting_user, via):
        check_write(acting_user, campaign.organization, "修改")
        item = item or PlanItem(campaign=campaign)
        if item.campaign_id != campaign.pk:
            raise ValidationError("计划事项不属于该专题活动。")
        item.title, item.activity_type, item.target_count, item.due_by = (
            title.strip(),
            activity_type,
            target_count,
            due_by,
        )
        if not item.title:
            raise ValidationError({"title": "请填写计划事项。"})
        if not target_count or target_count < 1:
            raise ValidationError({"target_count": "计划次数至少为1次。"})
        if due_by and due_by < campaign.started_on:
            raise ValidationError({"due_by": "完成时限早于专题活动开始日期。"})
        item.full_clean()
        item.save()
    return item


@transaction.atomic
def do_delete_plan_item(item: PlanItem, *, acting_user: Any, via: str = "web") -> None:
    with audit.acting(acting_user, via):
        check_write(acting_user, item.campaign.organization, "修改")
        item.delete()


@transaction.atomic
def do_link_activity(campaign: Campaign, activity: Activity, *, acting_user: Any, via: str = "web") -> None:
    """Count ``activity`` towards ``campaign``: whoever may write the activity's organization may
    say it belongs to a campaign run by that organization or one above it."""
    with audit.acting(acting_user, via):
        check_write(acting_user, activity.organization, "关联")
        if not campaign.covers(activity.organization):
            raise ValidationError(f"{activity.organization.name}不在“{campaign.name}”的组织范围内。")
        if campaign.activities.filter(pk=activity.pk).exists():
            raise ValidationError(f"该活动已计入“{campaign.name}”。")
        campaign.activities.add(activity)
        audit.record(campaign, "计入专题活动", {"activity": activity.pk, "topic": activity.topic})


@transaction.atomic
def do_unlink_activity(campaign: Campaign, activity: Activity, *, acting_user: Any, via: str = "web") -> None:
    with audit.acting(acting_user, via):
        check_write(acting_user, activity.organization, "调整")
        if campaign.mobilization_id == activity.pk:
            raise ValidationError("该活动是本专题活动的动员部署会，须先在专题活动中更换动员部署会。")
        campaign.activities.remove(activity)
        audit.record(campaign, "移出专题活动", {"activity": activity.pk, "topic": activity.topic})


# ---- service to the public ------------------------------------------------------------------------


@transaction.atomic
def do_save_pledge(
    pledge: ServicePledge | None = None, *, acting_user: Any, via: str = "web", **fields: Any
) -> ServicePledge:
    """Create or change a 为民办实事 item; closing one needs its date and result (model clean)."""
    with audit.acting(acting_user, via):
        if pledge is not None:
            check_write(acting_user, _stored_org(pledge), "修改")
        pledge = pledge or ServicePledge()
        before = (getattr(pledge, "_audit_loaded", None) or {}).get("status", "") if pledge.pk else ""
        _set(pledge, fields, PLEDGE_FIELDS, "do_save_pledge")
        if not pledge.organization_id:
            raise ValidationError({"organization": "请选择承办组织。"})
        check_write(acting_user, pledge.organization, "登记")
        if pledge.handler_id:
            _member_in(pledge.handler, pledge.organization, "handler", "责任人")
        if pledge.campaign_id and not pledge.campaign.covers(pledge.organization):
            raise ValidationError({"campaign": f"{pledge.organization.name}不在该专题活动的组织范围内。"})
        if pledge.status == PledgeStatus.OPEN:
            pledge.solved_on = None
        pledge.full_clean()
        pledge.save()
        if before and before != pledge.status:
            audit.record(pledge, "变更办理状态", {"from_status": before, "to_status": pledge.status})
    return pledge


# ---- research ---------------------------------------------------------------------------------------


@transaction.atomic
def do_save_project(
    project: ResearchProject | None = None,
    *,
    acting_user: Any,
    team: list[Member] | None = None,
    via: str = "web",
    **fields: Any,
) -> ResearchProject:
    with audit.acting(acting_user, via):
        if project is not None:
            check_write(acting_user, _stored_org(project), "修改")
        project = project or ResearchProject()
        _set(project, fields, PROJECT_FIELDS, "do_save_project")
        if not project.organization_id:
            raise ValidationError({"organization": "请选择组织。"})
        check_write(acting_user, project.organization, "登记")
        if project.campaign_id and not project.campaign.covers(project.organization):
            raise ValidationError({"campaign": f"{project.organization.name}不在该专题活动的组织范围内。"})
        project.full_clean()
        project.save()
        if team is not None:
            before = sorted(project.team.values_list("pk", flat=True))
            project.team.set(team)
            after = sorted(m.pk for m in team)
            if before != after:
                audit.record(project, "调整课题组成员", {"before": before, "after": after})
    return project


@transaction.atomic
def do_link_session(
    project: ResearchProject, activity: Activity, *, acting_user: Any, via: str = "web"
) -> None:
    """A 调研 session of the project is a 实地调研 activity of the project's organization or below."""
    with audit.acting(acting_user, via):
        check_write(acting_user, project.organization, "关联")
        if not activity.organization.path.startswith(project.organization.path):
            raise ValidationError(
                f"{activity.organization.name}不在{project.organization.name}的组织范围内。"
            )
        codes = {activity.activity_type.code, *activity.also_counts_as.values_list("code", flat=True)}
        if not codes & set(SESSION_TYPES):
            names = "、".join(
                ActivityType.objects.filter(code__in=SESSION_TYPES).values_list("name", flat=True)
            )
            raise ValidationError(f"调研活动须是（或同时计为）“{names}”类型的活动。")
        if project.sessions.filter(pk=activity.pk).exists():
            raise ValidationError("该活动已记为本课题的调研活动。")
        project.sessions.add(activity)
        audit.record(project, "记入调研活动", {"activity": activity.pk, "topic": activity.topic})


@transaction.atomic
def do_unlink_session(
    project: ResearchProject, activity: Activity, *, acting_user: Any, via: str = "web"
) -> None:
    with audit.acting(acting_user, via):
        check_write(acting_user, project.organization, "调整")
        project.sessions.remove(activity)
        audit.record(project, "移出调研活动", {"activity": activity.pk, "topic": activity.topic})


@transaction.atomic
def do_add_output(
    project: ResearchProject,
    *,
    kind: str,
    title: str,
    issued_on: Any,
    adopted: bool = False,
    document: UploadedFile | None = None,
    acting_user: Any,
    via: str = "web",
) -> ResearchOutput:
    with audit.acting(acting_user, via):
        check_write(acting_user, project.organization, "登记")
        output = ResearchOutput(
            project=project, kind=kind, title=title.strip(), issued_on=issued_on, adopted=adopted
        )
        if issued_on and issued_on < project.started_on:
            raise ValidationError({"issued_on": "成果形成日期早于课题立项日期。"})
        if document is not None:
            _check_document(document, "document")
            output.document = document
        output.full_clean()
        output.save()
    return output


@transaction.atomic
def do_delete_output(output: ResearchOutput, *, acting_user: Any, via: str = "web") -> None:
    with audit.acting(acting_user, via):
        check_write(acting_user, output.project.organization, "删除")
        output.delete()
