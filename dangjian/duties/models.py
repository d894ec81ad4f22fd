"""The responsibility system: three-level lists, leaders' liaison with branches, letters and pledges,
and the year's key tasks and business results (entered, not computed)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from dangjian.core.models import AuditedModel
from dangjian.core.period import PERIOD_KINDS, Period
from dangjian.duties.choices import DutyKind, ItemStatus, KeyTaskKind, LetterKind
from dangjian.members.models import Member
from dangjian.orgs.models import Organization


class ResponsibilityItem(AuditedModel):
    """One task on an organization's responsibility list for a year (三级责任清单).

    The list's level follows the organization's kind: the 党组's, the 机关党委's, a branch's.
    """

    organization = models.ForeignKey(
        Organization, verbose_name="责任主体", on_delete=models.PROTECT, related_name="responsibility_items"
    )
    year = models.PositiveSmallIntegerField("年度")
    duty_kind = models.CharField("责任类别", max_length=20, choices=DutyKind.choices, default=DutyKind.MAIN)
    task = models.CharField("任务", max_length=300)
    responsible = models.ForeignKey(
        Member, verbose_name="责任人", on_delete=models.PROTECT, related_name="responsibility_items"
    )
    deadline = models.DateField("完成时限", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=ItemStatus.choices, default=ItemStatus.PLANNED)
    done_on = models.DateField("完成日期", null=True, blank=True)
    evidence = models.TextField("完成情况及佐证", blank=True)
    # Sent back by the one who oversees the list: reports and warnings name reopened items.
    reopened_count = models.PositiveSmallIntegerField("退回次数", default=0, editable=False)
    evidence_activity = models.ForeignKey(
        "activities.Activity",
        verbose_name="佐证活动",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope_org = "organization"
    scope_self = "responsible_id"

    class Meta:
        ordering = ["-year", "organization__path", "deadline", "id"]
        indexes = [models.Index(fields=["organization", "year"]), models.Index(fields=["status", "deadline"])]
        verbose_name = verbose_name_plural = "责任清单事项"

    def __str__(self) -> str:
        return f"{self.organization.name}{self.year}年：{self.task}"

    def get_absolute_url(self) -> str:
        return reverse("duties:item", args=[self.pk])

    def clean(self) -> None:
        if self.deadline and self.year and self.deadline.year not in (self.year, self.year + 1):
            raise ValidationError({"deadline": f"完成时限应在{self.year}年内（最迟次年）。"})
        if self.status == ItemStatus.DONE:
            errors = {}
            if not self.done_on:
                errors["done_on"] = "已完成的事项须填写完成日期。"
            if not (self.evidence or "").strip() and not self.evidence_activity_id:
                errors["evidence"] = "已完成的事项须填写完成情况或关联佐证活动。"
            if errors:
                raise ValidationError(errors)


class Liaison(AuditedModel):
    """A leadership member's liaison with a branch (挂点联系): who, which branch, since when.

    Visits are activities of the type 挂点联系 held at the branch with the leader as host; they are
    linked by that, never copied.
    """

    leader = models.ForeignKey(
        Member, verbose_name="联系领导", on_delete=models.PROTECT, related_name="liaisons"
    )
    branch = models.ForeignKey(
        Organization, verbose_name="联系党支部", on_delete=models.PROTECT, related_name="liaisons"
    )
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)

    scope_org = "branch"
    scope_self = "leader_id"

    class Meta:
        ordering = ["branch__path", "-started_on"]
        verbose_name = verbose_name_plural = "挂点联系"

    def __str__(self) -> str:
        return f"{self.leader.name}联系{self.branch.name}"

    def get_absolute_url(self) -> str:
        return reverse("duties:liaisons") + f"#liaison-{self.pk}"

    def clean(self) -> None:
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": "结束日期不能早于开始日期。"})


class Letter(AuditedModel):
    """A responsibility letter or pledge (责任书/承诺书): who signed which, with whom, when."""

    kind = models.CharField("类别", max_length=20, choices=LetterKind.choices)
    title = models.CharField("名称", max_length=100)
    year = models.PositiveSmallIntegerField("年度")
    signer = models.ForeignKey(
        Member, verbose_name="签订人", on_delete=models.PROTECT, related_name="letters"
    )
    counterpart = models.ForeignKey(
        Member,
        verbose_name="签订对象",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters_received",
    )
    counterpart_org = models.ForeignKey(
        Organization,
        verbose_name="签订对象（组织）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_on = models.DateField("签订日期")
    document = models.FileField("扫描件", upload_to="duties/letters/%Y/", blank=True)

    scope_org = "signer__organization"
    scope_self = "signer_id"

    class Meta:
        ordering = ["-year", "-signed_on", "id"]
        indexes = [models.Index(fields=["year", "kind"])]
        verbose_name = verbose_name_plural = "责任书承诺书"

    def __str__(self) -> str:
        return f"{self.signer.name}{self.year}年{self.title}"

    def get_absolute_url(self) -> str:
        return reverse("duties:letters") + f"?year={self.year}#letter-{self.pk}"

    def clean(self) -> None:
        if not self.counterpart_id and not self.counterpart_org_id:
            raise ValidationError({"counterpart": "请填写签订对象（个人或组织）。"})
        if self.signed_on and self.year and self.signed_on.year not in (self.year - 1, self.year):
            raise ValidationError(
                {"signed_on": f"{self.year}年度的责任书应在{self.year}年（或上年末）签订。"}
            )


class KeyTask(AuditedModel):
    """One of the year's key tasks where party building met the business (中心工作)."""

    organization = models.ForeignKey(
        Organization, verbose_name="组织", on_delete=models.PROTECT, related_name="key_tasks"
    )
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("类别", max_length=20, choices=KeyTaskKind.choices)
    name = models.CharField("名称", max_length=100)
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    lead = models.ForeignKey(
        Member, verbose_name="牵头领导", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    people = models.PositiveIntegerField("参与人数（人）", default=0)
    person_days = models.PositiveIntegerField("投入人天（人·天）", default=0)
    amount = models.DecimalField("涉及资金（万元）", max_digits=14, decimal_places=2, null=True, blank=True)
    description = models.TextField("工作内容及成效", blank=True)

    scope_org = "organization"

    class Meta:
        ordering = ["-year", "started_on", "id"]
        verbose_name = verbose_name_plural = "中心工作"

    def __str__(self) -> str:
        return f"{self.year}年{self.name}"

    def get_absolute_url(self) -> str:
        return reverse("duties:key-tasks") + f"?year={self.year}#task-{self.pk}"

    def clean(self) -> None:
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": "结束日期不能早于开始日期。"})
        if self.amount is not None and self.amount < Decimal("0"):
            raise ValidationError({"amount": "资金不能为负数。"})


class BusinessResult(AuditedModel):
    """A business result an officer enters from a source document (业绩): a report marks it as entered."""

    organization = models.ForeignKey(
        Organization, verbose_name="组织", on_delete=models.PROTECT, related_name="business_results"
    )
    name = models.CharField("指标", max_length=100)
    value = models.DecimalField("数值", max_digits=16, decimal_places=2)
    unit = models.CharField("单位", max_length=20)
    period_kind = models.CharField("期间类型", max_length=10, choices=PERIOD_KINDS)
    period_start = models.DateField("期间起")
    period_end = models.DateField("期间止")
    source_document = models.CharField("来源文件", max_length=200)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.CharField("说明", max_length=200, blank=True)

    scope_org = "organization"

    class Meta:
        ordering = ["-period_end", "name"]
        verbose_name = verbose_name_plural = "业务成果"

    def __str__(self) -> str:
        return f"{self.period.label}{self.name}{self.value}{self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("duties:results") + f"#result-{self.pk}"

    @property
    def period(self) -> Period:
        return Period.of(self.period_kind, self.period_start, self.period_end)

    @period.setter
    def period(self, value: Period) -> None:
        self.period_kind, self.period_start, self.period_end = value.kind, value.start, value.end

    def clean(self) -> None:
        if not (self.source_document or "").strip():
            raise ValidationError({"source_document": "业务成果须注明来源文件（报告中将注明录入来源）。"})
