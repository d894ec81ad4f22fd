"""The organizational-life ledger: activity types, activities, attendance and materials."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from dangjian.activities.choices import (
    HELD_STATUSES,
    ActivityStatus,
    AttachmentKind,
    AttendanceStatus,
    ReflectionStatus,
)
from dangjian.core.models import AuditedModel, TimeStampedModel
from dangjian.members.models import Member
from dangjian.orgs.models import Organization


class ActivityType(AuditedModel):
    """A kind of activity (支部党员大会, 党课 …); data, with built-in defaults and user-added types."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=40, unique=True)
    counts_as_org_life = models.BooleanField("计入组织生活", default=True)
    takes_attendance = models.BooleanField("登记出勤", default=True)
    is_talk = models.BooleanField("谈话类", default=False, help_text="按谈话人、谈话对象登记，不登记出勤")
    may_also_count_as = models.ManyToManyField(
        "self", symmetrical=False, blank=True, verbose_name="可同时计为", related_name="+"
    )
    is_builtin = models.BooleanField("内置", default=False, editable=False)
    order = models.PositiveIntegerField("排序", default=100)
    active = models.BooleanField("启用", default=True)
    description = models.CharField("说明", max_length=200, blank=True)

    # Types are shared reference data: everyone may read them.
    @classmethod
    def scope_q(cls, scope: Any) -> Q:
        return Q()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = verbose_name_plural = "活动类型"

    def __str__(self) -> str:
        return self.name


