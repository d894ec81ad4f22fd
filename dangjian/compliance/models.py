"""Compliance rules as data (from ../shared/RULES.md), each with its source article."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from dangjian.compliance.choices import Frequency, RuleKind, SourceStatus
from dangjian.core.models import AuditedModel
from dangjian.orgs.choices import OrgKind


class RuleQuerySet(models.QuerySet["Rule"]):
    def active(self) -> RuleQuerySet:
        return self.filter(active=True)

    def valid_during(self, start: datetime.date, end: datetime.date) -> RuleQuerySet:
        """Rows valid on at least one day of [start, end]."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=start)
        )


class Rule(AuditedModel):
    """One requirement (e.g. 支委会 once a month) with the organizations it binds and its source.

    A rule whose value changed on a date is two rows with the same code: the old one valid up
    to the day before, the new one from that day (valid_to is inclusive).
    """

    code = models.SlugField("代码", max_length=40)
    name = models.CharField("名称", max_length=40)
    kind = models.CharField("规则类别", max_length=20, choices=RuleKind.choices, default=RuleKind.COUNT)
    activity_type_code = models.CharField("活动类型代码", max_length=40, blank=True)
    org_kinds = models.JSONField("适用组织类别", default=list)
    frequency = models.CharField("频次", max_length=10, choices=Frequency.choices, default=Frequency.MONTH)
    minimum = models.PositiveSmallIntegerField("最少次数", default=1)
    needs_committee = models.BooleanField("仅限设支委会的组织", default=False)
    source = models.CharField("依据", max_length=120)
    source_status = models.CharField("依据状态", max_length=2, choices=SourceStatus.choices)
    requirement = models.CharField("要求", max_length=120)
    valid_from = models.DateField("生效日期", null=True, blank=True)
    valid_to = models.DateField("失效日期（含当日）", null=True, blank=True)
    due_soon_days = models.PositiveSmallIntegerField("临期提醒天数", default=10)
    order = models.PositiveSmallIntegerField("排序", default=100)
    active = models.BooleanField("启用", default=True)

    objects = RuleQuerySet.as_manager()

    # Rules are reference data every role may read.
    @classmethod
    def scope_q(cls, scope: object) -> Q:
        return Q()

    class Meta:
        ordering = ["order", "code", "valid_from"]
        verbose_name = verbose_name_plural = "合规规则"
        constraints = [models.UniqueConstraint(fields=["code", "valid_from"], name="rule_unique_code_from")]

    def __str__(self) -> str:
        return f"{self.name}（{self.requirement}）"

    @property
    def org_kind_labels(self) -> str:
        return "、".join(OrgKind(k).label for k in self.org_kinds if k in OrgKind.values)

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def clean(self) -> None:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": "失效日期不能早于生效日期。"})
        bad = [k for k in self.org_kinds or [] if k not in OrgKind.values]
        if bad:
            raise ValidationError({"org_kinds": f"未知的组织类别：{'、'.join(bad)}。"})
        if self.kind in (RuleKind.COUNT, RuleKind.SECRETARY_LECTURE) and not self.activity_type_code:
            raise ValidationError({"activity_type_code": "按类型计次的规则须填写活动类型代码。"})
        if self.kind != RuleKind.LAPSE and self.frequency not in Frequency.values:
            raise ValidationError({"frequency": "频次应为每月、每季度、每半年或每年。"})
