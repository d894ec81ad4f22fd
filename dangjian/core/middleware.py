"""Request middleware: attribute audited changes to the logged-in user; require login; 503 when busy."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.contrib.auth.middleware import LoginRequiredMiddleware as _DjangoLoginRequired
from django.http import HttpRequest, HttpResponse

from dangjian.core.audit import acting

logger = logging.getLogger(__name__)


class AuditActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with acting(request.user, via="web"):
            return self.get_response(request)


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

        if not is_busy_error(exception):
            return None
        logger.warning("database busy on %s %s: %s", request.method, request.path, exception)
        return busy_response(request)
