"""Roster pages: the filterable list, a member's page, add/edit, transfer out, status, posts.

Roster import/export lives in views_roster.py.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dangjian.core.derived import rendered_part
from dangjian.core.personal import personal as shown_personal
from dangjian.core.scope import Audience, access, can_see_personal_data, get_in_scope, get_scope, restrict
from dangjian.members import actions, extensions
from dangjian.members.choices import ACTIVE_STATUSES, AGE_BANDS, Education, Gender, MemberStatus
from dangjian.members.filters import FILTER_KEYS, filter_roster, roster_org_options
from dangjian.members.forms import MemberForm, PostEndForm, PostForm, StatusForm, TransferOutForm
from dangjian.members.models import Member, Post
from dangjian.orgs.models import Organization
from dangjian.orgs.options import OrgOptions

PAGE_SIZE = 50
STATUS_BADGE = {
    MemberStatus.FULL: "badge-ok",
    MemberStatus.PROBATIONARY: "badge-warn",
    MemberStatus.TRANSFERRED_OUT: "",
    MemberStatus.DECEASED: "",
    MemberStatus.REMOVED: "badge-danger",
}


def _add_errors(form: Any, exc: ValidationError) -> None:
    """Put an action's ValidationError on the form fields it names, the rest on the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@access(Audience.MEMBERS, query={"org": "orgs.Organization"})
def member_list(request: HttpRequest) -> HttpResponse:
    """The roster: filter by name/initials, branch subtree, status, education, age band, gender."""
    params = request.GET
    found = filter_roster(
        restrict(Member.objects.select_related("organization", "cell"), request.user), params, request.user
    )
    org, status, ordered = found.org, found.status, found.ordered
    scope = get_scope(request.user)

    def body_context() -> dict[str, Any]:
        page = Paginator(ordered, PAGE_SIZE).get_page(params.get("page"))
        return {
            "page": page,
            "org": org,
            "orgs": OrgOptions([]) if scope.only_self else roster_org_options(request.user, org),
            "status": status,
            "statuses": MemberStatus.choices,
            "educations": Education.choices,
            "genders": Gender.choices,
            "age_bands": [(code, label) for code, label, _low, _high in AGE_BANDS],
            "status_badge": STATUS_BADGE,
            "filtered": any(params.get(k) for k in FILTER_KEYS),
        }

    # The filters, rows and pager are the page's CPU and depend only on the scope, the query,
    # the day (ages) and the ledger: rendered once per ledger version, the shell each time.
    body = rendered_part("members.list", request, "members/_list_body.html", body_context)
    return render(request, "members/list.html", {"body": body, "org": org, "can_write": scope.can_write})


@access(Audience.MEMBERS, target="members.Member")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_in_scope(Member.objects.select_related("organization", "cell"), request.user, pk=pk)
    scope = get_scope(request.user)
    # What is shown (masked or not) depends on the scope and the member only, so the rendered
    # body is kept per scope, page and ledger version; the shell around it is rendered each time.
    body = rendered_part(
        "members.detail", request, "members/_detail_body.html", lambda: _detail_context(request, member)
    )
    context = {
        "member": member,
        "status_badge": STATUS_BADGE.get(member.status, ""),
        "can_write": scope.can_write,
        "org_path": [*member.organization.ancestors(), member.organization],
        "body": body,
    }
    return render(request, "members/detail.html", context)


def _detail_context(request: HttpRequest, member: Member) -> dict[str, Any]:
    personal = can_see_personal_data(request.user, member)
    scope = get_scope(request.user)
    posts = list(
        restrict(member.posts.select_related("organization"), request.user).order_by(
            "ended_on", "-started_on"
        )
    )
    visible_orgs = set(
        restrict(
            Organization.objects.filter(pk__in=[p.organization_id for p in posts]), request.user
        ).values_list("pk", flat=True)
    )
    for post in posts:
        # A member of branch 1 may sit on the organ committee, which its secretary cannot open.
        post.org_visible = post.organization_id in visible_orgs
    return {
        "member": member,
        "shown": shown_personal(member, show=personal),
        "personal": personal,
        "status_changes": restrict(member.status_changes.all(), request.user).order_by("-date", "-id"),
        "transfers": restrict(member.transfers.all(), request.user),
        "posts": posts,
        "status_badge": STATUS_BADGE.get(member.status, ""),
        "can_write": scope.can_write,
        "org_path": [*member.organization.ancestors(), member.organization],
        "kept_elsewhere": extensions.shown(member),
    }


