"""The roster: members, their dated status history, transfers and committee posts."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from dangjian.core.dates import add_years, today, years_between
from dangjian.core.models import AuditedModel
from dangjian.members.choices import (
    ACTIVE_STATUSES,
    AGE_BANDS,
    DuesCategory,
    Education,
    Gender,
    MemberStatus,
    TransferDirection,
)
from dangjian.members.validators import (
    ID_ALREADY_REGISTERED,
    id_birth_date,
    mask_id_number,
    validate_id_number,
)
from dangjian.orgs.choices import OrgKind, PostKind
from dangjian.orgs.models import Organization

MIN_ADMISSION_AGE = 18  # 党章 Art 1; 发展党员工作细则 Art 5
PROBATION_YEARS = 1  # 党章 Art 7


def pinyin_initials(name: str) -> str:
    """张三丰 → zsf: lets officers find a member by typing initials."""
    from pypinyin import Style, lazy_pinyin

    return "".join(p[:1] for p in lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()


class MemberQuerySet(models.QuerySet["Member"]):
    def active(self) -> MemberQuerySet:
        """Members still on this agency's roll (probationary or full)."""
        return self.filter(status__in=ACTIVE_STATUSES)

    def in_subtree(self, org: Organization) -> MemberQuerySet:
        return self.filter(organization__path__startswith=org.path)

    def search(self, text: str) -> MemberQuerySet:
        text = text.strip()
        if not text:
            return self
        q = Q(name__contains=text)
        if text.isascii() and text.isalpha():
            q |= Q(pinyin_initials__startswith=text.lower())
        if text.isdigit() and len(text) >= 4:
            q |= Q(phone__contains=text)
        return self.filter(q)

    def lookup(self, text: str) -> MemberQuerySet:
        """Members a form's search box finds: by name, name's pinyin initials or branch name.
        Unlike ``search``, never by phone: a lookup shows names and branches only, and must not
        let anyone probe whose number is whose."""
        text = text.strip()
        q = Q(name__contains=text) | Q(organization__name__contains=text)
        q |= Q(organization__short_name__contains=text)
        if text.isascii() and text.isalpha():
            q |= Q(pinyin_initials__startswith=text.lower())
        return self.filter(q)

    def in_age_band(self, code: str, on: datetime.date | None = None) -> MemberQuerySet:
        """Members whose age on ``on`` lies in the band, as a birth-date range (index friendly)."""
        day = on or today()
        for band, _label, low, high in AGE_BANDS:
            if band == code:
                latest_birth = add_years(day, -low)
                earliest_birth = add_years(day, -(high + 1)) + datetime.timedelta(days=1)
                return self.filter(birth_date__lte=latest_birth, birth_date__gte=earliest_birth)
        return self


