"""Integrity work beyond warning education: the unit's rules and the yearly 三公经费 figure.

The "two officers" (纪检委员 and 纪检联络员) are committee posts (members.Post) and integrity talks are
talks (activities of the talk kinds): both are linked, not copied here.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from dangjian.core.models import AuditedModel
from dangjian.integrity.choices import RuleKind
from dangjian.orgs.models import Organization


class UnitRule(AuditedModel):
    """A rule the unit issued or revised (制度): title, kind, date, document number."""

    organization = models.ForeignKey(
        Organization, verbose_name="制定组织", on_delete=models.PROTECT, related_name="unit_rules"
    )
    title = models.CharField("制度名称", max_length=200)
    kind = models.CharField("类别", max_length=20, choices=RuleKind.choices)
    issued_on = models.DateField("印发日期")
    document_number = models.CharField("文号", max_length=60, blank=True)
    revises = models.ForeignKey(
        "self",
        verbose_name="修订自",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="revisions",
    )

    scope_org = "organization"

    class Meta:
        ordering = ["-issued_on", "id"]
        verbose_name = verbose_name_plural = "制度建设"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("integrity:rules") + f"#rule-{self.pk}"


class PublicExpense(AuditedModel):
    """The unit's 三公经费 for a year, typed by the finance officer with its source document."""

    organization = models.ForeignKey(
        Organization, verbose_name="单位", on_delete=models.PROTECT, related_name="public_expenses"
    )
    year = models.PositiveSmallIntegerField("年度")
    travel_abroad = models.DecimalField("因公出国（境）费（万元）", max_digits=12, decimal_places=2)
    vehicles = models.DecimalField("公务用车购置及运行费（万元）", max_digits=12, decimal_places=2)
    reception = models.DecimalField("公务接待费（万元）", max_digits=12, decimal_places=2)
    source_document = models.CharField("来源文件", max_length=200)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True, on_delete=models.SET_NULL
    )

    scope_org = "organization"

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="public_expense_once_a_year")
        ]
        verbose_name = verbose_name_plural = "三公经费"

    def __str__(self) -> str:
        return f"{self.organization.name}{self.year}年三公经费{self.total}万元"

    def get_absolute_url(self) -> str:
        return reverse("integrity:expenses") + f"#expense-{self.pk}"

    @property
    def total(self) -> Decimal:
        return (self.travel_abroad or 0) + (self.vehicles or 0) + (self.reception or 0)

    def clean(self) -> None:
        for name in ("travel_abroad", "vehicles", "reception"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ValidationError({name: "金额不能为负数。"})
        if not (self.source_document or "").strip():
            raise ValidationError({"source_document": "请注明数据来源文件（如部门决算公开表）。"})
