"""Dues: dated bases, hardship reductions, payments, their spread over months, and the monthly ledger."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Max, Min, Q, Sum
from django.urls import reverse

from dangjian.core.dates import add_months
from dangjian.core.models import AuditedModel
from dangjian.dues.allocation import month_label, month_start
from dangjian.dues.choices import BaseSource, DuesCategory, PaymentMethod, ReductionKind
from dangjian.dues.rates import (
    CENTRE_EXTRA_THRESHOLD,
    LAPSE_MONTHS,
    DuesInputError,
    monthly_standard,
    table_for,
)
from dangjian.members.choices import ACTIVE_STATUSES
from dangjian.members.models import Member
from dangjian.orgs.models import Organization

MONEY = {"max_digits": 12, "decimal_places": 2}


def _first_of_month(value: datetime.date | None, field: str) -> dict[str, str]:
    if value and value.day != 1:
        return {field: "月份应为该月1日。"}
    return {}


class DuesBaseQuerySet(models.QuerySet["DuesBase"]):
    def in_force(self, month: datetime.date) -> DuesBaseQuerySet:
        return self.filter(effective_month__lte=month_start(month))


class DuesBase(AuditedModel):
    """A member's dues base and category from a month on; the standard is computed on save."""

    member = models.ForeignKey(
        Member, verbose_name="党员", on_delete=models.PROTECT, related_name="dues_bases"
    )
    effective_month = models.DateField(
        "起始月份", help_text="新基数从领取新工资的当月起执行（党费规定第十条）。"
    )
    category = models.CharField("党费类别", max_length=20, choices=DuesCategory.choices)
    amount = models.DecimalField(
        "交纳基数（元/月）", **MONEY, help_text="农民党员填写本人选定的每月交纳额（0.2至1元）。"
    )
    standard = models.DecimalField("月交纳额（元）", **MONEY, editable=False)
    rate = models.DecimalField("比例", max_digits=6, decimal_places=4, null=True, blank=True, editable=False)
    # Which rate table computed ``standard``: the monthly run recomputes rows from an older table.
    rates_from = models.DateField("标准依据版本", editable=False)
    source = models.CharField("来源", max_length=10, choices=BaseSource.choices, default=BaseSource.MANUAL)
    note = models.CharField("备注", max_length=200, blank=True)

    objects = DuesBaseQuerySet.as_manager()
    scope_org = "member__organization"
    scope_self = "member_id"

    class Meta:
        ordering = ["member", "-effective_month"]
        verbose_name = verbose_name_plural = "党费交纳基数"
        constraints = [
            models.UniqueConstraint(fields=["member", "effective_month"], name="dues_base_one_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.member.name} {month_label(self.effective_month)}起 {self.amount}元"

    def get_absolute_url(self) -> str:
        return reverse("dues:member", args=[self.member_id])

    @property
    def rate_label(self) -> str:
        return "定额" if self.rate is None else f"{(self.rate * 100).normalize():f}%"

    def compute(self) -> None:
        """Set standard, rate and rates_from from category and amount (raises DuesInputError)."""
        result = monthly_standard(self.category, self.amount, on=self.effective_month)
        self.standard, self.rate = result.amount, result.rate
        self.rates_from = table_for(self.effective_month).valid_from

    def clean(self) -> None:
        errors = _first_of_month(self.effective_month, "effective_month")
        if self.amount is not None and self.category:
            try:
                self.compute()
            except DuesInputError as exc:
                errors["amount"] = str(exc)
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.effective_month = month_start(self.effective_month)
        self.compute()
        super().save(*args, **kwargs)


class HardshipReduction(AuditedModel):
    """An approved reduction or exemption of a member's dues for a run of months (党费规定第七条)."""

    member = models.ForeignKey(
        Member, verbose_name="党员", on_delete=models.PROTECT, related_name="dues_reductions"
    )
    kind = models.CharField("方式", max_length=10, choices=ReductionKind.choices)
    amount = models.DecimalField(
        "减免后每月交纳（元）", **MONEY, null=True, blank=True, help_text="少交时填写；免交不填。"
    )
    first_month = models.DateField("起始月份")
    last_month = models.DateField("截止月份")
    reason = models.CharField("困难情况", max_length=200)
    approved_by = models.CharField("审批党组织", max_length=100, help_text="支部审核，上级党委批准。")
    approver = models.CharField("审批人", max_length=50, blank=True)
    approved_on = models.DateField("批准日期")
    document_number = models.CharField("批准文号", max_length=60)

    scope_org = "member__organization"
    scope_self = "member_id"

    class Meta:
        ordering = ["member", "-first_month"]
        verbose_name = verbose_name_plural = "党费减免"

    def __str__(self) -> str:
        return f"{self.member.name} {self.get_kind_display()} {self.months_label}"

    def get_absolute_url(self) -> str:
        return reverse("dues:member", args=[self.member_id])

    @property
    def months_label(self) -> str:
        return f"{month_label(self.first_month)}至{month_label(self.last_month)}"

    def due_after(self, standard: Decimal) -> Decimal:
        if self.kind == ReductionKind.EXEMPT:
            return Decimal("0.00")
        return min(standard, self.amount or Decimal("0.00"))

    def clean(self) -> None:
        errors = {
            **_first_of_month(self.first_month, "first_month"),
            **_first_of_month(self.last_month, "last_month"),
        }
        if self.kind == ReductionKind.REDUCED and self.amount is None:
            errors["amount"] = "少交须填写减免后每月交纳的金额。"
        if self.amount is not None and self.amount < 0:
            errors["amount"] = "金额不能为负数。"
        if self.kind == ReductionKind.EXEMPT:
            self.amount = None
        if self.first_month and self.last_month and self.last_month < self.first_month:
            errors["last_month"] = "截止月份不能早于起始月份。"
        if self.member_id and self.first_month and self.last_month and not errors:
            clash = HardshipReduction.objects.filter(
                member_id=self.member_id, first_month__lte=self.last_month, last_month__gte=self.first_month
            ).exclude(pk=self.pk)
            if clash.exists():
                errors["first_month"] = "该党员在这段时间已有减免记录，请勿重复登记。"
        if errors:
            raise ValidationError(errors)


class DuesPayment(AuditedModel):
    """One payment handed in by a member: amount, date, method, receipt; spread over months."""

    member = models.ForeignKey(
        Member, verbose_name="党员", on_delete=models.PROTECT, related_name="dues_payments"
    )
    paid_on = models.DateField("交纳日期")
    amount = models.DecimalField("交纳金额（元）", **MONEY)
    method = models.CharField("交纳方式", max_length=10, choices=PaymentMethod.choices)
    receipt_number = models.CharField("收据号", max_length=40, unique=True)
    is_extra = models.BooleanField("自愿多交", default=False)
    extra_amount = models.DecimalField("其中自愿多交（元）", **MONEY, default=Decimal("0.00"))
    to_centre = models.BooleanField(
        "全额上缴中央",
        default=False,
        help_text="一次性自愿多交1000元以上的，全部上缴中央（党费规定第十一条）。",
    )
    override_reason = models.CharField("越限补交原因", max_length=200, blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="越限批准人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField("备注", max_length=200, blank=True)

    scope_org = "member__organization"
    scope_self = "member_id"

    class Meta:
        ordering = ["-paid_on", "-id"]
        verbose_name = verbose_name_plural = "党费交纳记录"
        indexes = [models.Index(fields=["member", "paid_on"])]

    def __str__(self) -> str:
        return f"{self.member.name} {self.paid_on:%Y-%m-%d} {self.amount}元（{self.receipt_number}）"

    def get_absolute_url(self) -> str:
        return reverse("dues:member", args=[self.member_id])

    @property
    def months_label(self) -> str:
        """The months this payment paid, as a range when they run on: 2026年7月至9月."""
        months = sorted(a.month for a in self.allocations.all())
        if not months:
            return ""
        first, last = months[0], months[-1]
        contiguous = len(months) == (last.year - first.year) * 12 + last.month - first.month + 1
        if len(months) == 1:
            return month_label(first)
        if contiguous:
            tail = f"{last.month}月" if last.year == first.year else month_label(last)
            return f"{month_label(first)}至{tail}"
        return "、".join(month_label(m) for m in months)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.amount is not None and self.amount <= 0:
            errors["amount"] = "交纳金额必须大于0。"
        if self.extra_amount and self.extra_amount >= CENTRE_EXTRA_THRESHOLD:
            self.to_centre = True
        if errors:
            raise ValidationError(errors)

    def validate_unique(self, exclude=None) -> None:  # type: ignore[no-untyped-def]
        try:
            super().validate_unique(exclude)
        except ValidationError as exc:
            if "receipt_number" in getattr(exc, "error_dict", {}):
                exc.error_dict["receipt_number"] = [
                    ValidationError(f"收据号“{self.receipt_number}”已经登记过，不能重复使用。")
                ]
            raise


class PaymentAllocation(models.Model):
    """The part of a payment counted for one month (derived by actions; never edited by hand)."""

    # The unique (payment, month) and the (member, month) index serve these lookups; no extra FK indexes.
    payment = models.ForeignKey(
        DuesPayment, on_delete=models.CASCADE, related_name="allocations", db_index=False
    )
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+", db_index=False)
    month = models.DateField("月份")
    amount = models.DecimalField("计入金额（元）", **MONEY)

    scope_org = "member__organization"
    scope_self = "member_id"

    class Meta:
        ordering = ["member", "month"]
        verbose_name = verbose_name_plural = "党费计入月份"
        constraints = [models.UniqueConstraint(fields=["payment", "month"], name="dues_alloc_one_per_month")]
        indexes = [models.Index(fields=["member", "month"])]

    def __str__(self) -> str:
        return f"{month_label(self.month)} {self.amount}元"


class MonthlyDueQuerySet(models.QuerySet["MonthlyDue"]):
    def upto(self, month: datetime.date) -> MonthlyDueQuerySet:
        return self.filter(month__lte=month_start(month))

    def in_year(self, year: int) -> MonthlyDueQuerySet:
        return self.filter(month__year=year)

    def member_standing(self, month: datetime.date) -> models.QuerySet:
        """Per member up to ``month``: arrears, unpaid months, last month paid (or exempt), first month.

        One GROUP BY over the ledger — the monthly run uses it for 200,000 members.
        """
        return (
            self.upto(month)
            .order_by()
            .values("member_id")
            .annotate(
                arrears=Sum(F("due") - F("paid"), filter=Q(due__gt=F("paid"))),
                unpaid_months=Count("pk", filter=Q(due__gt=F("paid"))),
                last_ok=Max("month", filter=Q(paid__gt=0) | Q(due=0)),
                first=Min("month"),
            )
        )

    @staticmethod
    def red_flag_q(month: datetime.date) -> Q:
        """On ``member_standing`` rows: nothing paid for LAPSE_MONTHS consecutive months up to ``month``."""
        month = month_start(month)
        cut = add_months(month, -LAPSE_MONTHS)  # the last month paid must be after this one
        return Q(last_ok__isnull=True, first__lte=add_months(month, 1 - LAPSE_MONTHS)) | Q(last_ok__lte=cut)

    def standing_rows(self, month: datetime.date) -> MonthlyDueQuerySet:
        """Only the lines arrears and the red flag depend on: those not paid in full, and the last
        LAPSE_MONTHS + 1 months. ``member_standing`` over these gives the same arrears and flags
        as over the whole ledger, reading a fraction of it once the ledger spans years."""
        window = add_months(month_start(month), -(LAPSE_MONTHS + 1))
        return self.filter(Q(due__gt=F("paid")) | Q(month__gt=window))

    def red_flags(self, month: datetime.date) -> models.QuerySet:
        """Active members with nothing paid for 6 consecutive months up to ``month`` (党章第九条)."""
        active = self.filter(member__status__in=ACTIVE_STATUSES).standing_rows(month)
        return active.member_standing(month).filter(self.red_flag_q(month))

    def collection(self) -> models.QuerySet:
        """Due and paid summed per organization and month (the caller filters and orders)."""
        return self.values("organization_id", "month").annotate(
            due_total=Sum("due"), paid_total=Sum("paid"), members=Count("member_id")
        )


class MonthlyDue(models.Model):
    """The ledger line for one member and month: base, standard, what is due, what has been paid.

    Written by the monthly run and by payments (never by hand); ``paid`` is the sum of the month's
    allocations, kept here so collection rates are one aggregate query.
    """

    # 200,000 lines a month: every index and foreign-key check slows the monthly run, so only the
    # unique (member, month) and (month, organization) indexes exist, and the keys are not checked by
    # the database (the run copies them from the member table in the same statement; members and
    # organizations are never hard-deleted, and Django still applies PROTECT / SET_NULL).
    member = models.ForeignKey(
        Member,
        verbose_name="党员",
        on_delete=models.PROTECT,
        related_name="monthly_dues",
        db_index=False,
        db_constraint=False,
    )
    month = models.DateField("月份")
    organization = models.ForeignKey(
        Organization,
        verbose_name="所在党组织",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    category = models.CharField("党费类别", max_length=20, choices=DuesCategory.choices)
    base = models.DecimalField("交纳基数（元）", **MONEY)
    rate = models.DecimalField("比例", max_digits=6, decimal_places=4, null=True, blank=True)
    standard = models.DecimalField("月交纳额（元）", **MONEY)
    due = models.DecimalField("应交（元）", **MONEY)
    reduction = models.ForeignKey(
        HardshipReduction,
        verbose_name="减免",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    paid = models.DecimalField("实交（元）", **MONEY, default=Decimal("0.00"))
    rates_from = models.DateField("标准依据版本")
    computed_at = models.DateTimeField("计算时间")

    objects = MonthlyDueQuerySet.as_manager()
    scope_org = "organization"
    scope_self = "member_id"

    class Meta:
        ordering = ["member", "month"]
        verbose_name = verbose_name_plural = "党费月度台账"
        constraints = [models.UniqueConstraint(fields=["member", "month"], name="dues_monthly_one_per_month")]
        indexes = [models.Index(fields=["month", "organization"])]

    def __str__(self) -> str:
        return f"{self.member.name} {month_label(self.month)} 应交{self.due} 实交{self.paid}"

    def get_absolute_url(self) -> str:
        return reverse("dues:member", args=[self.member_id])

    @property
    def arrears(self) -> Decimal:
        return max(Decimal("0.00"), self.due - self.paid)

    @property
    def rate_label(self) -> str:
        return "定额" if self.rate is None else f"{(self.rate * 100).normalize():f}%"

    @property
    def state(self) -> str:
        if self.due == 0:
            return "exempt"
        if self.paid >= self.due:
            return "paid"
        return "partial" if self.paid > 0 else "unpaid"