class Member(AuditedModel):
    """A party member on the agency's roster (花名册); never hard-deleted, only given a status."""

    name = models.CharField("姓名", max_length=50)
    pinyin_initials = models.CharField("拼音首字母", max_length=50, blank=True, db_index=True, editable=False)
    gender = models.CharField("性别", max_length=10, choices=Gender.choices)
    ethnicity = models.CharField("民族", max_length=20, default="汉族")
    birth_date = models.DateField("出生日期")
    native_place = models.CharField("籍贯", max_length=50, blank=True)
    education = models.CharField("学历", max_length=20, choices=Education.choices, blank=True)
    id_number = models.CharField(
        "身份证号", max_length=18, unique=True, null=True, blank=True, validators=[validate_id_number]
    )
    phone = models.CharField("联系电话", max_length=20, blank=True)
    department = models.CharField("所在股室", max_length=50, blank=True)
    job_title = models.CharField("职务", max_length=50, blank=True)
    organization = models.ForeignKey(
        Organization, verbose_name="所在党组织", on_delete=models.PROTECT, related_name="members"
    )
    cell = models.ForeignKey(
        Organization,
        verbose_name="所在党小组",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cell_members",
        limit_choices_to={"kind": OrgKind.CELL},
    )
    status = models.CharField(
        "党员状态", max_length=20, choices=MemberStatus.choices, default=MemberStatus.FULL
    )
    status_since = models.DateField("状态起始日期", null=True, blank=True)
    admission_date = models.DateField("入党时间", null=True, blank=True)
    confirmation_date = models.DateField("转正时间", null=True, blank=True)
    dues_category = models.CharField(
        "党费类别", max_length=20, choices=DuesCategory.choices, default=DuesCategory.IN_SERVICE
    )
    is_mobile = models.BooleanField("流动党员", default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member",
    )
    note = models.CharField("备注", max_length=200, blank=True)

    objects = MemberQuerySet.as_manager()

    scope_org = "organization"
    scope_self = "pk"

    class Meta:
        # Lists choose their own order (by organization, then name); a join in the default
        # ordering would make every plain query sort through the organization table.
        ordering = ["name", "id"]
        verbose_name = verbose_name_plural = "党员"
        indexes = [models.Index(fields=["organization", "status"]), models.Index(fields=["birth_date"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:detail", args=[self.pk])

    # Derived, never stored.
    def age(self, on: datetime.date | None = None) -> int:
        return years_between(self.birth_date, on or today())

    def party_standing(self, on: datetime.date | None = None) -> int | None:
        """党龄 in whole years, counted from the confirmation date (党章 Art 7)."""
        if not self.confirmation_date:
            return None
        return max(0, years_between(self.confirmation_date, on or today()))

    def admission_anniversary(self, on: datetime.date | None = None) -> datetime.date | None:
        """The next 政治生日 on or after ``on``."""
        if not self.admission_date:
            return None
        day = on or today()
        years = max(0, day.year - self.admission_date.year)
        anniversary = add_years(self.admission_date, years)
        return anniversary if anniversary >= day else add_years(self.admission_date, years + 1)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def has_vote(self) -> bool:
        """Probationary members have no vote (2020 选举工作条例 Art 5)."""
        return self.status == MemberStatus.FULL

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number or "")

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pinyin_initials = pinyin_initials(self.name)
        if self.id_number == "":
            self.id_number = None
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.id_number and self.birth_date:
            born = id_birth_date(self.id_number)
            if born and born != self.birth_date:
                errors["birth_date"] = f"出生日期与身份证号中的{born:%Y年%-m月%-d日}不一致。"
        if self.organization_id:
            org = self.organization
            if org.kind == OrgKind.CELL:
                errors["organization"] = "所在党组织应填党支部（或党总支），党小组请填在“所在党小组”。"
            if self.cell_id and (
                self.cell.kind != OrgKind.CELL or self.cell.parent_id != self.organization_id
            ):
                errors["cell"] = f"党小组“{self.cell.name}”不属于{org.name}。"
        if self.is_active and not self.admission_date:
            errors["admission_date"] = "党员须填写入党时间。"
        if self.admission_date and self.birth_date:
            if years_between(self.birth_date, self.admission_date) < MIN_ADMISSION_AGE:
                errors["admission_date"] = f"入党时未满{MIN_ADMISSION_AGE}周岁（党章第一条）。"
        if self.admission_date and self.admission_date > today():
            errors["admission_date"] = "入党时间不能晚于今天。"
        if self.confirmation_date:
            if not self.admission_date:
                errors["confirmation_date"] = "有转正时间必须先有入党时间。"
            elif self.confirmation_date < self.admission_date:
                errors["confirmation_date"] = "转正时间早于入党时间。"
            elif self.confirmation_date < add_years(self.admission_date, PROBATION_YEARS):
                errors["confirmation_date"] = "转正时间距入党时间不满一年（预备期为一年，党章第七条）。"
            elif self.confirmation_date > today():
                errors["confirmation_date"] = "转正时间不能晚于今天。"
        if self.status == MemberStatus.FULL and self.admission_date and not self.confirmation_date:
            errors["confirmation_date"] = "正式党员须填写转正时间。"
        if self.status == MemberStatus.PROBATIONARY and self.confirmation_date:
            errors["confirmation_date"] = "预备党员不应有转正时间。"
        if self.birth_date and self.birth_date > today():
            errors["birth_date"] = "出生日期不能晚于今天。"
        if errors:
            raise ValidationError(errors)

    def validate_unique(self, exclude: Any = None) -> None:
        try:
            super().validate_unique(exclude)
        except ValidationError as exc:
            if "id_number" in getattr(exc, "error_dict", {}):
                exc.error_dict["id_number"] = [ValidationError(ID_ALREADY_REGISTERED)]
            raise


class StatusChange(AuditedModel):
    """A dated change of a member's status (admitted, confirmed, transferred out, deceased …)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField("原状态", max_length=20, choices=MemberStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=20, choices=MemberStatus.choices)
    date = models.DateField("日期")
    reason = models.CharField("原因", max_length=200, blank=True)

    scope_org = "member__organization"
    scope_self = "member_id"

    class Meta:
        ordering = ["member", "date", "id"]
        verbose_name = verbose_name_plural = "党员状态变更"

    def __str__(self) -> str:
        return f"{self.member.name} {self.date:%Y-%m-%d} {self.get_to_status_display()}"

    def get_absolute_url(self) -> str:
        return self.member.get_absolute_url() + "#history"


class Transfer(AuditedModel):
    """A membership transfer in or out (组织关系转接) with where to and the letter."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="transfers")
    direction = models.CharField("方向", max_length=5, choices=TransferDirection.choices)
    date = models.DateField("转接日期")
    counterpart = models.CharField("转往/转自党组织", max_length=100)
    letter_number = models.CharField("介绍信编号", max_length=50, blank=True)
    reason = models.CharField("原因", max_length=200, blank=True)

    scope_org = "member__organization"
    scope_self = "member_id"

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = verbose_name_plural = "组织关系转接"

    def __str__(self) -> str:
        return f"{self.member.name} {self.get_direction_display()} {self.counterpart}"

    def get_absolute_url(self) -> str:
        return self.member.get_absolute_url() + "#history"

    def clean(self) -> None:
        if self.date and self.date > today():
            raise ValidationError({"date": "转接日期不能晚于今天。"})


class PostQuerySet(models.QuerySet["Post"]):
    def current(self, on: datetime.date | None = None) -> PostQuerySet:
        day = on or today()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day), started_on__lte=day)


