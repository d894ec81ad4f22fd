"""Campaigns (主题教育, 党史学习教育, special rectification), service to the public (我为群众办实事)
and research projects (调研课题). Activities belong to a campaign through a link, never copied."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from dangjian.activities.models import Activity
from dangjian.campaigns.choices import (
    BeneficiaryUnit,
    CampaignKind,
    OutputKind,
    PledgeCategory,
    PledgeSource,
    PledgeStatus,
    ProjectStatus,
    TeamKind,
)
from dangjian.core.models import AuditedModel
from dangjian.members.models import Member
from dangjian.orgs.models import Organization


class Campaign(AuditedModel):
    """A named campaign with its goal formula, period, mobilisation meeting and work plan."""

    organization = models.ForeignKey(
        Organization, verbose_name="组织实施", on_delete=models.PROTECT, related_name="campaigns"
    )
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类别", max_length=20, choices=CampaignKind.choices)
    goal_formula = models.CharField(
        "目标要求", max_length=200, blank=True, help_text="如：学史明理、学史增信、学史崇德、学史力行"
    )
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    mobilization = models.ForeignKey(
        Activity,
        verbose_name="动员部署会",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    plan_title = models.CharField("实施方案", max_length=200, blank=True)
    plan_adopted_on = models.DateField("方案印发日期", null=True, blank=True)
    plan_document = models.FileField("方案文件", upload_to="campaigns/plans/%Y/", blank=True)
    activities = models.ManyToManyField(
        Activity, verbose_name="相关活动", blank=True, related_name="campaigns"
    )

    class Meta:
        ordering = ["-started_on", "id"]
        verbose_name = verbose_name_plural = "专题活动"

    @classmethod
    def scope_q(cls, scope: Any) -> Q:
        """A campaign is run by an organization for its whole subtree: an officer sees the
        campaigns of their subtree and those of the organizations above them (the 机关党委's
        主题教育 their branch takes part in); a member sees those of their own branch and above."""
        from dangjian.core.scope import Reach

        if scope.reach == Reach.ALL:
            return Q()
        path = scope.org_path if scope.reach == Reach.SUBTREE else None
        if scope.reach == Reach.SELF and scope.member_id:
            path = (
                Member.objects.filter(pk=scope.member_id).values_list("organization__path", flat=True).first()
            )
        if not path:
            return Q(pk__in=[])
        parts = [p for p in path.strip("/").split("/") if p]
        above = ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts))]
        if scope.reach == Reach.SELF:
            return Q(organization__path__in=[*above, path])
        return Q(organization__path__startswith=path) | Q(organization__path__in=above)

    def covers(self, org: Organization) -> bool:
        """Whether ``org``'s activities may count towards this campaign (it lies in its subtree)."""
        return bool(org.path) and org.path.startswith(self.organization.path)

    def span_end(self, on: datetime.date) -> datetime.date:
        """The campaign's last day, or ``on`` while it is still running without an end date."""
        return self.ended_on or on

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("campaigns:detail", args=[self.pk])

    def clean(self) -> None:
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": "结束日期不能早于开始日期。"})
        if self.plan_adopted_on and self.started_on and self.plan_adopted_on.year < self.started_on.year - 1:
            raise ValidationError({"plan_adopted_on": "方案印发日期与活动开始日期相差过远，请核对。"})


class TeamMember(AuditedModel):
    """A member of a campaign's leading group or working team, with their role (组长, 成员 …)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="专题活动", on_delete=models.CASCADE, related_name="team"
    )
    team = models.CharField("机构", max_length=20, choices=TeamKind.choices)
    member = models.ForeignKey(Member, verbose_name="成员", on_delete=models.PROTECT, related_name="+")
    role = models.CharField("职务", max_length=20, default="成员")

    scope_org = "campaign__organization"
    scope_self = "member_id"

    class Meta:
        ordering = ["campaign", "team", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "team", "member"], name="campaign_team_member_once")
        ]
        verbose_name = verbose_name_plural = "专题活动机构成员"

    def __str__(self) -> str:
        return f"{self.campaign.name}{self.get_team_display()}{self.role}{self.member.name}"


class PlanItem(AuditedModel):
    """One thing a campaign's plan says will be done (e.g. 3 专题学习 by June), to judge it against."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="专题活动", on_delete=models.CASCADE, related_name="plan_items"
    )
    title = models.CharField("计划事项", max_length=200)
    activity_type = models.ForeignKey(
        "activities.ActivityType", verbose_name="活动类型", null=True, blank=True, on_delete=models.PROTECT
    )
    target_count = models.PositiveSmallIntegerField("计划次数", default=1)
    due_by = models.DateField("完成时限", null=True, blank=True)

    scope_org = "campaign__organization"

    class Meta:
        ordering = ["campaign", "due_by", "id"]
        verbose_name = verbose_name_plural = "专题活动计划事项"

    def __str__(self) -> str:
        return self.title


def open_q(day: datetime.date) -> Q:
    """Collected by ``day`` and not yet done on it (as a condition, for grouped counts)."""
    return Q(collected_on__lte=day) & (
        Q(status=PledgeStatus.OPEN) | Q(solved_on__gt=day) | Q(solved_on__isnull=True)
    )