class ActivityQuerySet(models.QuerySet["Activity"]):
    def of_type(self, *codes: str) -> ActivityQuerySet:
        """Activities that count as any of these types (primary or also-counted)."""
        return self.filter(credits__activity_type__code__in=codes).distinct()

    def held(self) -> ActivityQuerySet:
        return self.filter(status__in=HELD_STATUSES)

    def within(self, start: datetime.date, end: datetime.date) -> ActivityQuerySet:
        """Held between two dates inclusive (local calendar days)."""
        return self.filter(held_on__gte=start, held_on__lte=end)

    def in_subtree(self, org: Organization) -> ActivityQuerySet:
        return self.filter(organization__path__startswith=org.path)

    def today_first(self, now: datetime.datetime | None = None) -> ActivityQuerySet:
        """What needs doing first: plans whose time has passed without a record (most recent
        first), then what comes next (soonest first), then undated drafts, then what was held
        (latest first).

        Every NULL is placed explicitly, so SQLite and PostgreSQL (which sort NULLs at opposite
        ends by default) give the same order. ``when_bucket`` is 0 overdue, 1 upcoming,
        2 undated, 3 held.
        """
        now = now or timezone.now()
        start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
        held = Q(status__in=HELD_STATUSES)
        bucket = Case(
            When(held, then=Value(3)),
            When(planned_at__isnull=True, then=Value(2)),
            When(planned_at__lt=start, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return self.annotate(
            when_bucket=bucket,
            upcoming_at=Case(When(~held & Q(planned_at__gte=start), then=F("planned_at"))),
            past_at=Case(When(held, then=F("held_at")), When(planned_at__lt=start, then=F("planned_at"))),
        ).order_by(
            "when_bucket",
            F("upcoming_at").asc(nulls_last=True),
            F("past_at").desc(nulls_last=True),
            "-id",
        )


class Activity(AuditedModel):
    """One meeting, lecture, study session, talk … of an organization, planned and then held.

    ``held_on`` is the local date of ``held_at``, stored so that period counts are plain date
    range filters that use an index.
    """

    organization = models.ForeignKey(
        Organization, verbose_name="党组织", on_delete=models.PROTECT, related_name="activities"
    )
    cells = models.ManyToManyField(
        Organization, verbose_name="参加党小组", blank=True, related_name="cell_activities"
    )
    activity_type = models.ForeignKey(
        ActivityType, verbose_name="活动类型", on_delete=models.PROTECT, related_name="+"
    )
    also_counts_as = models.ManyToManyField(
        ActivityType,
        verbose_name="同时计为",
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        "状态", max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.DRAFT
    )
    topic = models.CharField("主题", max_length=200)
    planned_at = models.DateTimeField("计划时间", null=True, blank=True)
    held_at = models.DateTimeField("召开时间", null=True, blank=True)
    held_on = models.DateField("召开日期", null=True, blank=True, db_index=True, editable=False)
    place = models.CharField("地点", max_length=100, blank=True)
    host = models.ForeignKey(
        Member, verbose_name="主持人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lecturer = models.ForeignKey(
        Member, verbose_name="授课人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lecturer_name = models.CharField("授课人（外请）", max_length=50, blank=True)
    # Derived from the committee posts when the activity is recorded (the secretary's yearly lecture rule).
    lecturer_is_secretary = models.BooleanField("书记讲党课", default=False, editable=False)
    is_first_agenda = models.BooleanField("第一议题", default=False)
    agenda = models.TextField("议程", blank=True)
    minutes = models.TextField("会议记录", blank=True)
    decisions = models.TextField("决定事项", blank=True)
    return_reason = models.CharField("退回原因", max_length=200, blank=True)
    # A heart-to-heart talk records its two parties (谈心谈话).
    talk_party_a = models.ForeignKey(
        Member, verbose_name="谈话人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    talk_party_b = models.ForeignKey(
        Member, verbose_name="谈话对象", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A general meeting that votes (支部工作条例 Art 11): snapshot of voters when recorded.
    has_vote = models.BooleanField("有表决事项", default=False)
    vote_subject = models.CharField("表决事项", max_length=200, blank=True)
    eligible_voters = models.PositiveIntegerField("应到有表决权党员", null=True, blank=True, editable=False)
    present_voters = models.PositiveIntegerField("实到有表决权党员", null=True, blank=True, editable=False)
    votes_for = models.PositiveIntegerField("赞成票", null=True, blank=True)
    votes_against = models.PositiveIntegerField("反对票", null=True, blank=True)
    votes_abstain = models.PositiveIntegerField("弃权票", null=True, blank=True)
    # What a report cannot derive: an activity marked as a highlight carries its own paragraph.
    is_highlight = models.BooleanField("亮点工作", default=False)
    highlight_text = models.TextField("亮点说明", blank=True)

    objects = ActivityQuerySet.as_manager()
    scope_org = "organization"
    scope_self = "attendances__member"

    class Meta:
        ordering = ["-held_on", "-planned_at", "-id"]
        verbose_name = verbose_name_plural = "组织生活"
        indexes = [
            models.Index(fields=["organization", "held_on"]),
            models.Index(fields=["status", "held_on"]),
            # A year's talks across a province (talk coverage) without scanning every activity.
            models.Index(fields=["activity_type", "held_on"]),
        ]

    def __str__(self) -> str:
        when = self.held_on or (timezone.localdate(self.planned_at) if self.planned_at else None)
        return f"{self.organization.name} {self.activity_type.name}（{when or '未定'}）{self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", args=[self.pk])

    @property
    def is_held(self) -> bool:
        return self.status in HELD_STATUSES

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.held_on = timezone.localdate(self.held_at) if self.held_at else None
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.held_at and self.held_at > timezone.now():
            raise ValidationError({"held_at": "召开时间不能晚于现在（不能登记尚未召开的活动）。"})
        if self.organization_id and self.organization.established_on and self.held_at:
            established = self.organization.established_on
            if timezone.localdate(self.held_at) < established:
                raise ValidationError(
                    {"held_at": f"召开时间早于该党组织成立日期（{established:%Y-%m-%d}）。"}
                )


class ActivityCredit(models.Model):
    """One type an activity counts as; the primary type plus any explicitly also-counted types.

    Counting credits (not activities) keeps "党课3次" honest when one 主题党日 included a 党课,
    while the activity itself is still one record.
    """

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="credits")
    activity_type = models.ForeignKey(ActivityType, on_delete=models.PROTECT, related_name="credits")
    is_primary = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "activity_type"], name="credit_unique_type")
        ]
        indexes = [models.Index(fields=["activity_type", "activity"])]
        verbose_name = verbose_name_plural = "活动计数类型"

    def __str__(self) -> str:
        return f"{self.activity_id} → {self.activity_type_id}"