class Post(AuditedModel):
    """A committee post (书记, 副书记, 组织委员 …) held by a member in an organization since a date.

    Lives in ``members`` rather than ``orgs`` because it points at a member: orgs must not import
    members (the architecture's arrows).
    """

    organization = models.ForeignKey(
        Organization, verbose_name="党组织", on_delete=models.PROTECT, related_name="posts"
    )
    kind = models.CharField("职务", max_length=30, choices=PostKind.choices)
    member = models.ForeignKey(
        Member, verbose_name="任职党员", on_delete=models.PROTECT, related_name="posts"
    )
    started_on = models.DateField("任职日期")
    ended_on = models.DateField("卸任日期", null=True, blank=True)

    objects = PostQuerySet.as_manager()
    scope_org = "organization"
    scope_self = "member_id"

    class Meta:
        ordering = ["organization", "ended_on", "kind", "started_on"]
        verbose_name = verbose_name_plural = "委员会职务"

    def __str__(self) -> str:
        return f"{self.organization.name}{self.get_kind_display()} {self.member.name}"

    def get_absolute_url(self) -> str:
        return self.organization.get_absolute_url() + "#committee"

    def clean(self) -> None:
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": "卸任日期不能早于任职日期。"})
        if self.member_id and self.organization_id:
            # A 党小组's members are in its parent branch with ``cell`` pointing at it.
            in_org = self.member.organization.path.startswith(self.organization.path) or (
                self.member.cell_id == self.organization_id
            )
            if not in_org and self.organization.kind not in (OrgKind.LEADING_GROUP, OrgKind.ORGAN_COMMITTEE):
                raise ValidationError({"member": f"{self.member.name}不是{self.organization.name}的党员。"})
        single = self.kind in (PostKind.SECRETARY, PostKind.CELL_LEADER)
        if single and self.organization_id and self.started_on:
            clash = Post.objects.filter(organization_id=self.organization_id, kind=self.kind).exclude(
                pk=self.pk
            )
            clash = clash.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=self.started_on))
            if self.ended_on:
                clash = clash.filter(started_on__lt=self.ended_on)
            if clash.exists():
                raise ValidationError(
                    {"kind": f"该组织同一时期已有{self.get_kind_display()}，请先填写前任的卸任日期。"}
                )
