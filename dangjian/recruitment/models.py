"""Admission cases (发展党员) as timelines of dated steps, their documents, transfers and yearly plans."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from dangjian.core.dates import today
from dangjian.core.models import AuditedModel, TimeStampedModel
from dangjian.core.uploads import OLE_STORAGE, sniff
from dangjian.members.choices import Gender
from dangjian.members.models import Member
from dangjian.members.validators import id_birth_date, mask_id_number, validate_id_number
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization
from dangjian.recruitment import rules
from dangjian.recruitment.choices import CaseStatus, Stage, StepKind

# Uploads kept with a step: scans and photos of the materials (申请书, 志愿书, 会议记录 …).
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
ALLOWED_DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        return self.filter(status=CaseStatus.OPEN)

    def in_subtree(self, org: Organization) -> CaseQuerySet:
        return self.filter(organization__path__startswith=org.path)

    def due_by(self, day: datetime.date) -> CaseQuerySet:
        """Open cases with something falling due on or before ``day`` (one indexed query)."""
        return self.open().filter(
            Q(next_deadline__lte=day)
            | Q(review_due__lte=day)
            | Q(next_number__in=rules.CONFIRMATION_STEPS[:2], next_earliest__lte=day)
        )


class Case(AuditedModel):
    """One person's way into the party, from the application to confirmation, in one branch."""

    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=10, choices=Gender.choices)
    birth_date = models.DateField("出生日期")
    id_number = models.CharField("身份证号", max_length=18, blank=True, validators=[validate_id_number])
    phone = models.CharField("联系电话", max_length=20, blank=True)
    department = models.CharField("所在股室", max_length=50, blank=True)
    organization = models.ForeignKey(
        Organization, verbose_name="所在党支部", on_delete=models.PROTECT, related_name="recruitment_cases"
    )
    opened_on = models.DateField("申请日期")
    status = models.CharField("状态", max_length=12, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    member = models.OneToOneField(
        Member,
        verbose_name="党员记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recruitment_case",
    )
    # Derived from the steps by actions.refresh_case() after every write, and stored only so the
    # agency-wide lists can filter thousands of cases in one indexed query.
    stage = models.CharField(
        "阶段", max_length=12, choices=Stage.choices, default=Stage.APPLICATION, editable=False
    )
    next_number = models.PositiveSmallIntegerField("下一步", null=True, blank=True, editable=False)
    next_earliest = models.DateField("最早日期", null=True, blank=True, editable=False)
    next_deadline = models.DateField("期限", null=True, blank=True, editable=False)
    review_due = models.DateField("下次考察", null=True, blank=True, editable=False)
    probation_ends = models.DateField("预备期满", null=True, blank=True, editable=False)
    admitted_on = models.DateField("入党时间", null=True, blank=True, editable=False)
    confirmed_on = models.DateField("转正时间", null=True, blank=True, editable=False)

    objects = CaseQuerySet.as_manager()
    scope_org = "organization"
    scope_self = "member"

    class Meta:
        ordering = ["organization__path", "opened_on", "id"]
        verbose_name = verbose_name_plural = "发展党员档案"
        indexes = [
            models.Index(fields=["status", "next_deadline"]),
            models.Index(fields=["status", "review_due"]),
            models.Index(fields=["status", "next_earliest"]),
            models.Index(fields=["organization", "status", "stage"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=Q(status="open") & ~Q(id_number=""),
                name="recruitment_one_open_case_per_id",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_stage_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("recruitment:detail", args=[self.pk])

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def next_step_label(self) -> str:
        """The next step as lists show it (第N步“…”); "" when nothing is next."""
        return rules.step_label(self.next_number) if self.next_number else ""

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN

    def events(self) -> list[rules.Event]:
        return [s.as_event() for s in self.steps.all()]

    def timeline(self) -> rules.Timeline:
        return rules.build(self.events())

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.id_number and self.birth_date:
            born = id_birth_date(self.id_number)
            if born and born != self.birth_date:
                errors["birth_date"] = f"出生日期与身份证号中的{rules.fmt(born)}不一致。"
        if self.birth_date and self.birth_date > today():
            errors["birth_date"] = "出生日期不能晚于今天。"
        if self.organization_id and self.organization.kind not in (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH):
            errors["organization"] = "发展党员应由党支部（或党总支）负责，请选择党支部。"
        if self.id_number and self.status == CaseStatus.OPEN:
            clash = Case.objects.open().filter(id_number=self.id_number).exclude(pk=self.pk)
            if clash.exists():
                errors["id_number"] = "该身份证号已有进行中的发展党员档案。"
            elif Member.objects.active().filter(id_number=self.id_number).exclude(pk=self.member_id).exists():
                errors["id_number"] = "该身份证号已在党员花名册中。"
        if errors:
            raise ValidationError(errors)


class Step(AuditedModel):
    """A dated step of a case (one of the 25, or an extension, cancellation or closure) and its record."""

    case = models.ForeignKey(
        Case, verbose_name="发展党员档案", on_delete=models.CASCADE, related_name="steps"
    )
    kind = models.CharField("类别", max_length=12, choices=StepKind.choices, default=StepKind.STEP)
    number = models.PositiveSmallIntegerField(
        "步骤", null=True, blank=True, choices=[(n, f"{n}. {r.name}") for n, r in rules.RULES.items()]
    )
    date = models.DateField("日期")
    notes = models.TextField("情况说明", blank=True)
    checklist = models.JSONField("已备材料", default=list, blank=True)
    people = models.ManyToManyField(
        Member, verbose_name="培养联系人/入党介绍人", blank=True, related_name="+"
    )
    meeting = models.ForeignKey(
        "activities.Activity",
        verbose_name="支部党员大会记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    eligible_voters = models.PositiveIntegerField("应到有表决权党员", null=True, blank=True)
    present_voters = models.PositiveIntegerField("实到有表决权党员", null=True, blank=True)
    votes_for = models.PositiveIntegerField("赞成票", null=True, blank=True)
    votes_against = models.PositiveIntegerField("反对票", null=True, blank=True)
    votes_abstain = models.PositiveIntegerField("弃权票", null=True, blank=True)
    passed = models.BooleanField("通过", null=True, blank=True)
    training_days = models.PositiveSmallIntegerField("培训天数", null=True, blank=True)
    training_hours = models.PositiveSmallIntegerField("培训学时", null=True, blank=True)
    special_case = models.BooleanField("特殊情况（审批期限延至六个月）", default=False)
    months = models.PositiveSmallIntegerField("延长月数", null=True, blank=True)
    organization = models.ForeignKey(
        Organization, verbose_name="登记时所在党支部", on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope_org = "case__organization"
    scope_self = "case__member"

    class Meta:
        ordering = ["case", "date", "id"]
        verbose_name = verbose_name_plural = "发展党员步骤"
        indexes = [models.Index(fields=["number", "date"])]

    def __str__(self) -> str:
        return f"{self.case.name} {self.title} {self.date}"

    def get_absolute_url(self) -> str:
        return self.case.get_absolute_url() + f"#step-{self.pk}"

    @property
    def title(self) -> str:
        if self.kind == StepKind.STEP and self.number:
            return f"{self.number}. {rules.RULES[self.number].name}"
        if self.kind == StepKind.EXTENSION:
            return f"延长预备期{self.months}个月"
        return self.get_kind_display()

    @property
    def rule(self) -> rules.StepRule | None:
        return rules.RULES.get(self.number) if self.number else None

    @property
    def missing_materials(self) -> list[str]:
        rule = self.rule
        return [item for item in rule.checklist if item not in self.checklist] if rule else []

    def as_event(self) -> rules.Event:
        return rules.Event(
            number=self.number,
            date=self.date,
            kind=self.kind,
            passed=self.passed,
            months=self.months,
            special=self.special_case,
            seq=self.pk or 0,
        )


def _document_path(instance: StepDocument, filename: str) -> str:
    return f"recruitment/{instance.step.case_id}/{Path(filename).name}"


class StepDocument(TimeStampedModel):
    """A file kept with a step (a scan of the application, the minutes …), stored under MEDIA_ROOT."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField("文件", upload_to=_document_path)
    original_name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    content_type = models.CharField("类型", max_length=100)

    scope_org = "step__case__organization"
    scope_self = "step__case__member"

    class Meta:
        ordering = ["step", "id"]
        verbose_name = verbose_name_plural = "发展党员材料"

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("recruitment:document", args=[self.pk])


def validate_upload(upload: Any) -> str:
    """The content type to store for an upload, or a Chinese error naming the file."""
    suffix = Path(upload.name).suffix.lower()
    if suffix not in ALLOWED_DOCUMENT_TYPES:
        raise ValidationError(
            f"文件“{upload.name}”的类型不支持，只能上传 PDF、图片（JPG/PNG）、Word 或 Excel 文件。"
        )
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(f"文件“{upload.name}”超过{MAX_DOCUMENT_BYTES // (1024 * 1024)}MB。")
    if upload.size == 0:
        raise ValidationError(f"文件“{upload.name}”是空文件。")
    expected = ALLOWED_DOCUMENT_TYPES[suffix]
    found = sniff(upload.file if hasattr(upload, "file") else upload)
    # Judge by the bytes, not the name: a renamed file is refused.
    if found != (OLE_STORAGE if suffix in (".doc", ".xls") else expected):
        raise ValidationError(f"文件“{upload.name}”的内容与扩展名不符，不是有效的{suffix[1:].upper()}文件。")
    return expected


class CaseTransfer(AuditedModel):
    """A case moved from one branch to another (the steps stay with the case)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    from_organization = models.ForeignKey(
        Organization, verbose_name="原党支部", on_delete=models.PROTECT, related_name="+"
    )
    to_organization = models.ForeignKey(
        Organization, verbose_name="转入党支部", on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField("转接日期")
    reason = models.CharField("原因", max_length=200, blank=True)

    scope_org = "case__organization"
    scope_self = "case__member"

    class Meta:
        ordering = ["case", "date", "id"]
        verbose_name = verbose_name_plural = "发展党员档案转接"

    def __str__(self) -> str:
        return f"{self.case.name} {self.from_organization.name} → {self.to_organization.name}"

    def get_absolute_url(self) -> str:
        return self.case.get_absolute_url() + "#transfers"


class Plan(AuditedModel):
    """An organization's yearly recruitment plan (计划发展人数)."""

    organization = models.ForeignKey(
        Organization, verbose_name="党组织", on_delete=models.PROTECT, related_name="recruitment_plans"
    )
    year = models.PositiveSmallIntegerField("年度")
    planned = models.PositiveSmallIntegerField("计划发展人数")
    note = models.CharField("备注", max_length=200, blank=True)

    scope_org = "organization"

    class Meta:
        ordering = ["-year", "organization__path"]
        verbose_name = verbose_name_plural = "发展党员计划"
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="recruitment_plan_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.organization.name}{self.year}年计划发展{self.planned}人"

    def get_absolute_url(self) -> str:
        return reverse("recruitment:plans") + f"?year={self.year}"

    def clean(self) -> None:
        if self.year and not 2000 <= self.year <= 2100:
            raise ValidationError({"year": "年度应为四位年份。"})
