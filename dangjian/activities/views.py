"""Pages of the organizational-life ledger. Every read goes through the scope helper."""

from __future__ import annotations

import calendar
import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, F, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from dangjian.activities import actions
from dangjian.activities.choices import ActivityStatus, AttendanceStatus, ReflectionStatus
from dangjian.activities.forms import (
    ActivityTypeForm,
    AttachmentForm,
    AttendanceGridForm,
    DrawForm,
    MakeupForm,
    PlanForm,
    ReasonForm,
    RecordForm,
    ReflectionForm,
    TalkForm,
)
from dangjian.activities.ics import build_calendar
from dangjian.activities.models import Activity, ActivityType, Attachment, Attendance, FeedKey, Reflection
from dangjian.activities.panels import detail_panels
from dangjian.core import audit
from dangjian.core.dates import add_months, today
from dangjian.core.derived import rendered_part
from dangjian.core.models import AuditLog
from dangjian.core.period import Period, period_param
from dangjian.core.scope import Audience, access, get_in_scope, get_scope, require_write, restrict
from dangjian.members.models import Member
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization
from dangjian.orgs.options import org_options

ICS_SALT = "dangjian.activities.ics"


def _activities(user: Any) -> Any:
    return restrict(Activity.objects.all(), user).select_related("organization", "activity_type")


