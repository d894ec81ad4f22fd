"""Report genres (templates as data), drafts and their saved versions with the figure map."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from dangjian.core.models import AuditedModel
from dangjian.core.period import PERIOD_KINDS, Period
from dangjian.orgs.models import Organization


def validate_genre_body(body: Any) -> None:
    """A genre template must have the shape the composer reads; say in Chinese what is wrong."""
    if not isinstance(body, dict):
        raise ValidationError("模板内容应为 JSON 对象。")
    parts = body.get("parts")
    if not isinstance(parts, list) or not parts:
        raise ValidationError("模板缺少 parts（一级标题列表）。")
    for index, part in enumerate(parts, start=1):
        if not isinstance(part, dict) or not part.get("heading"):
            raise ValidationError(f"第{index}个一级部分缺少 heading（标题）。")
        if part.get("source") in ("problems", "next_steps"):
            continue
        for s_index, section in enumerate(part.get("sections", []), start=1):
            if not isinstance(section, dict) or not section.get("heading"):
                raise ValidationError(f"第{index}部分第{s_index}节缺少 heading（标题）。")
            for i_index, item in enumerate(section.get("items", []), start=1):
                if not isinstance(item, dict) or not isinstance(item.get("sentences", []), list):
                    raise ValidationError(f"第{index}部分第{s_index}节第{i_index}项的 sentences 应为列表。")


class Genre(AuditedModel):
    """A report genre: its template of sections, the figures feeding each, and phrasing variants."""

    code = models.SlugField("代码", max_length=50, unique=True)
    name = models.CharField("名称", max_length=60)
    description = models.CharField("说明", max_length=200, blank=True)
    body = models.JSONField("模板", validators=[validate_genre_body])
    is_builtin = models.BooleanField("内置", default=False, editable=False)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, verbose_name="复制自"
    )
    owner = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name="所属党组织",
        help_text="自定义文体仅所属党组织及其上级可见；内置文体人人可用。",
    )

    class Meta:
        ordering = ["-is_builtin", "id"]
        verbose_name = verbose_name_plural = "报告文体"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("reports:genre", args=[self.pk])

    @classmethod
    def scope_q(cls, scope: Any) -> Q:
        # Built-in genres are everyone's; a genre a user made belongs to their organization.
        if scope.whole_agency:
            return Q()
        return Q(is_builtin=True) | scope.org_q("owner")


class Draft(AuditedModel):
    """A report being written: genre, organization, period and what only the officer knows."""

    genre = models.ForeignKey(Genre, on_delete=models.PROTECT, verbose_name="文体", related_name="drafts")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, verbose_name="党组织", related_name="+"
    )
    period_kind = models.CharField("期间类型", max_length=10, choices=PERIOD_KINDS)
    period_start = models.DateField("期间起")
    period_end = models.DateField("期间止")
    title = models.CharField("标题", max_length=200)
    opening = models.TextField("开头段（可选，留空则自动生成）", blank=True)
    problems = models.TextField("存在的问题（每行一条）", blank=True)
    next_steps = models.TextField("下一步工作打算（每行一条）", blank=True)
    signer = models.CharField("落款单位", max_length=100, blank=True)
    # A 述职报告 is one person's: by default the secretary of the organization (see
    # metrics.records.subject_person); the officer may name another leader here.
    subject = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="述职人（述职报告）",
        help_text="留空则为该党组织书记。",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_org = "organization"

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = verbose_name_plural = "报告草稿"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:draft", args=[self.pk])

    def latest_version(self) -> Version | None:
        return self.versions.order_by("-number").first()

    @property
    def period(self) -> Period:
        """The draft's period, kept as fields so no page or job parses a period string again."""
        return Period.of(self.period_kind, self.period_start, self.period_end)

    @period.setter
    def period(self, value: Period) -> None:
        self.period_kind, self.period_start, self.period_end = value.kind, value.start, value.end

    @staticmethod
    def lines(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]


class Version(models.Model):
    """A saved state of a draft: its document tree and the figure → records map at that time."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    document = models.JSONField("正文")
    figures = models.JSONField("数据来源", default=list)
    note = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField("保存时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_org = "draft__organization"

    class Meta:
        ordering = ["draft", "-number"]
        constraints = [models.UniqueConstraint(fields=["draft", "number"], name="version_number_unique")]
        verbose_name = verbose_name_plural = "报告版本"

    def __str__(self) -> str:
        return f"{self.draft.title} 第{self.number}版"

    def get_absolute_url(self) -> str:
        return reverse("reports:draft", args=[self.draft_id]) + f"?v={self.number}"

    def figure(self, key: str) -> dict[str, Any] | None:
        return next((f for f in self.figures if f.get("key") == key), None)
