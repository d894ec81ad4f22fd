"""A member's own part (我的组织生活): confirm attendance, report make-up study for what they
missed, submit reflections; and the officer's review of submitted reflections.

Members may not write the ledger (their role is read-only); these pages act only on the member's
own records, through actions that check that themselves (``actions._require_own``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from dangjian.activities import actions
from dangjian.activities.choices import HELD_STATUSES, AttendanceStatus, ReflectionStatus
from dangjian.activities.models import Activity, Attendance, Reflection
from dangjian.core.dates import today
from dangjian.core.scope import NOT_FOUND, Audience, access, get_in_scope, get_scope, restrict

NO_MEMBER = "您的账号没有关联花名册中的党员，没有本人的组织生活记录。"


def _messages(exc: ValidationError) -> str:
    return "；".join(str(m) for m in exc.messages)


def _own_attendance(request: HttpRequest) -> Attendance:
    scope = get_scope(request.user)
    try:
        return Attendance.objects.select_related("activity", "activity__organization", "member").get(
            pk=int(request.POST.get("attendance", "")), member_id=scope.member_id
        )
    except (Attendance.DoesNotExist, ValueError) as exc:
        raise Http404(NOT_FOUND) from exc


@access(Audience.MEMBERS)
def mine(request: HttpRequest) -> HttpResponse:
    """我的组织生活: this year's (and last year's) records, what is missing, and what to do about it."""
    scope = get_scope(request.user)
    if request.method == "POST":
        if scope.member_id is None:
            messages.error(request, NO_MEMBER)
            return redirect("activities:mine")
        attendance = _own_attendance(request)
        what = request.POST.get("do", "")
        try:
            if what == "makeup":
                raw = request.POST.get("makeup_on", "")
                try:
                    day = datetime.date.fromisoformat(raw) if raw else None
                except ValueError:
                    raise ValidationError({"makeup_on": f"补学日期“{raw}”不是有效日期。"}) from None
                actions.do_member_makeup(
                    attendance,
                    makeup_on=day,
                    note=request.POST.get("makeup_note", ""),
                    acting_user=request.user,
                )
                done = "补学已登记，支部会看到。"
            elif what in ("confirm", "dispute"):
                actions.do_confirm_attendance(
                    attendance,
                    correct=what == "confirm",
                    note=request.POST.get("note", ""),
                    acting_user=request.user,
                )
                done = "已确认出勤记录。" if what == "confirm" else "已告知支部，请等待核实更正。"
            else:
                raise ValidationError("未知的操作。")
        except ValidationError as exc:
            messages.error(request, f"{attendance.activity.topic}：{_messages(exc)}")
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{attendance.activity.topic}：{done}")
        return redirect(f"{request.path}#a{attendance.pk}")

    rows: list[Attendance] = []
    reflections: dict[int, Reflection] = {}
    if scope.member_id is not None:
        rows = list(
            Attendance.objects.filter(
                member_id=scope.member_id,
                activity__status__in=HELD_STATUSES,
                activity__held_on__year__gte=today().year - 1,
            )
            .select_related("activity", "activity__activity_type", "activity__organization")
            .order_by("-activity__held_on", "-id")
        )
        for r in Reflection.objects.filter(member_id=scope.member_id, activity__isnull=False).order_by("id"):
            reflections[r.activity_id] = r
    missed = [a for a in rows if a.status != AttendanceStatus.PRESENT and not a.makeup_on]
    for a in rows:
        a.reflection = reflections.get(a.activity_id)  # type: ignore[attr-defined]
    return render(
        request,
        "activities/mine.html",
        {
            "has_member": scope.member_id is not None,
            "missed": missed,
            "rows": rows,
            "unconfirmed": sum(1 for a in rows if not a.confirmed_at),
            "today": today(),
        },
    )


@access(Audience.MEMBERS, query={"activity": "activities.Activity"}, query_required=True)
def reflection_submit(request: HttpRequest) -> HttpResponse:
    """A member writes (or rewrites, once returned) their reflection on an activity they attended."""
    scope = get_scope(request.user)
    activity = get_in_scope(
        Activity.objects.select_related("organization", "activity_type"),
        request.user,
        pk=request.GET.get("activity") or request.POST.get("activity"),
    )
    if scope.member_id is None:
        messages.error(request, NO_MEMBER)
        return redirect(activity)
    current = Reflection.objects.filter(member_id=scope.member_id, activity=activity).order_by("-id").first()
    errors: dict[str, list[str]] = {}
    values = {"title": current.title if current else "", "text": current.text if current else ""}
    if request.method == "POST":
        values = {"title": request.POST.get("title", ""), "text": request.POST.get("text", "")}
        try:
            actions.do_submit_reflection(activity, acting_user=request.user, **values)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                errors = {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
            else:
                errors = {"all": [str(m) for m in exc.messages]}
        else:
            messages.success(request, "心得体会已提交，等待支部审阅。")
            return redirect("activities:mine")
    return render(
        request,
        "activities/reflection_submit.html",
        {"activity": activity, "current": current, "values": values, "errors": errors},
    )


@access(Audience.OFFICERS, writes=True, post_only=True)
def reflection_review(request: HttpRequest) -> HttpResponse:
    """An officer accepts or returns a member's submitted reflection (id in the form)."""
    target = "activities:reflections"
    raw = request.POST.get("reflection", "")
    if not raw:
        messages.error(request, "没有指定要审阅的心得体会。")
        return redirect(target)
    reflection = get_in_scope(
        Reflection.objects.select_related("member", "member__organization"), request.user, pk=raw
    )
    accept = request.POST.get("decision") == "accept"
    try:
        actions.do_review_reflection(
            reflection, accept=accept, comment=request.POST.get("comment", ""), acting_user=request.user
        )
    except ValidationError as exc:
        messages.error(request, f"{reflection.member.name}“{reflection.title}”：{_messages(exc)}")
    else:
        messages.success(
            request,
            f"{reflection.member.name}“{reflection.title}”：{'已通过' if accept else '已退回'}，并通知本人。",
        )
    return redirect(reverse(target) + "?status=submitted")


def pending_reviews(user: Any) -> Any:
    """Submitted reflections the user may review (their reach, and a writing role)."""
    if not get_scope(user).can_write:
        return Reflection.objects.none()
    return restrict(Reflection.objects.filter(status=ReflectionStatus.SUBMITTED), user)
