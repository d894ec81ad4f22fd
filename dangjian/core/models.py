"""Base models, the audit log and user roles — no domain knowledge beyond who may see what."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from dangjian.core.choices import ROLE_PERSONAL_DATA, ROLE_REACH, ROLE_WRITES, AuditAction, RoleKind


class TimeStampedModel(models.Model):
    """Abstract base: when a row was created and last changed."""

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class AuditedModel(TimeStampedModel):
    """Abstract base whose saves and deletes are written to the audit log with a field diff.

    The values loaded from the database are remembered so that an update logs only the fields
    that changed, each with its before and after value.
    """

    audit_exclude: tuple[str, ...] = ("created_at", "updated_at")

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):  # type: ignore[no-untyped-def]
        instance = super().from_db(db, field_names, values)
        instance._audit_loaded = dict(zip(field_names, values, strict=True))
        return instance

    def audit_values(self) -> dict[str, Any]:
        return {
            f.attname: getattr(self, f.attname)
            for f in self._meta.concrete_fields
            if f.attname not in self.audit_exclude and f.name not in self.audit_exclude
        }


class AuditLog(models.Model):
    """One change to an audited record: who, when, what, and each field's before/after value."""

    timestamp = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    via = models.CharField("途径", max_length=20, default="web")
    action = models.CharField("动作", max_length=10, choices=AuditAction.choices)
    verb = models.CharField("说明", max_length=60, blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=40, db_index=True)
    object_repr = models.CharField("对象", max_length=200)
    changes = models.JSONField("变更", default=dict, blank=True)

    class Meta:
        ordering = ["-timestamp", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = verbose_name_plural = "审计日志"

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()} {self.object_repr}"


class Role(AuditedModel):
    """A user's role and, for branch officers, the organization whose subtree they manage.

    The member link lets an ordinary member see their own record and lets every role be
    connected to the roster. References to orgs/members are lazy: core imports neither.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role")
    kind = models.CharField("角色", max_length=20, choices=RoleKind.choices)
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name="负责组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    member = models.OneToOneField(
        "members.Member",
        verbose_name="对应党员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="role",
    )

    class Meta:
        verbose_name = verbose_name_plural = "用户角色"

    def __str__(self) -> str:
        return f"{self.user.username}（{self.get_kind_display()}）"

    @property
    def reach(self) -> str:
        return ROLE_REACH[RoleKind(self.kind)]

    @property
    def can_write(self) -> bool:
        return RoleKind(self.kind) in ROLE_WRITES

    @property
    def sees_personal_data(self) -> bool:
        return RoleKind(self.kind) in ROLE_PERSONAL_DATA

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.kind == RoleKind.ORG_OFFICER and not self.organization_id:
            raise ValidationError({"organization": "党务干部/支部书记必须指定负责的党组织。"})
        if self.kind == RoleKind.MEMBER and not self.member_id:
            raise ValidationError({"member": "党员账号必须关联花名册中的党员。"})


class LoginFailure(models.Model):
    """One failed login: which account name, from which address and browser, when.

    The login throttle counts these rows (core/throttle.py). They live in the database, not a
    per-process cache, so every server process sees the same counts.
    """

    at = models.DateTimeField("时间", db_index=True)
    username = models.CharField("用户名", max_length=150)
    address = models.CharField("地址", max_length=45, blank=True)
    device = models.CharField("浏览器标识", max_length=32, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["username", "at"]),
            models.Index(fields=["address", "at"]),
        ]
        verbose_name = verbose_name_plural = "登录失败记录"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.address}"


class Job(models.Model):
    """A long piece of work run by the job worker: who asked, how far it got, and what came of it.

    Run through ``dangjian.core.jobs`` (see there for why a re-run never applies work twice).
    Not audited: the work a job does (an import, a draft, the dues run) writes its own audit rows;
    the job row only follows it. An uploaded input and a produced file live under JOBS_DIR/<id>/
    and are deleted JOB_KEEP_DAYS after the job ends.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("类型", max_length=60)
    title = models.CharField("任务", max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    arguments = models.JSONField("参数", default=dict, blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.QUEUED)
    # Each retry is a new attempt; a run carries its attempt number and claims only that one.
    attempt = models.PositiveSmallIntegerField("第几次", default=1)
    task_id = models.CharField("队列任务编号", max_length=64, blank=True)
    worker = models.CharField("执行进程", max_length=100, blank=True)
    input_name = models.CharField("上传文件", max_length=200, blank=True)
    done = models.PositiveIntegerField("已完成", default=0)
    total = models.PositiveIntegerField("总数", default=0)
    stage = models.CharField("进度说明", max_length=200, blank=True)
    result = models.JSONField("结果", default=dict, blank=True)
    result_url = models.CharField("结果链接", max_length=300, blank=True)
    result_label = models.CharField("结果链接文字", max_length=60, blank=True)
    result_file = models.CharField("结果文件名", max_length=200, blank=True)
    error = models.TextField("错误", blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"])]
        verbose_name = verbose_name_plural = "后台任务"

    def __str__(self) -> str:
        return f"{self.title}（{self.get_state_display()}）"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("core:job", args=[self.pk])

    @classmethod
    def scope_q(cls, scope: Any) -> models.Q:
        """Jobs belong to their owner, not to an organization: by reach, only administrators see them.

        Owners read their own through ``jobs.visible_jobs(user)``, which adds them to this.
        """
        return models.Q() if scope.is_admin else models.Q(pk__in=[])

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def directory(self) -> Any:
        """Where this job's uploaded input and produced file are kept (a pathlib.Path)."""
        return settings.JOBS_DIR / str(self.pk)

    @property
    def input_path(self) -> Any:
        return self.directory / "input"

    @property
    def result_path(self) -> Any:
        return self.directory / "result"

    @property
    def has_result_file(self) -> bool:
        return bool(self.result_file) and self.result_path.exists()

    @property
    def percent(self) -> int:
        return min(100, self.done * 100 // self.total) if self.total else 0


class Notification(models.Model):
    """A message to one user inside the app: a plan returned, a record verified, a reflection reviewed.

    Not audited: it only follows an audited change (the action that sent it wrote the audit row).
    It belongs to its recipient, not to an organization, so only its recipient ever reads it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField("类别", max_length=40, blank=True)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("办理链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]
        verbose_name = verbose_name_plural = "通知"

    def __str__(self) -> str:
        return f"{self.user} {self.title}"

    @classmethod
    def scope_q(cls, scope: Any) -> models.Q:
        """By reach nobody reads another's notifications; recipients read theirs via notify.inbox(user)."""
        return models.Q(pk__in=[])


class DigestSent(models.Model):
    """One user's daily e-mail digest went out on a day, so a second run that day sends nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    on = models.DateField("日期")
    items = models.PositiveIntegerField("事项数", default=0)
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "on"], name="digest_once_a_day")]
        verbose_name = verbose_name_plural = "每日提醒邮件"

    def __str__(self) -> str:
        return f"{self.user} {self.on}"
