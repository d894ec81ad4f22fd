"""Accounts in the audit log: logins (success and failure, with the address), logouts, and every
change to an account that matters for security — password changed or reset, superuser or
staff granted or withdrawn, account deactivated or reactivated, renamed.

Django's User model is not ours, so its changes are caught with signals: ``pre_save`` reads
the stored row, ``post_save`` writes what changed. The password hash itself is never logged.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest

from dangjian.core.audit import current_actor, record_event
from dangjian.core.net import client_address
from dangjian.core.throttle import Attempt, clear_after_success, remember_device

User = get_user_model()
TRACKED = ("username", "is_active", "is_staff", "is_superuser", "first_name", "last_name", "email")


def _entry_point(request: HttpRequest | None) -> str:
    if request is None:
        return "命令行"
    return "管理后台" if request.path.startswith("/admin/") else "登录页"


@receiver(user_logged_in)
def _logged_in(sender: type, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    # No HTTP method: a login made in code (the test client's force_login), not by a person.
    if request is None or not request.method:
        return
    attempt = getattr(request, "login_attempt", None) or Attempt.from_request(request, user.get_username())
    clear_after_success(attempt)
    remember_device(request, user.get_username())
    record_event(
        User,
        user.pk,
        user.get_username(),
        "登录成功",
        {"地址": client_address(request), "入口": _entry_point(request)},
        actor=user,
    )


@receiver(user_login_failed)
def _login_failed(
    sender: str, credentials: dict[str, Any], request: HttpRequest | None = None, **kw: Any
) -> None:
    username = str(credentials.get(User.USERNAME_FIELD) or credentials.get("username") or "")
    user = User.objects.filter(**{User.USERNAME_FIELD: username}).first() if username else None
    locked = bool(getattr(request, "login_locked", False))
    record_event(
        User,
        user.pk if user else "",
        username or "（未填用户名）",
        "登录被拒（已锁定）" if locked else "登录失败",
        {"地址": client_address(request), "入口": _entry_point(request)},
        actor_name="匿名",
    )


@receiver(user_logged_out)
def _logged_out(sender: type, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and request.method and getattr(user, "pk", None):
        record_event(
            User, user.pk, user.get_username(), "退出登录", {"地址": client_address(request)}, actor=user
        )


@receiver(pre_save, sender=User)
def _remember_stored_account(sender: type, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    instance._audit_stored = None
    update_fields = kwargs.get("update_fields")
    if raw or not instance.pk or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    instance._audit_stored = sender.objects.filter(pk=instance.pk).values(*TRACKED, "password").first()


@receiver(post_save, sender=User)
def _log_account_change(sender: type, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    if created:
        record_event(
            User,
            instance.pk,
            instance.get_username(),
            "新建账号",
            {f: [None, getattr(instance, f)] for f in ("is_active", "is_staff", "is_superuser")},
        )
        return
    stored = getattr(instance, "_audit_stored", None)
    if not stored:
        return
    changes: dict[str, Any] = {
        field: [stored[field], getattr(instance, field)]
        for field in TRACKED
        if stored[field] != getattr(instance, field)
    }
    verbs = []
    if stored["password"] != instance.password:
        actor, _via = current_actor()
        own = actor is not None and actor.pk == instance.pk
        verbs.append("修改密码" if own else "重置密码")
        changes["密码"] = "已更改"
    if "is_superuser" in changes:
        verbs.append("授予超级管理员" if instance.is_superuser else "撤销超级管理员")
    if "is_staff" in changes:
        verbs.append("授予管理后台权限" if instance.is_staff else "撤销管理后台权限")
    if "is_active" in changes:
        verbs.append("启用账号" if instance.is_active else "停用账号")
    if changes:
        record_event(User, instance.pk, instance.get_username(), "、".join(verbs) or "修改账号", changes)
    instance._audit_stored = None
