"""Request middleware: attribute audited changes to the logged-in user; require login; 503 when busy."""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import unquote

from django.contrib.auth.middleware import LoginRequiredMiddleware as _DjangoLoginRequired
from django.http import FileResponse, HttpRequest, HttpResponse

from dangjian.core.audit import acting

logger = logging.getLogger(__name__)


class AuditActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with acting(request.user, via="web"):
            return self.get_response(request)


class NulCharacterMiddleware:
    """Refuse a request whose query or form values contain a NUL character (400, in Chinese).

    No text a user types holds one; PostgreSQL cannot store or even compare it (a query with
    one in a filter fails), and SQLite would keep it silently. Forms reject it field by field,
    but pages also read query parameters directly, so it is refused once, here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for params in (request.GET, request.POST if request.method == "POST" else {}):
            for values in params.lists() if hasattr(params, "lists") else ():
                if any("\x00" in value for value in values[1]):
                    from django.template.loader import render_to_string

                    body = render_to_string("400.html", {"nul": True}, request=request)
                    return HttpResponse(body, status=400)
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages served to a signed-in user are never kept by the browser or a proxy.

    Nearly every page behind the login shows someone's personal data or political record (names,
    ID numbers, attendance, dues), and an office PC is often shared: with ``no-store`` the back
    button after logging out and a proxy's cache show nothing. Static files keep their caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store, private"
        return response


class LoginRequiredMiddleware(_DjangoLoginRequired):
    """Every page needs a login unless its view is marked ``login_not_required``."""


def busy_response(request: HttpRequest) -> HttpResponse:
    """503 系统繁忙: the page says so and offers to send the same form again with the user's input.

    The posted values go back into hidden fields of a form aimed at the same address, so the
    user loses nothing by a moment's congestion; passwords and the old CSRF token are left out
    (a fresh token is rendered), and uploaded files cannot be kept, which the page says.
    """
    from django.template.loader import render_to_string

    resubmit: list[tuple[str, str]] = []
    if request.method == "POST":
        for name, values in request.POST.lists():
            if name == "csrfmiddlewaretoken" or "password" in name.lower():
                continue
            resubmit.extend((name, value) for value in values)
    context = {
        "resubmit": resubmit,
        "is_post": request.method == "POST",
        "had_files": bool(request.method == "POST" and request.FILES),
        "had_password": any("password" in name.lower() for name in request.POST),
        "action": request.get_full_path(),
    }
    body = render_to_string("503.html", context, request=request)
    response = HttpResponse(body, status=503)
    response["Retry-After"] = "5"
    return response


class DatabaseBusyMiddleware:
    """Answer 503 系统繁忙 (keeping the user's input) when the database was locked or timed out.

    With WAL and a busy timeout SQLite makes a writer wait for another writer; only a write that
    still cannot get the lock in time (a long import holding it) reaches here. On PostgreSQL the
    lock and statement timeouts end here too. Any other database error stays a 500.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from dangjian.core.database import is_busy_error

        if is_busy_error(exception):
            logger.warning("database busy on %s %s: %s", request.method, request.path, exception)
            return busy_response(request)
        if _out_of_range(exception):
            # The last line of defence: forms and parsers bound their numbers and dates, but a
            # value that slips past them must get an answer, not a server error. Logged as an
            # error so the form that let it through gets fixed.
            logger.error("value out of range on %s %s", request.method, request.path, exc_info=exception)
            from django.template.loader import render_to_string

            body = render_to_string("400.html", {}, request=request)
            return HttpResponse(body, status=400)
        return None


def _out_of_range(exception: Exception) -> bool:
    from django.db import DataError

    if isinstance(exception, OverflowError):
        return True
    return isinstance(exception, DataError) and "out of range" in str(exception)


def _download_name(disposition: str) -> str:
    """The file name from a Content-Disposition header (RFC 6266 filename* first)."""
    name = ""
    for part in disposition.split(";"):
        key, _, value = part.strip().partition("=")
        value = value.strip().strip('"')
        if key.lower() == "filename*" and "''" in value:
            return unquote(value.split("''", 1)[1])
        if key.lower() == "filename":
            name = value
    return name


class DownloadAuditMiddleware:
    """Every file a user downloads (roster, dues lists, reports, documents) goes into the audit log.

    Exports carry personal data; logging them here, by the response's Content-Disposition,
    covers every export view, present and future, without each remembering to do it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        disposition = response.get("Content-Disposition", "")
        # Attachments, and stored files shown inline (a scanned sign-in sheet opened as a PDF).
        is_file = disposition.lower().startswith("attachment") or (
            disposition and isinstance(response, FileResponse)
        )
        if response.status_code == 200 and is_file:
            from django.contrib.auth import get_user_model

            from dangjian.core.audit import record_event
            from dangjian.core.net import client_address

            user = request.user
            size = response.get("Content-Length") or (
                len(response.content) if not response.streaming else None
            )
            record_event(
                get_user_model(),
                user.pk,
                user.get_username(),
                "下载文件",
                {
                    "文件": _download_name(disposition),
                    "网址": request.get_full_path()[:500],
                    "大小（字节）": int(size) if size is not None else None,
                    "地址": client_address(request),
                },
                actor=user,
            )
        return response


class ContentSecurityPolicyMiddleware:
    """Send the Content-Security-Policy header (settings.CONTENT_SECURITY_POLICY) on every page.

    Django has no CSP of its own. The policy allows scripts only from our static files, so the
    templates carry no inline <script> and no on…= handlers (tests/test_csp.py keeps it so).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        from django.conf import settings

        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY
        self.header = (
            "Content-Security-Policy-Report-Only"
            if settings.CONTENT_SECURITY_POLICY_REPORT_ONLY
            else "Content-Security-Policy"
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy and self.header not in response:
            response[self.header] = self.policy
        return response
