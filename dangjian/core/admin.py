"""The Django admin in Chinese: accounts with their role (账号管理), roles, and the read-only audit log.

Account changes made here (password reset, deactivation, superuser grant, role change) are
written to the audit log by the signal handlers in core/accounts.py and core/audit.py.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Lower
from django.http import HttpRequest

from dangjian.core import throttle
from dangjian.core.models import AuditLog, Job, LoginFailure, Role

User = get_user_model()


class RoleInline(admin.StackedInline):
    model = Role
    can_delete = False
    raw_id_fields = ["member", "organization"]
    extra = 0
    max_num = 1


@admin.action(description="停用所选账号（不能再登录）")
def deactivate(modeladmin: Any, request: HttpRequest, queryset: QuerySet) -> None:
    changed = 0
    for user in queryset.exclude(pk=request.user.pk).filter(is_active=True):
        user.is_active = False
        user.save()  # one by one, so each deactivation is audited
        changed += 1
    modeladmin.message_user(request, f"已停用 {changed} 个账号（不能停用自己的账号）。", messages.SUCCESS)


@admin.action(description="启用所选账号")
def reactivate(modeladmin: Any, request: HttpRequest, queryset: QuerySet) -> None:
    changed = 0
    for user in queryset.filter(is_active=False):
        user.is_active = True
        user.save()
        changed += 1
    modeladmin.message_user(request, f"已启用 {changed} 个账号。", messages.SUCCESS)


@admin.action(description="解除登录锁定")
def unlock_login(modeladmin: Any, request: HttpRequest, queryset: QuerySet) -> None:
    from dangjian.core.audit import record_event

    for user in queryset:
        if throttle.unlock(user.get_username()):
            record_event(User, user.pk, user.get_username(), "解除登录锁定", actor=request.user, via="admin")
    modeladmin.message_user(request, "已解除所选账号的登录锁定。", messages.SUCCESS)


admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    """账号管理: role beside the account; deactivate, reactivate, unlock; reset a password (“重置密码”)."""

    inlines = [RoleInline]
    list_display = [
        "username",
        "full_name",
        "role_label",
        "is_active",
        "is_superuser",
        "last_login",
        "locked",
    ]
    list_filter = ["is_active", "is_superuser", "role__kind"]
    list_select_related = ["role"]
    actions = [deactivate, reactivate, unlock_login]

    @admin.display(description="姓名")
    def full_name(self, obj: Any) -> str:
        return obj.get_full_name()

    @admin.display(description="角色")
    def role_label(self, obj: Any) -> str:
        role = getattr(obj, "role", None)
        return role.get_kind_display() if role else "—"

    @admin.display(description="登录锁定", boolean=True)
    def locked(self, obj: Any) -> bool:
        return obj.recent_failures >= settings.LOGIN_MAX_FAILURES

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # The lock column from one subquery for the whole page, not a query per row.
        failures = (
            LoginFailure.objects.filter(username=Lower(OuterRef("username")), at__gte=throttle.window_start())
            .order_by()
            .values("username")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return super().get_queryset(request).annotate(recent_failures=Coalesce(Subquery(failures), 0))


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    """Roles on their own list; they are also edited on each account's page."""

    list_display = ["user", "kind", "organization", "member"]
    list_filter = ["kind"]
    raw_id_fields = ["member", "organization"]


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    """Read-only: nobody edits the audit log, not even an administrator."""

    list_display = ["timestamp", "actor_name", "via", "action", "verb", "content_type", "object_repr"]
    list_filter = ["action", "via", "content_type"]
    search_fields = ["object_repr", "actor_name"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Read-only: a job is changed by its worker, or retried by its owner on its page."""

    list_display = ["created_at", "title", "kind", "owner", "state", "attempt", "finished_at"]
    list_filter = ["state", "kind"]
    search_fields = ["title", "owner__username"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
