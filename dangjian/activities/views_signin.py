"""扫码签到 pages: the officer's sign-in screen, the member's scan, and the paper 签到表."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from dangjian.activities import actions, signin
from dangjian.activities.choices import AttendanceStatus
from dangjian.activities.models import Activity
from dangjian.core.scope import Audience, access, get_in_scope, get_scope, restrict
from dangjian.members.models import Member

# How long a scanned code lets the member finish logging in before confirming.
PASS_SECONDS = 300
PASS_KEY = "signin_pass"


def _activities(user: Any) -> Any:
    return restrict(Activity.objects.select_related("organization", "activity_type"), user)


def _sheet(activity: Activity) -> list[dict[str, Any]]:
    """One line per member of the roster: signed in (when, late) or not yet."""
    rows = {a.member_id: a for a in activity.attendances.filter(member__isnull=False)}
    lines = []
    for member in actions.signin_roster(activity):
        row = rows.get(member.pk)
        signed = row is not None and row.status == AttendanceStatus.PRESENT
        lines.append({"member": member, "row": row, "signed": signed})
    return lines


def _screen_context(request: HttpRequest, activity: Activity) -> dict[str, Any]:
    now = time.time()
    token = signin.make_token(activity.pk, now)
    scan_url = request.build_absolute_uri(reverse("activities:signin-scan", args=[token]))
    lines = _sheet(activity)
    signed = [line for line in lines if line["signed"]]
    return {
        "a": activity,
        "qr": signin.qr_svg(scan_url),
        "scan_url": scan_url,
        "seconds_left": signin.seconds_left(now),
        "lines": lines,
        "signed_count": len(signed),
        "late_count": sum(1 for line in signed if line["row"].late),
        "total": len(lines),
        "grace": settings.SIGNIN_GRACE_MINUTES,
    }


@access(Audience.OFFICERS, writes=True, get_writes=True, target="activities.Activity")
def signin_screen(request: HttpRequest, pk: int) -> HttpResponse:
    """The screen shown on a projector or the officer's phone: a code that changes every 30 s and
    the list filling live (htmx polls ``?part=live``); the officer corrects a line by POST."""
    activity = get_in_scope(_activities(request.user), request.user, pk=pk)
    actions.check_write(request.user, activity.organization, "组织签到")
    error = ""
    if request.method == "POST":
        raw = request.POST.get("member", "")
        member = Member.objects.filter(pk=int(raw)).first() if raw.isdecimal() and len(raw) < 12 else None
        try:
            if member is None:
                raise ValidationError("请选择要更正的党员。")
            actions.do_correct_sign_in(
                activity, member, request.POST.get("status", ""), acting_user=request.user
            )
        except ValidationError as exc:
            error = "；".join(exc.messages)
        else:
            if not request.headers.get("HX-Request"):
                messages.success(request, f"已更正{member.name}的签到。")
                return redirect("activities:signin-screen", pk=activity.pk)
    try:
        actions._check_signin_open(activity)
    except ValidationError as exc:
        error = error or "；".join(exc.messages)
        context = {"a": activity, "closed": True, "error": error}
        return render(request, "activities/signin_screen.html", context)
    context = {**_screen_context(request, activity), "error": error}
    if request.headers.get("HX-Request") or request.GET.get("part") == "live":
        return render(request, "activities/_signin_live.html", context)
    return render(request, "activities/signin_screen.html", context)


@access(Audience.PUBLIC)
def signin_scan(request: HttpRequest, token: str) -> HttpResponse:
    """What a member's phone opens from the code: a genuine, current token earns a short pass in
    the session (kept across logging in), then the confirmation page."""
    try:
        activity_id = signin.read_token(token)
    except signin.TokenError as exc:
        return render(request, "activities/signin_me.html", {"error": str(exc)}, status=400)
    request.session[PASS_KEY] = {"activity": activity_id, "until": time.time() + PASS_SECONDS}
    return redirect("activities:signin-me")


@access(Audience.MEMBERS)
def signin_me(request: HttpRequest) -> HttpResponse:
    """The member confirms (one tap) and is marked present — late after the start plus the grace."""
    granted = request.session.get(PASS_KEY) or {}
    activity = None
    if granted.get("until", 0) >= time.time():
        activity = (
            Activity.objects.select_related("organization", "activity_type")
            .filter(pk=granted.get("activity"))
            .first()
        )
    if activity is None:
        error = "请扫描会场屏幕上的签到二维码。" if not granted else signin.EXPIRED
        return render(request, "activities/signin_me.html", {"error": error})
    scope = get_scope(request.user)
    row = activity.attendances.filter(member_id=scope.member_id).first() if scope.member_id else None
    error = ""
    if request.method == "POST":
        try:
            row = actions.do_sign_in(activity, acting_user=request.user, at=timezone.now())
        except (ValidationError, PermissionDenied) as exc:
            error = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        else:
            del request.session[PASS_KEY]
    return render(
        request,
        "activities/signin_me.html",
        {"a": activity, "row": row if row and row.signed_in_at else None, "error": error},
    )


@access(Audience.OFFICERS, target="activities.Activity")
def signin_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The paper 签到表 for branches that sign by hand; its result is typed into the attendance grid."""
    activity = get_in_scope(_activities(request.user), request.user, pk=pk)
    return render(
        request,
        "activities/signin_sheet.html",
        {
            "a": activity,
            "lines": _sheet(activity),
            "may_write": get_scope(request.user).can_write_in(activity.organization),
        },
    )
