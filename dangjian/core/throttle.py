"""Login throttling that stops password guessing without locking out people who did not fail.

The policy (README, "登录限制"), counted over the last ``LOGIN_LOCKOUT_SECONDS`` (15 minutes):

1. **Account from one address** — ``LOGIN_MAX_FAILURES`` (5) failures for a user name from one
   address lock that name *from that address*. Others behind the same office NAT or proxy,
   signing in with their own names, are not affected.
2. **Account from anywhere** — ``LOGIN_MAX_FAILURES_PER_ACCOUNT`` (20) failures for a user
   name from any addresses lock that name against guessing spread over many addresses.
3. **Address** — past ``LOGIN_MAX_FAILURES_PER_ADDRESS`` (100) failures from one address (a
   password spray over many names), every name that has failed from there is locked from
   there. A name that has not failed from that address still signs in: an address lockout
   never stops a user who did not fail.
4. **Known browser** — a browser where a user signed in successfully carries a signed
   device cookie for that user. For it, rules 1–3 give way to one of its own: 5 failures from
   *that browser*. So someone guessing ``zb1``'s password, even from the same NAT, cannot lock
   the real ``zb1`` out of the browser they always use.

Failures are rows in ``LoginFailure`` (shared by every server process); a success clears the
failures of that name from that address and browser. A refused attempt while locked is not
counted, so waiting out the window always lifts the lock. Administrators can lift it at once
(账号管理 → 解除登录锁定).

The check sits in the authentication backend, so every login form — ours at /login/, the
Django admin's at /admin/login/, any other that calls ``authenticate()`` — goes through it.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from dangjian.core.models import LoginFailure
from dangjian.core.net import client_address

DEVICE_COOKIE = "dangjian_device"
_DEVICE_SALT = "dangjian.core.throttle.device"
_DEVICE_MAX_AGE = 180 * 24 * 3600
_DEVICE_MAX_USERS = 5  # a shared office browser remembers its last few users


def normalize(username: str | None) -> str:
    return (username or "").strip().lower()[:150]


@dataclass(frozen=True)
class Attempt:
    """Who tries to sign in, from where, and whether their browser is known for that name."""

    username: str
    address: str
    device: str
    known_device: bool

    @classmethod
    def from_request(cls, request: HttpRequest | None, username: str | None) -> Attempt:
        name = normalize(username)
        cookie = read_device_cookie(request)
        return cls(
            username=name,
            address=client_address(request),
            device=cookie.get("id", ""),
            known_device=name in cookie.get("users", []),
        )


def window_start() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)


def is_locked(attempt: Attempt) -> bool:
    """Whether this attempt is refused under the policy in the module docstring (one query)."""
    if not attempt.username:
        return False
    pair = Q(username=attempt.username, address=attempt.address)
    device = Q(username=attempt.username, device=attempt.device) if attempt.device else Q(pk__in=[])
    counts = LoginFailure.objects.filter(
        Q(username=attempt.username) | Q(address=attempt.address), at__gte=window_start()
    ).aggregate(
        pair=Count("pk", filter=pair),
        account=Count("pk", filter=Q(username=attempt.username)),
        address=Count("pk", filter=Q(address=attempt.address)),
        device=Count("pk", filter=device),
    )
    limit = settings.LOGIN_MAX_FAILURES
    if attempt.known_device:
        return counts["device"] >= limit
    return (
        counts["pair"] >= limit
        or counts["account"] >= settings.LOGIN_MAX_FAILURES_PER_ACCOUNT
        or (counts["address"] >= settings.LOGIN_MAX_FAILURES_PER_ADDRESS and counts["pair"] > 0)
    )


def record_failure(attempt: Attempt) -> None:
    LoginFailure.objects.create(
        at=timezone.now(), username=attempt.username, address=attempt.address, device=attempt.device
    )
    # Rows older than the window no longer count; keep the table small.
    LoginFailure.objects.filter(at__lt=window_start()).delete()


def clear_after_success(attempt: Attempt) -> None:
    scope = Q(address=attempt.address) | (Q(device=attempt.device) if attempt.device else Q(pk__in=[]))
    LoginFailure.objects.filter(scope, username=attempt.username).delete()


def unlock(username: str) -> int:
    """Lift every lock on ``username`` (an administrator's action); returns the failures removed."""
    deleted, _ = LoginFailure.objects.filter(username=normalize(username)).delete()
    return deleted


def lockout_minutes() -> int:
    return max(1, settings.LOGIN_LOCKOUT_SECONDS // 60)


class ThrottledModelBackend(ModelBackend):
    """ModelBackend that refuses locked attempts and records failed ones.

    Raising PermissionDenied makes ``authenticate()`` stop and report a failed login; the login
    forms read ``request.login_locked`` to say why in Chinese.
    """

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kw: Any
    ) -> Any:
        if username is None:
            username = kw.get(self._username_field())
        attempt = Attempt.from_request(request, username)
        if request is not None:
            request.login_attempt = attempt  # type: ignore[attr-defined]
        if is_locked(attempt):
            if request is not None:
                request.login_locked = True  # type: ignore[attr-defined]
            raise PermissionDenied("login locked")
        user = super().authenticate(request, username=username, password=password, **kw)
        if user is None and username is not None and password is not None:
            record_failure(attempt)
        return user

    @staticmethod
    def _username_field() -> str:
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD


# Device cookies ----------------------------------------------------------------------------
def read_device_cookie(request: HttpRequest | None) -> dict[str, Any]:
    if request is None:
        return {}
    raw = request.COOKIES.get(DEVICE_COOKIE)
    if not raw:
        return {}
    try:
        value = signing.loads(raw, salt=_DEVICE_SALT, max_age=_DEVICE_MAX_AGE)
    except signing.BadSignature:
        return {}
    if not isinstance(value, dict) or not isinstance(value.get("users"), list):
        return {}
    return value


def remember_device(request: HttpRequest, username: str) -> None:
    """After a successful login: mark this browser as known for ``username`` (set on the response)."""
    cookie = read_device_cookie(request)
    users = [u for u in cookie.get("users", []) if u != normalize(username)]
    users = [normalize(username), *users][:_DEVICE_MAX_USERS]
    request.device_cookie = {"id": cookie.get("id") or secrets.token_hex(8), "users": users}  # type: ignore[attr-defined]


class DeviceCookieMiddleware:
    """Writes the device cookie that ``remember_device()`` prepared during a login."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        value = getattr(request, "device_cookie", None)
        if value is not None:
            response.set_cookie(
                DEVICE_COOKIE,
                signing.dumps(value, salt=_DEVICE_SALT),
                max_age=_DEVICE_MAX_AGE,
                httponly=True,
                secure=settings.SESSION_COOKIE_SECURE,
                samesite="Lax",
            )
        return response
