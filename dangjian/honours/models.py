"""Honours and commendations of organizations and members (表彰), and internal selections (评优)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from dangjian.core.models import AuditedModel
from dangjian.honours.choices import HonourLevel, NomineeResult, SelectionKind
from dangjian.members.models import Member
from dangjian.orgs.models import Organization


class Honour(AuditedModel):
    """An honour granted to an organization or to a member: title, level, grantor, date.

    ``organization`` is the organization honoured, or the member's organization when a member is.
    """

    title = models.CharField("荣誉名称", max_length=120)
    level = models.CharField("级别", max_length=20, choices=HonourLevel.choices)
    grantor = models.CharField("授予单位", max_length=100)
    awarded_on = models.DateField("授予日期")
    organization = models.ForeignKey(
        Organization, verbose_name="获表彰组织", on_delete=models.PROTECT, related_name="honours"
    )
    member = models.ForeignKey(
        Member,
        verbose_name="获表彰党员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="honours",
    )
    document_number = models.CharField("表彰文号", max_length=60, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    scope_org = "organization"
    scope_self = "member_id"

    class Meta:
        ordering = ["-awarded_on", "id"]
        indexes = [models.Index(fields=["awarded_on", "level"])]
        verbose_name = verbose_name_plural = "表彰荣誉"

    def __str__(self) -> str:
        who = self.member.name if self.member_id else self.organization.name
        return f"{who}：{self.title}（{self.awarded_on.year}年）"

    def get_absolute_url(self) -> str:
        return reverse("honours:list") + f"?year={self.awarded_on.year}&level={self.level}#honour-{self.pk}"

    def clean(self) -> None:
        if self.member_id and self.organization_id:
            if not self.member.organization.path.startswith(self.organization.path):
                raise ValidationError(
                    {"organization": f"{self.member.name}不是{self.organization.name}的党员。"}
                )


class Selection(AuditedModel):
    """An internal selection (年度星级党员评选, 优秀共产党员评选 …) run in rounds."""

    organization = models.ForeignKey(
        Organization, verbose_name="组织评选", on_delete=models.PROTECT, related_name="selections"
    )
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("类别", max_length=20, choices=SelectionKind.choices)
    name = models.CharField("名称", max_length=120)
    quota = models.PositiveSmallIntegerField("名额", null=True, blank=True)

    scope_org = "organization"

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = verbose_name_plural = "评优评选"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("honours:selection", args=[self.pk])


class SelectionRound(AuditedModel):
    """One round of a selection (推荐, 初审, 公示, 表彰) and when it was held."""

    selection = models.ForeignKey(
        Selection, verbose_name="评选", on_delete=models.CASCADE, related_name="rounds"
    )
    number = models.PositiveSmallIntegerField("轮次")
    name = models.CharField("环节", max_length=40)
    held_on = models.DateField("日期")

    scope_org = "selection__organization"

    class Meta:
        ordering = ["selection", "number"]
        constraints = [models.UniqueConstraint(fields=["selection", "number"], name="selection_round_once")]
        verbose_name = verbose_name_plural = "评选环节"

    def __str__(self) -> str:
        return f"第{self.number}轮 {self.name}"


class Nominee(AuditedModel):
    """A member or organization in a selection, how far they got, and the honour if selected."""

    selection = models.ForeignKey(
        Selection, verbose_name="评选", on_delete=models.CASCADE, related_name="nominees"
    )
    member = models.ForeignKey(
        Member, verbose_name="党员", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="党组织", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reached_round = models.PositiveSmallIntegerField("进入轮次", default=1)
    result = models.CharField(
        "结果", max_length=20, choices=NomineeResult.choices, default=NomineeResult.NOMINATED
    )
    votes = models.PositiveIntegerField("得票", null=True, blank=True)
    honour = models.OneToOneField(
        Honour,
        verbose_name="对应表彰",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="nominee",
    )

    scope_org = "selection__organization"
    scope_self = "member_id"

    class Meta:
        ordering = ["selection", "-reached_round", "id"]
        verbose_name = verbose_name_plural = "评选对象"

    def __str__(self) -> str:
        return (
            self.member.name if self.member_id else (self.organization.name if self.organization_id else "")
        )

    def clean(self) -> None:
        if bool(self.member_id) == bool(self.organization_id):
            raise ValidationError("评选对象须是一名党员或一个党组织（二者选一）。")