@access(Audience.OFFICERS, writes=True, get_writes=True, query={"org": "orgs.Organization"})
def create(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {}
    if request.GET.get("org"):
        initial["organization"] = get_in_scope(
            Organization.objects.all(), request.user, pk=request.GET["org"]
        )
    form = MemberForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.fields if name in form.cleaned_data}
        try:
            member = actions.do_create_member(acting_user=request.user, **fields)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"已将{member.name}录入花名册。")
            return redirect(member)
    return render(request, "members/form.html", {"form": form, "member": None})


@access(Audience.OFFICERS, writes=True, get_writes=True, target="members.Member")
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_in_scope(Member.objects.select_related("organization"), request.user, pk=pk)
    form = MemberForm(request.POST or None, instance=member, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.fields if name in form.cleaned_data}
        try:
            with form.save_guard():
                actions.do_update_member(member, acting_user=request.user, **fields)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"已保存{member.name}的信息。")
            return redirect(member)
    return render(request, "members/form.html", {"form": form, "member": member})


@access(Audience.OFFICERS, writes=True, get_writes=True, target="members.Member")
def transfer_out(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_in_scope(Member.objects.select_related("organization"), request.user, pk=pk)
    form = TransferOutForm(request.POST or None)
    blocked = member.status not in ACTIVE_STATUSES
    if request.method == "POST" and not blocked and form.is_valid():
        try:
            actions.do_transfer_out(member, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"已办理{member.name}的组织关系转出。")
            return redirect(member)
    return render(request, "members/transfer_form.html", {"form": form, "member": member, "blocked": blocked})


@access(Audience.OFFICERS, writes=True, get_writes=True, target="members.Member")
def change_status(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_in_scope(Member.objects.select_related("organization"), request.user, pk=pk)
    form = StatusForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_change_status(
                member,
                form.cleaned_data["status"],
                date=form.cleaned_data["date"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"已将{member.name}的状态改为“{member.get_status_display()}”。")
            return redirect(member)
    return render(request, "members/status_form.html", {"form": form, "member": member})


@access(
    Audience.OFFICERS, writes=True, get_writes=True, query={"org": "orgs.Organization"}, query_required=True
)
def post_add(request: HttpRequest) -> HttpResponse:
    org = get_in_scope(Organization.objects.all(), request.user, pk=request.GET.get("org", ""))
    form = PostForm(request.POST or None, organization=org, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            post = actions.do_assign_post(org, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"已任命{post.member.name}为{org.name}{post.get_kind_display()}。")
            return redirect(post)
    return render(request, "members/post_form.html", {"form": form, "org": org})


@access(Audience.OFFICERS, writes=True, get_writes=True, target="members.Post")
def post_end(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_in_scope(Post.objects.select_related("organization", "member"), request.user, pk=pk)
    form = PostEndForm(request.POST or None, post=post)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_end_post(post, ended_on=form.cleaned_data["ended_on"], acting_user=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"已记录{post.member.name}卸任{post.get_kind_display()}。")
            return redirect(post)
    return render(
        request, "members/post_end_form.html", {"form": form, "post": post, "org": post.organization}
    )


@access(Audience.OFFICERS, get_writes=True)
def lookup(request: HttpRequest) -> HttpResponse:
    """A form's member search box (core.lookup): active members in the user's reach, by name,
    pinyin initials or branch; names and branches only. Writers only: it serves forms."""
    from dangjian.core.lookup import lookup_response

    qs = restrict(
        Member.objects.filter(status__in=ACTIVE_STATUSES).only(
            "pk", "name", "organization__name", "organization__short_name"
        ),
        request.user,
    ).select_related("organization")
    within = request.GET.get("within", "")
    if within.isdecimal() and within.isascii():
        # The form offers the people of one organization (its subtree): search only those.
        org = restrict(Organization.objects.filter(pk=int(within)), request.user).first()
        qs = qs.filter(organization__path__startswith=org.path) if org is not None else qs.none()
    return lookup_response(
        request,
        qs,
        lambda found, text: found.lookup(text),
        ("organization__path", "name", "pk"),
        "在上方输入姓名、拼音首字母或支部名称查找党员。",
    )