def _error_text(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _apply_errors(form: Any, exc: ValidationError) -> None:
    """Put an action's ValidationError on the form: by field where the form has it, else on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                for message in error.messages:
                    form.add_error(field if field in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


# ---- periods ------------------------------------------------------------------------------


def _date_in(start: datetime.date, end: datetime.date) -> Q:
    """Held in the range, or (not yet held) planned in it."""
    tz = timezone.get_current_timezone()
    lo = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    hi = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return Q(held_on__gte=start, held_on__lte=end) | Q(
        held_on__isnull=True, planned_at__gte=lo, planned_at__lt=hi
    )


# ---- list, detail -----------------------------------------------------------------------------


@access(Audience.MEMBERS, query={"org": "orgs.Organization"})
def activity_list(request: HttpRequest) -> HttpResponse:
    # The list (filters, rows, pager) is the page's CPU; it depends only on the scope, the query
    # and the ledger, so it is rendered once per ledger version and the shell around it each time.
    body = rendered_part(
        "activities.list", request, "activities/_activity_list_body.html", lambda: _list_context(request)
    )
    return render(request, "activities/activity_list.html", {"body": body})


def _list_context(request: HttpRequest) -> dict[str, Any]:
    qs = _activities(request.user).prefetch_related("also_counts_as")
    orgs = restrict(Organization.objects.exclude(kind=OrgKind.CELL), request.user)
    f = {k: request.GET.get(k, "").strip() for k in ("org", "type", "status", "period", "q")}
    org = get_in_scope(orgs, request.user, pk=f["org"]) if f["org"] else None
    if org is not None:
        qs = qs.filter(organization__path__startswith=org.path)
    if f["type"]:
        qs = qs.filter(credits__activity_type__code=f["type"]).distinct()
    if f["status"] in ActivityStatus.values:
        qs = qs.filter(status=f["status"])
    period, period_error = period_param(request.GET)
    if period is not None:
        qs = qs.filter(_date_in(period.start, period.end))
    if f["q"]:
        qs = qs.filter(topic__contains=f["q"])
    page = Paginator(qs.today_first(), 50).get_page(request.GET.get("page"))
    scope = get_scope(request.user)
    return {
        "page": page,
        "filters": f,
        "period_error": period_error,
        "orgs": org_options(request.user, org),
        "types": ActivityType.objects.all(),
        "statuses": ActivityStatus.choices,
        "can_write": scope.can_write,
    }


@access(Audience.MEMBERS, target="activities.Activity")
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_in_scope(
        _activities(request.user).prefetch_related("credits__activity_type", "cells"), request.user, pk=pk
    )
    user = request.user
    scope = get_scope(user)
    attendances = list(
        activity.attendances.select_related("member", "member__cell").order_by(
            F("member").asc(nulls_last=True), "member__name", "guest_name"
        )
    )
    if scope.only_self:
        # A member sees their own line only, never the others' (leave reasons are personal).
        attendances = [a for a in attendances if a.member_id == scope.member_id]
    counts = {
        s: sum(1 for a in attendances if a.member_id and a.status == s) for s in AttendanceStatus.values
    }
    may_write = scope.can_write_in(activity.organization)
    may_supervise = scope.can_write and scope.oversees(activity.organization)
    record_ok = activity.status in (actions.RECORDABLE_BY_SUPERVISOR if may_supervise else actions.RECORDABLE)
    logs = AuditLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Activity), object_id=str(activity.pk), action="action"
    ).order_by("timestamp", "id")
    draws = list(activity.speaker_draws.order_by("-created_at"))
    names = dict(
        Member.objects.filter(pk__in={i for d in draws for i in d.picked_ids}).values_list("pk", "name")
    )
    draw_rows = [
        {"draw": d, "picked": [names.get(i, str(i)) for i in d.picked_ids], "fair": actions.verify_draw(d)}
        for d in draws
    ]
    is_forum = any(c.activity_type.code == actions.BIWEEKLY_FORUM for c in activity.credits.all())
    return render(
        request,
        "activities/activity_detail.html",
        {
            "a": activity,
            "attendances": attendances,
            "counts": counts,
            "may_write": may_write,
            "may_supervise": may_supervise,
            "may_record": may_write and record_ok,
            "may_submit": may_write and activity.status in actions.PLANNABLE,
            "logs": [] if scope.only_self else logs,
            "attachments": activity.attachments.all(),
            "attachment_form": AttachmentForm(),
            "draw_rows": draw_rows,
            "draw_form": DrawForm() if is_forum and activity.is_held and may_write else None,
            "reason_form": ReasonForm(),
            "quorum_met": actions.quorum_met(activity.present_voters or 0, activity.eligible_voters or 0),
            "motion_passed": actions.motion_passed(activity.votes_for, activity.eligible_voters),
            "quorum_source": actions.QUORUM_SOURCE,
            "side_panels": detail_panels(activity, request.user),
        },
    )


# ---- plan & workflow --------------------------------------------------------------------------


@access(Audience.OFFICERS, writes=True, get_writes=True, target="activities.Activity")
def plan(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    activity = get_in_scope(_activities(request.user), request.user, pk=pk) if pk else None
    if activity and activity.status not in actions.PLANNABLE:
        messages.error(request, f"该活动当前状态为“{activity.get_status_display()}”，不能修改计划。")
        return redirect(activity)
    form = PlanForm(request.POST or None, instance=activity, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k in actions.PLAN_FIELDS}
        try:
            saved = actions.do_plan(
                activity,
                acting_user=request.user,
                submit="submit" in request.POST,
                also_counts_as=form.cleaned_data["also_counts_as"],
                cells=form.cleaned_data["cells"],
                **data,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request, "计划已报送机关党委审批。" if saved.status == "planned" else "草稿已保存。"
            )
            return redirect(saved)
    return render(request, "activities/plan_form.html", {"form": form, "activity": activity})


@access(Audience.OFFICERS, writes=True, target="activities.Activity", post_only=True)
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_in_scope(_activities(request.user), request.user, pk=pk)
    try:
        actions.do_plan(
            activity,
            acting_user=request.user,
            submit=True,
            also_counts_as=activity.also_counts_as.all(),
            cells=activity.cells.all(),
        )
    except ValidationError as exc:
        messages.error(request, "；".join(_error_text(exc)))
    else:
        messages.success(request, "计划已报送机关党委审批。")
    return redirect(activity)


def _step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    activity = get_in_scope(_activities(request.user), request.user, pk=pk)
    reason = request.POST.get("reason", "")
    done = {
        "approve": ("已审批通过。", lambda: actions.do_approve(activity, acting_user=request.user)),
        "return": (
            "已退回，并通知填报单位修改。",
            lambda: actions.do_return(activity, reason, acting_user=request.user),
        ),
        "verify": ("已审核。", lambda: actions.do_verify(activity, acting_user=request.user)),
        "reopen": ("已退回修改。", lambda: actions.do_reopen(activity, reason, acting_user=request.user)),
    }[step]
    try:
        done[1]()
    except ValidationError as exc:
        messages.error(request, "；".join(_error_text(exc)))
    else:
        messages.success(request, f"{activity.topic}：{done[0]}")
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(activity)


@access(Audience.OFFICERS, oversee=True, target="activities.Activity", post_only=True)
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "approve")


@access(Audience.OFFICERS, oversee=True, target="activities.Activity", post_only=True)
def return_plan(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "return")


@access(Audience.OFFICERS, oversee=True, target="activities.Activity", post_only=True)
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "verify")


@access(Audience.OFFICERS, oversee=True, target="activities.Activity", post_only=True)
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "reopen")


@access(Audience.OFFICERS, get_writes=True)
def approvals(request: HttpRequest) -> HttpResponse:
    """The 机关党委's queue: plans to approve and records to verify, within what the user supervises."""
    scope = require_write(request.user)
    qs = _activities(request.user).filter(status__in=[ActivityStatus.PLANNED, ActivityStatus.HELD])
    rows = [a for a in qs.order_by("planned_at", "held_at", "id") if scope.oversees(a.organization)]
    return render(
        request,
        "activities/approvals.html",
        {
            "plans": [a for a in rows if a.status == ActivityStatus.PLANNED],
            "records": [a for a in rows if a.status == ActivityStatus.HELD],
            "reason_form": ReasonForm(),
        },
    )


# ---- record -----------------------------------------------------------------------------------


@access(Audience.OFFICERS, writes=True, get_writes=True, target="activities.Activity")
def record(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_in_scope(_activities(request.user), request.user, pk=pk)
    actions.check_write(request.user, activity.organization, "登记")
    data = request.POST if request.method == "POST" else None
    form = RecordForm(data, instance=activity, user=request.user)
    grid = AttendanceGridForm(data, activity=activity)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k in actions.RECORD_FIELDS}
        try:
            with form.save_guard():
                actions.do_record(
                    activity,
                    acting_user=request.user,
                    attendance=grid.attendance(),
                    guests=form.guest_names(),
                    also_counts_as=form.cleaned_data["also_counts_as"],
                    **fields,
                )
        except ValidationError as exc:
            activity.refresh_from_db()
            _apply_errors(form, exc)
        else:
            messages.success(request, "已登记召开情况，待机关党委审核。")
            return redirect(activity)
    return render(
        request,
        "activities/record_form.html",
        {
            "form": form,
            "a": activity,
            "grid": grid.rows,
            "statuses": AttendanceStatus.choices,
            "is_general_meeting": activity.activity_type.code == actions.GENERAL_MEETING,
            "quorum_source": actions.QUORUM_SOURCE,
        },
    )


@access(Audience.OFFICERS, writes=True, get_writes=True, target="activities.Activity")
def makeup(request: HttpRequest, pk: int) -> HttpResponse:
    """Make-up study for those who missed an activity: one small form per absentee."""
    activity = get_in_scope(_activities(request.user), request.user, pk=pk)
    missed = (
        activity.attendances.filter(member__isnull=False)
        .exclude(status=AttendanceStatus.PRESENT)
        .select_related("member")
    )
    form = MakeupForm(request.POST or None, initial={"makeup_on": today()})
    if request.method == "POST":
        wanted = request.POST.get("attendance", "")
        row = missed.filter(pk=wanted).first() if wanted.isdecimal() else None
        if form.is_valid() and row is None:
            form.add_error(None, "请从名单中选择要登记补学的党员。")
        elif form.is_valid():
            try:
                actions.do_record_makeup(
                    row,
                    makeup_on=form.cleaned_data["makeup_on"],
                    note=form.cleaned_data["note"],
                    acting_user=request.user,
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, f"已登记{row.member.name}的补学。")
                return redirect("activities:makeup", pk=activity.pk)
    return render(request, "activities/makeup.html", {"a": activity, "missed": missed, "form": form})


# ---- attachments ------------------------------------------------------------------------------


@access(Audience.OFFICERS, writes=True, target="activities.Activity", post_only=True)
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_in_scope(_activities(request.user), request.user, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要上传的文件。")
        return redirect(activity.get_absolute_url() + "#attachments")
    uploads = request.FILES.getlist("file")
    try:
        for upload in uploads:
            actions.do_add_attachment(
                activity, upload, kind=form.cleaned_data["kind"], acting_user=request.user
            )
    except ValidationError as exc:
        messages.error(request, "；".join(_error_text(exc)))
    else:
        messages.success(request, f"已上传{len(uploads)}个文件。")
    return redirect(activity.get_absolute_url() + "#attachments")


@access(Audience.MEMBERS, target="activities.Attachment", download=True)
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_in_scope(Attachment.objects.select_related("activity"), request.user, pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("附件文件已丢失。") from exc
    inline = attachment.content_type.startswith("image/") or attachment.content_type == "application/pdf"
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@access(Audience.OFFICERS, writes=True, target="activities.Attachment", post_only=True)
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_in_scope(
        Attachment.objects.select_related("activity__organization"), request.user, pk=pk
    )
    activity = attachment.activity
    try:
        actions.do_delete_attachment(attachment, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(_error_text(exc)))
    return redirect(activity.get_absolute_url() + "#attachments")


# ---- talks, draws, reflections --------------------------------------------------------------


@access(Audience.OFFICERS, writes=True, get_writes=True)
def talk_new(request: HttpRequest) -> HttpResponse:
    form = TalkForm(
        request.POST or None,
        user=request.user,
        initial={"held_on": today(), "kind": request.GET.get("kind", "talk")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            talk = actions.do_record_talk(acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request, f"已登记{talk.activity_type.name}：{talk.talk_party_a} 与 {talk.talk_party_b}。"
            )
            if "again" in request.POST:
                return redirect("activities:talk-new")
            return redirect(talk)
    recent = (
        _activities(request.user)
        .filter(activity_type__code=actions.TALK)
        .select_related("talk_party_a", "talk_party_b")
        .order_by("-held_on", "-id")[:10]
    )
    return render(request, "activities/talk_form.html", {"form": form, "recent": recent})


@access(Audience.OFFICERS, writes=True, target="activities.Activity", post_only=True)
def draw(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_in_scope(_activities(request.user), request.user, pk=pk)
    form = DrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, "抽取人数应为1至50之间的整数。")
    else:
        try:
            actions.do_draw_speakers(activity, form.cleaned_data["count"], acting_user=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(_error_text(exc)))
        else:
            messages.success(request, "已随机抽取发言人。")
    return redirect(activity.get_absolute_url() + "#draws")


@access(Audience.MEMBERS, writes=True)
def reflections(request: HttpRequest) -> HttpResponse:
    qs = restrict(
        Reflection.objects.select_related("member", "activity", "member__organization"), request.user
    )
    form = None
    if get_scope(request.user).can_write:
        form = ReflectionForm(request.POST or None, user=request.user, initial={"submitted_on": today()})
        if request.method == "POST" and form.is_valid():
            try:
                actions.do_add_reflection(acting_user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, "心得体会已登记。")
                return redirect("activities:reflections")
    status = request.GET.get("status", "")
    if status in ReflectionStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    scope = get_scope(request.user)
    return render(
        request,
        "activities/reflections.html",
        {
            "page": page,
            "form": form,
            "status": status,
            "statuses": ReflectionStatus.choices,
            "can_review": scope.can_write and scope.is_officer,
        },
    )


# ---- types -----------------------------------------------------------------------------------


@access(Audience.MEMBERS)
def types(request: HttpRequest) -> HttpResponse:
    listed = ActivityType.objects.prefetch_related("may_also_count_as").annotate(used=Count("credits"))
    may_edit = get_scope(request.user).is_supervisor
    return render(request, "activities/types.html", {"types": listed, "may_edit": may_edit})


@access(Audience.SUPERVISORS, writes=True, get_writes=True, target="activities.ActivityType")
def type_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = ActivityType.objects.filter(pk=pk).first() if pk else None
    if pk and instance is None:
        raise Http404("没有这个活动类型。")
    form = ActivityTypeForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "may_also_count_as"}
        try:
            actions.do_save_type(
                instance,
                acting_user=request.user,
                may_also_count_as=form.cleaned_data["may_also_count_as"],
                **data,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "活动类型已保存。")
            return redirect("activities:types")
    return render(request, "activities/type_form.html", {"form": form, "instance": instance})


@access(Audience.SUPERVISORS, writes=True, target="activities.ActivityType", post_only=True)
def type_delete(request: HttpRequest, pk: int) -> HttpResponse:
    instance = ActivityType.objects.filter(pk=pk).first()
    if instance is None:
        raise Http404("没有这个活动类型。")
    try:
        actions.do_delete_type(instance, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(_error_text(exc)))
    else:
        messages.success(request, "活动类型已删除。")
    return redirect("activities:types")


# ---- calendar & .ics ----------------------------------------------------------------------

STATUS_CLASS = {
    ActivityStatus.DRAFT: "st-draft",
    ActivityStatus.PLANNED: "st-planned",
    ActivityStatus.APPROVED: "st-approved",
    ActivityStatus.RETURNED: "st-returned",
    ActivityStatus.HELD: "st-held",
    ActivityStatus.VERIFIED: "st-verified",
}


def _calendar_org(request: HttpRequest) -> Organization | None:
    orgs = restrict(Organization.objects.exclude(kind=OrgKind.CELL), request.user)
    wanted = request.GET.get("org", "")
    if wanted.isdecimal():
        org = orgs.filter(pk=wanted).first()
        if org is None:
            raise Http404("党组织不存在或不在您的权限范围内。")
        return org
    scope = get_scope(request.user)
    if scope.org_id:
        found = orgs.filter(pk=scope.org_id).first()
        if found:
            return found
    if scope.member_id:
        member = Member.objects.filter(pk=scope.member_id).select_related("organization").first()
        if member:
            return member.organization
    return orgs.filter(kind=OrgKind.BRANCH).order_by("path").first() or orgs.order_by("path").first()


@access(Audience.MEMBERS, query={"org": "orgs.Organization"})
def calendar_view(request: HttpRequest) -> HttpResponse:
    org = _calendar_org(request)
    month, _ = period_param(request.GET, "month", Period.containing(today(), "month"))
    first = Period.containing(month.start, "month").start
    last = add_months(first, 1) - datetime.timedelta(days=1)
    by_day: dict[datetime.date, list[Activity]] = {}
    events: list[Activity] = []
    if org is not None:
        events = list(
            _activities(request.user)
            .filter(organization__path__startswith=org.path)
            .filter(_date_in(first, last))
            .order_by("held_at", "planned_at", "id")
        )
        for a in events:
            when = a.held_on or timezone.localdate(a.planned_at)
            a.day = when
            a.css = STATUS_CLASS.get(a.status, "")
            by_day.setdefault(when, []).append(a)
        events.sort(key=lambda a: (a.day, a.pk))
    weeks = [
        [
            {"date": d, "in_month": d.month == first.month, "items": by_day.get(d, []), "today": d == today()}
            for d in week
        ]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]
    feed_url = ""
    if org is not None:
        token = signing.dumps(
            {"u": request.user.pk, "o": org.pk, "g": FeedKey.generation_of(request.user)}, salt=ICS_SALT
        )
        feed_url = request.build_absolute_uri(reverse("activities:ics", args=[token]))
    return render(
        request,
        "activities/calendar.html",
        {
            "org": org,
            "orgs": org_options(request.user, org),
            "first": first,
            "prev": add_months(first, -1),
            "next": add_months(first, 1),
            "weeks": weeks,
            "events": events,
            "feed_url": feed_url,
            "feed_days": settings.ICS_FEED_DAYS,
            "legend": [(STATUS_CLASS[s], label) for s, label in ActivityStatus.choices],
            "weekdays": "一二三四五六日",
        },
    )


@access(Audience.PUBLIC)
def ics_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A calendar client's subscription: the signed token names the user and the organization,
    and the feed shows only what that user may see today (a changed role changes the feed)."""
    try:
        data = signing.loads(token, salt=ICS_SALT, max_age=datetime.timedelta(days=settings.ICS_FEED_DAYS))
        user = get_user_model().objects.get(pk=data["u"], is_active=True)
        if data.get("g", 0) != FeedKey.generation_of(user):
            raise signing.BadSignature("revoked")
    except (signing.BadSignature, KeyError, TypeError, get_user_model().DoesNotExist) as exc:
        # expired, revoked or forged alike: a calendar client only needs to know it is gone
        raise Http404("订阅地址无效或已过期，请在“组织生活日历”页面重新获取。") from exc
    org = get_in_scope(Organization.objects.all(), user, pk=data.get("o"))
    since = add_months(today(), -12)
    events = (
        _activities(user)
        .filter(organization__path__startswith=org.path)
        .exclude(status__in=[ActivityStatus.DRAFT, ActivityStatus.RETURNED])
        .filter(Q(held_on__gte=since) | Q(held_on__isnull=True, planned_at__isnull=False))
        .order_by("held_at", "planned_at", "id")
    )
    body = build_calendar(
        f"{org.name}组织生活", events, host=request.get_host().split(":")[0], now=timezone.now()
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="org-{org.pk}.ics"'
    return response


@access(Audience.MEMBERS, post_only=True)
def ics_reset(request: HttpRequest) -> HttpResponse:
    """Revoke every calendar address the user was given (e.g. after a phone was lost)."""
    with transaction.atomic():
        key, _ = FeedKey.objects.select_for_update().get_or_create(user=request.user)
        key.generation += 1
        key.rotated_at = timezone.now()
        key.save()
        audit.record_event(
            FeedKey, key.pk, str(request.user), "重置日历订阅地址", {"generation": key.generation}
        )
    messages.success(request, "已重置：此前发出的日历订阅地址全部失效，请在日历软件中改用新的地址。")
    target = request.POST.get("next") or ""
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        target = reverse("activities:calendar")
    return HttpResponseRedirect(target)


# ---- home panel --------------------------------------------------------------------------


def my_record_panel(request: HttpRequest) -> Any:
    """A member's own attendance and study record this year, on the home page."""
    from dangjian.core import numbers
    from dangjian.core.home import Panel
    from dangjian.core.period import Period

    scope = get_scope(request.user)
    if not scope.member_id:
        return None
    year = today().year
    # The counts are metrics' figures over the member's own records (also for an officer who is
    # a member: their own record, not their branch's), as a report on them would count.
    keys = [f"attendance.status.{status.value}" for status in AttendanceStatus]
    found = numbers.in_reach(
        [*keys, "makeup.outstanding", "reflections.count"],
        Period.year(year),
        numbers.own_records(request.user),
    )
    recent = (
        Attendance.objects.filter(
            member_id=scope.member_id, activity__status__in=[ActivityStatus.HELD, ActivityStatus.VERIFIED]
        )
        .select_related("activity", "activity__activity_type", "activity__organization")
        .order_by("-activity__held_on", "-id")
    )
    return Panel(
        order=30,
        template="activities/panel_my_record.html",
        context={
            "my_year": year,
            "my_present": found["attendance.status.present"].value,
            "my_leave": found["attendance.status.leave"].value,
            "my_absent": found["attendance.status.absent"].value,
            "my_makeup_due": found["makeup.outstanding"].value,
            "my_recent": list(recent[:8]),
            "my_reflections": found["reflections.count"].value,
        },
    )
