"""Login with throttling, the home page assembled from app panels, and the audit log."""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator

from dangjian.core.home import panels_for
from dangjian.core.models import AuditLog
from dangjian.core.scope import get_scope


def _throttle_keys(request: HttpRequest, username: str) -> list[str]:
    address = request.META.get("REMOTE_ADDR", "")
    return [f"login-fail:user:{username.lower()}", f"login-fail:addr:{address}"]


class ThrottledAuthenticationForm(AuthenticationForm):
    """Refuses further attempts after too many failures for a username or an address."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "用户名或密码不正确。",
        "throttled": "登录失败次数过多，请%(minutes)s分钟后再试。",
    }

    def clean(self) -> dict[str, Any]:
        username = self.data.get("username", "")
        keys = _throttle_keys(self.request, username)
        if any(cache.get(key, 0) >= settings.LOGIN_MAX_FAILURES for key in keys):
            raise ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": settings.LOGIN_LOCKOUT_SECONDS // 60},
            )
        try:
            return super().clean()
        except ValidationError:
            for key in keys:
                cache.add(key, 0, settings.LOGIN_LOCKOUT_SECONDS)
                cache.incr(key)
            raise


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"panels": panels_for(request)})


def audit_log(request: HttpRequest) -> HttpResponse:
    if get_scope(request.user).kind != "admin":
        raise PermissionDenied("只有系统管理员可以查看审计日志。")
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