def overdue_q(day: datetime.date) -> Q:
    """Still open on ``day`` with their deadline already passed (as a condition)."""
    return open_q(day) & Q(deadline__lt=day)


class PledgeQuerySet(models.QuerySet["ServicePledge"]):
    def open_on(self, day: datetime.date) -> PledgeQuerySet:
        """Collected by ``day`` and not yet done on it."""
        return self.filter(open_q(day))

    def overdue_on(self, day: datetime.date) -> PledgeQuerySet:
        """Still open on ``day`` with their deadline already passed."""
        return self.filter(overdue_q(day))


class ServicePledge(AuditedModel):
    """A practical matter done for the public (我为群众办实事): where it came from, who handles it."""

    organization = models.ForeignKey(
        Organization, verbose_name="承办组织", on_delete=models.PROTECT, related_name="service_pledges"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name="所属专题活动",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pledges",
    )
    title = models.CharField("事项", max_length=200)
    source = models.CharField("来源", max_length=20, choices=PledgeSource.choices)
    category = models.CharField("类别", max_length=20, choices=PledgeCategory.choices)
    collected_by = models.ForeignKey(
        Member, verbose_name="收集人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    collected_on = models.DateField("收集日期")
    handler = models.ForeignKey(
        Member, verbose_name="责任人", on_delete=models.PROTECT, related_name="service_pledges"
    )
    deadline = models.DateField("办理时限", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=PledgeStatus.choices, default=PledgeStatus.OPEN)
    solved_on = models.DateField("办结日期", null=True, blank=True)
    beneficiaries = models.PositiveIntegerField("受益数量", null=True, blank=True)
    beneficiary_unit = models.CharField(
        "受益单位", max_length=20, choices=BeneficiaryUnit.choices, default=BeneficiaryUnit.PEOPLE
    )
    amount = models.DecimalField("涉及资金（万元）", max_digits=14, decimal_places=2, null=True, blank=True)
    result = models.TextField("办理结果", blank=True)

    objects = PledgeQuerySet.as_manager()
    scope_org = "organization"
    scope_self = "handler_id"

    class Meta:
        ordering = ["-collected_on", "id"]
        indexes = [models.Index(fields=["status", "deadline"])]
        verbose_name = verbose_name_plural = "为民办实事"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns:pledge", args=[self.pk])

    def is_overdue(self, on: datetime.date) -> bool:
        return self.status == PledgeStatus.OPEN and self.deadline is not None and self.deadline < on

    def clean(self) -> None:
        errors = {}
        if self.deadline and self.collected_on and self.deadline < self.collected_on:
            errors["deadline"] = "办理时限不能早于收集日期。"
        if self.status != PledgeStatus.OPEN:
            if not self.solved_on:
                errors["solved_on"] = "已办结的事项须填写办结日期。"
            elif self.collected_on and self.solved_on < self.collected_on:
                errors["solved_on"] = "办结日期不能早于收集日期。"
            if not (self.result or "").strip():
                errors["result"] = "已办结的事项须填写办理结果。"
        if errors:
            raise ValidationError(errors)


class ResearchProject(AuditedModel):
    """A research project (调研课题) led by a leadership member, with its team and sessions."""

    organization = models.ForeignKey(
        Organization, verbose_name="组织", on_delete=models.PROTECT, related_name="research_projects"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name="所属专题活动",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    title = models.CharField("课题", max_length=200)
    leader = models.ForeignKey(Member, verbose_name="牵头领导", on_delete=models.PROTECT, related_name="+")
    team = models.ManyToManyField(Member, verbose_name="课题组成员", blank=True, related_name="+")
    started_on = models.DateField("立项日期")
    finished_on = models.DateField("结题日期", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.ONGOING
    )
    sessions = models.ManyToManyField(
        Activity, verbose_name="调研活动", blank=True, related_name="research_projects"
    )

    scope_org = "organization"
    scope_self = "leader_id"

    class Meta:
        ordering = ["-started_on", "id"]
        verbose_name = verbose_name_plural = "调研课题"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns:project", args=[self.pk])

    def clean(self) -> None:
        if self.status == ProjectStatus.FINISHED and not self.finished_on:
            raise ValidationError({"finished_on": "已结题的课题须填写结题日期。"})
        if self.finished_on and self.started_on and self.finished_on < self.started_on:
            raise ValidationError({"finished_on": "结题日期不能早于立项日期。"})


class ResearchOutput(AuditedModel):
    """A document a research project produced (调研报告, 政策建议 …)."""

    project = models.ForeignKey(
        ResearchProject, verbose_name="调研课题", on_delete=models.CASCADE, related_name="outputs"
    )
    kind = models.CharField("类别", max_length=20, choices=OutputKind.choices)
    title = models.CharField("标题", max_length=200)
    issued_on = models.DateField("形成日期")
    adopted = models.BooleanField("被采纳/批示", default=False)
    document = models.FileField("文件", upload_to="campaigns/research/%Y/", blank=True)

    scope_org = "project__organization"

    class Meta:
        ordering = ["project", "issued_on", "id"]
        verbose_name = verbose_name_plural = "调研成果"

    def __str__(self) -> str:
        return self.title
