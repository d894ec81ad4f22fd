"""The rectification ledger (整改台账): findings from any source → measures → closed with evidence,
and the inspections (巡察、审计、专项资金检查) that produce findings."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from dangjian.activities.models import Activity
from dangjian.campaigns.models import Campaign
from dangjian.core.models import AuditedModel, Role
from dangjian.members.models import Member
from dangjian.orgs.models import Organization
from dangjian.rectification.choices import (
    MEETING_SOURCES,
    SOURCE_OF_INSPECTION,
    FindingSource,
    FindingStatus,
    InspectionKind,
)


class Inspection(AuditedModel):
    """An inspection, audit or special-fund check of an organization, whose findings feed the ledger."""

    organization = models.ForeignKey(
        Organization, verbose_name="被检查组织", on_delete=models.PROTECT, related_name="inspections"
    )
    kind = models.CharField("类别", max_length=20, choices=InspectionKind.choices)
    title = models.CharField("名称", max_length=200)
    conducted_by = models.CharField("实施单位", max_length=100)
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    report_number = models.CharField("报告文号", max_length=60, blank=True)
    amount_checked = models.DecimalField(
        "检查资金（万元）", max_digits=14, decimal_places=2, null=True, blank=True
    )

    scope_org = "organization"

    class Meta:
        ordering = ["-started_on", "id"]
        verbose_name = verbose_name_plural = "巡察审计检查"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("rectification:inspection", args=[self.pk])

    def clean(self) -> None:
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": "结束日期不能早于开始日期。"})


class FindingQuerySet(models.QuerySet["Finding"]):
    def open(self) -> FindingQuerySet:
        return self.filter(status=FindingStatus.OPEN)

    def closed(self) -> FindingQuerySet:
        return self.filter(status=FindingStatus.CLOSED)

    def overdue(self, on: datetime.date) -> FindingQuerySet:
        """Still being rectified after the deadline has passed."""
        return self.filter(status=FindingStatus.OPEN, deadline__lt=on)

    def found_within(self, start: datetime.date, end: datetime.date) -> FindingQuerySet:
        return self.filter(found_on__gte=start, found_on__lte=end)


class Finding(AuditedModel):
    """A problem found (by an inspection, a meeting, a campaign or self-inspection) and its rectification.

    Closed (销号) only with evidence and the person who verified it; a reopened finding keeps its
    history in the audit log and counts its reopenings.
    """

    organization = models.ForeignKey(
        Organization, verbose_name="整改主体", on_delete=models.PROTECT, related_name="findings"
    )
    source = models.CharField("问题来源", max_length=20, choices=FindingSource.choices)
    found_on = models.DateField("发现日期")
    description = models.TextField("问题描述")
    meeting = models.ForeignKey(
        Activity,
        verbose_name="查摆会议",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
    )
    inspection = models.ForeignKey(
        Inspection,
        verbose_name="来源检查",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name="专项整治",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="findings",
    )
    responsible = models.ForeignKey(
        Member, verbose_name="责任人", on_delete=models.PROTECT, related_name="findings"
    )
    deadline = models.DateField("整改时限")
    status = models.CharField(
        "状态", max_length=20, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    closed_on = models.DateField("销号日期", null=True, blank=True)
    closing_evidence = models.TextField("整改成效及佐证", blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="验收人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reopen_count = models.PositiveSmallIntegerField("重新整改次数", default=0, editable=False)
    reopened_on = models.DateField("最近重新整改日期", null=True, blank=True, editable=False)
    reopen_reason = models.CharField("重新整改原因", max_length=300, blank=True, editable=False)

    objects = FindingQuerySet.as_manager()

    scope_org = "organization"
    scope_self = "responsible_id"

    class Meta:
        ordering = ["status", "deadline", "id"]
        indexes = [models.Index(fields=["status", "deadline"]), models.Index(fields=["source", "found_on"])]
        verbose_name = verbose_name_plural = "整改问题"

    def __str__(self) -> str:
        text = self.description.strip().replace("\n", " ")
        return text[:40] + ("…" if len(text) > 40 else "")

    def get_absolute_url(self) -> str:
        return reverse("rectification:finding", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.deadline and self.found_on and self.deadline < self.found_on:
            errors["deadline"] = "整改时限不能早于发现日期。"
        if self.meeting_id:
            wanted = MEETING_SOURCES.get(self.source)
            if wanted is None or self.meeting.activity_type.code != wanted:
                errors["meeting"] = "关联的会议应是与问题来源一致的民主生活会或组织生活会。"
        if self.inspection_id and SOURCE_OF_INSPECTION.get(self.inspection.kind) != self.source:
            errors["inspection"] = f"来源检查是“{self.inspection.get_kind_display()}”，与问题来源不一致。"
        if self.status == FindingStatus.CLOSED:
            if not self.closed_on:
                errors["closed_on"] = "销号须填写销号日期。"
            elif self.found_on and self.closed_on < self.found_on:
                errors["closed_on"] = "销号日期不能早于发现日期。"
            if not (self.closing_evidence or "").strip():
                errors["closing_evidence"] = "销号须填写整改成效及佐证。"
            if not self.verified_by_id:
                errors["verified_by"] = "销号须由验收人确认。"
            elif self.responsible_id and _member_of_user(self.verified_by_id) == self.responsible_id:
                errors["verified_by"] = "验收人不能是该问题的整改责任人本人。"
        if errors:
            raise ValidationError(errors)

    @property
    def verifier_name(self) -> str:
        """The verifier as people know them: their roster name, else the account's name."""
        user = self.verified_by
        if user is None:
            return ""
        role = Role.objects.filter(user=user).select_related("member").first()
        if role is not None and role.member_id:
            return role.member.name
        return user.get_full_name() or user.get_username()

    def is_overdue(self, on: datetime.date) -> bool:
        return self.status == FindingStatus.OPEN and self.deadline < on


def _member_of_user(user_id: int) -> int | None:
    """The member record of a user's account (None when the account is no member's)."""
    return Role.objects.filter(user_id=user_id).values_list("member_id", flat=True).first()


class Measure(AuditedModel):
    """One measure taken against a finding (整改措施), with its own person and deadline."""

    finding = models.ForeignKey(
        Finding, verbose_name="问题", on_delete=models.CASCADE, related_name="measures"
    )
    text = models.CharField("整改措施", max_length=300)
    responsible = models.ForeignKey(
        Member, verbose_name="责任人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField("时限", null=True, blank=True)
    done_on = models.DateField("完成日期", null=True, blank=True)

    scope_org = "finding__organization"

    class Meta:
        ordering = ["finding", "deadline", "id"]
        verbose_name = verbose_name_plural = "整改措施"

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        if self.done_on and self.finding_id and self.done_on < self.finding.found_on:
            raise ValidationError({"done_on": "完成日期不能早于问题发现日期。"})