class Attendance(AuditedModel):
    """A member's (or an invited guest's) attendance at an activity, with make-up study."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="attendances"
    )
    guest_name = models.CharField("列席人员", max_length=50, blank=True)
    status = models.CharField(
        "出勤", max_length=10, choices=AttendanceStatus.choices, default=AttendanceStatus.PRESENT
    )
    leave_reason = models.CharField("请假事由", max_length=100, blank=True)
    makeup_on = models.DateField("补学日期", null=True, blank=True)
    makeup_note = models.CharField("补学内容", max_length=200, blank=True)
    # 扫码签到: when the member scanned in, and whether that was after the start plus the grace.
    signed_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    late = models.BooleanField("迟到", default=False)
    # The member reported the make-up study themselves (rather than the officer recording it).
    makeup_by_member = models.BooleanField("本人登记补学", default=False)
    # When the member confirmed their own attendance record as correct.
    confirmed_at = models.DateTimeField("本人确认时间", null=True, blank=True)

    scope_org = "activity__organization"
    scope_self = "member_id"

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "member"],
                condition=Q(member__isnull=False),
                name="attendance_once_per_member",
            )
        ]
        indexes = [models.Index(fields=["member", "status"])]
        verbose_name = verbose_name_plural = "出勤记录"

    def __str__(self) -> str:
        who = self.member.name if self.member_id else self.guest_name
        return f"{who} {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return self.activity.get_absolute_url() + "#attendance"

    def clean(self) -> None:
        if not self.member_id and not self.guest_name:
            raise ValidationError("请选择党员或填写列席人员姓名。")
        if self.status == AttendanceStatus.LEAVE and not self.leave_reason:
            raise ValidationError({"leave_reason": "请假须填写事由。"})
        if self.makeup_on and self.status == AttendanceStatus.PRESENT:
            raise ValidationError({"makeup_on": "出席的党员无需补学。"})


class Attachment(TimeStampedModel):
    """A file kept with an activity (photos, the scanned sign-in sheet, minutes), under var/."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(
        "类别", max_length=10, choices=AttachmentKind.choices, default=AttachmentKind.PHOTO
    )
    file = models.FileField("文件", upload_to="activities/%Y/%m/")
    original_name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    content_type = models.CharField("类型", max_length=100)

    scope_org = "activity__organization"
    scope_self = "activity__attendances__member"

    class Meta:
        ordering = ["activity", "kind", "id"]
        verbose_name = verbose_name_plural = "附件"

    def __str__(self) -> str:
        return self.original_name


class SpeakerDraw(TimeStampedModel):
    """A random pick of speakers among a 双周讲坛's attendees, kept with its seed to show it was fair."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="speaker_draws")
    seed = models.CharField("随机种子", max_length=64)
    count = models.PositiveSmallIntegerField("抽取人数")
    candidate_ids = models.JSONField("候选人（党员编号，按编号排序）")
    picked_ids = models.JSONField("抽中人员")

    scope_org = "activity__organization"

    class Meta:
        verbose_name = verbose_name_plural = "随机抽取发言人"

    def __str__(self) -> str:
        return f"{self.activity_id} 抽取{self.count}人"


class Reflection(AuditedModel):
    """A member's written study reflection (心得体会), optionally tied to an activity."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="reflections")
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="reflections"
    )
    title = models.CharField("题目", max_length=200)
    submitted_on = models.DateField("提交日期", db_index=True)
    text = models.TextField("内容", blank=True)
    # A member's own submission waits for an officer's review; one an officer files is accepted.
    status = models.CharField(
        "审阅状态", max_length=10, choices=ReflectionStatus.choices, default=ReflectionStatus.ACCEPTED
    )
    review_comment = models.CharField("审阅意见", max_length=200, blank=True)
    reviewed_at = models.DateTimeField("审阅时间", null=True, blank=True)

    scope_org = "member__organization"
    scope_self = "member_id"

    class Meta:
        ordering = ["-submitted_on", "-id"]
        verbose_name = verbose_name_plural = "心得体会"

    def __str__(self) -> str:
        return f"{self.member.name}：{self.title}"


class FeedKey(models.Model):
    """A user's calendar-subscription key generation: raising it revokes every .ics address the
    user was given before (a lost phone, a forwarded link), without touching their password."""

    user = models.OneToOneField(
        "auth.User", on_delete=models.CASCADE, related_name="feed_key", verbose_name="账号"
    )
    generation = models.PositiveIntegerField("代次", default=0)
    rotated_at = models.DateTimeField("最近重置", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "日历订阅凭据"

    def __str__(self) -> str:
        return f"{self.user_id}#{self.generation}"

    @classmethod
    def generation_of(cls, user: Any) -> int:
        return cls.objects.filter(user=user).values_list("generation", flat=True).first() or 0
