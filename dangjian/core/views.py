"""Login (throttled in core/throttle.py), changing one's own password, the home page assembled
from app panels, the audit log, and the 500 handler."""

from __future__ import annotations

import sys
from typing import Any

from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator

from dangjian.core.derived import rendered_part
from dangjian.core.home import panels_for
from dangjian.core.models import AuditLog
from dangjian.core.scope import Audience, access
from dangjian.core.throttle import lockout_minutes


class LockoutMessageMixin:
    """Says 登录失败次数过多 when the throttling backend refused the attempt (core/throttle.py)."""

    request: HttpRequest | None

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()  # type: ignore[misc]
        except ValidationError:
            if getattr(self.request, "login_locked", False):
                raise ValidationError(
                    "登录失败次数过多，该账号在此处已暂时锁定，请%(minutes)s分钟后再试，或请系统管理员解除锁定。",
                    code="throttled",
                    params={"minutes": lockout_minutes()},
                ) from None
            raise


class ThrottledAuthenticationForm(LockoutMessageMixin, AuthenticationForm):
    """The login form; throttling happens in the authentication backend, for every login form."""

    error_messages = {**AuthenticationForm.error_messages, "invalid_login": "用户名或密码不正确。"}


class ThrottledAdminAuthenticationForm(LockoutMessageMixin, AdminAuthenticationForm):
    """The Django admin's login form with the same lockout message."""


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from django.contrib.auth import get_user_model
        from django.db import DatabaseError

        context = super().get_context_data(**kwargs)
        # A fresh install has no account to log in with: the first-run guide makes the first one.
        # (A database not migrated yet has no tables at all: the login page still answers.)
        try:
            context["fresh_install"] = not get_user_model().objects.exists()
        except DatabaseError:
            context["fresh_install"] = False
        return context


class PasswordChangeView(auth_views.PasswordChangeView):
    """修改密码: every user changes their own; other sessions of the account end (Django's hash check)."""

    template_name = "core/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, "密码已修改。其他设备上的登录已失效，需要用新密码重新登录。")
        return response


@access(Audience.ANYONE)
def home(request: HttpRequest) -> HttpResponse:
    # Every app's panel, most of the page's CPU, changes only with the ledger: the rendered panels
    # are kept per user (the to-do list holds the user's own drafts) and ledger version.
    panels = rendered_part(
        "core.home",
        request,
        "core/_home_panels.html",
        lambda: {"panels": panels_for(request)},
        parts=(request.user.pk,),
    )
    return render(request, "core/home.html", {"panels_html": panels})


@access(Audience.ANYONE)
def notifications(request: HttpRequest) -> HttpResponse:
    """通知: the user's own notifications, newest first, unread ones marked."""
    from dangjian.core import notify

    page = Paginator(notify.inbox(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@access(Audience.ANYONE, post_only=True)
def notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification read (and go where it is dealt with, ``go=1``), or all of them."""
    from django.shortcuts import redirect

    from dangjian.core import notify

    raw = request.POST.get("id", "")
    if raw == "all":
        notify.mark_read(request.user)
        return redirect("core:notifications")
    if not raw.isdecimal():
        messages.error(request, "未指定要标记的通知。")
        return redirect("core:notifications")
    found = notify.inbox(request.user).filter(pk=int(raw)).first()
    if found is None:
        messages.error(request, "该通知不存在或不属于您。")
        return redirect("core:notifications")
    notify.mark_read(request.user, [found.pk])
    # Only a path inside this site: a notification never sends anyone elsewhere.
    if request.POST.get("go") and found.url.startswith("/") and not found.url.startswith("//"):
        return redirect(found.url)
    return redirect("core:notifications")


@access(Audience.ADMIN)
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = AuditLog.objects.select_related("content_type").order_by("-timestamp", "-id")
    kind = request.GET.get("model", "")
    if kind:
        entries = entries.filter(content_type__model=kind)
    object_id = request.GET.get("object", "")
    if object_id:
        entries = entries.filter(object_id=object_id)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"page": page, "model": kind, "object": object_id})


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a busy database that surfaced outside a view (a session save) is still a 503.

    Django calls this inside its ``except`` block, so the exception is at hand in sys.exc_info().
    """
    from dangjian.core.database import is_busy_error
    from dangjian.core.middleware import busy_response

    if is_busy_error(sys.exc_info()[1]):
        try:
            return busy_response(request)
        except Exception:  # the page shell itself needs the database; fall back to the plain page
            pass
    return HttpResponse(
        "<!doctype html><meta charset=utf-8><title>服务器错误 · 党建台账</title>"
        "<h1>服务器内部错误</h1><p>已记录此错误，请稍后重试；如反复出现，请联系系统管理员。</p>",
        status=500,
    )
