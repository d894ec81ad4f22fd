"""Pages of campaigns, service pledges and research projects. Every read goes through the scope
helper; every number on a page is a metrics figure (read through ``core.numbers``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string

from dangjian.activities.models import Activity
from dangjian.campaigns import actions
from dangjian.campaigns.choices import CampaignKind, PledgeCategory, PledgeSource, PledgeStatus, ProjectStatus
from dangjian.campaigns.due import pledge_basis
from dangjian.campaigns.forms import (
    CampaignForm,
    LinkActivityForm,
    LinkCampaignForm,
    OutputForm,
    PlanItemForm,
    PledgeForm,
    ProjectForm,
    TeamMemberForm,
    find_team_candidates,
)
from dangjian.campaigns.models import (
    Campaign,
    PlanItem,
    ResearchOutput,
    ResearchProject,
    ServicePledge,
    TeamMember,
)
from dangjian.core import numbers
from dangjian.core.dates import today
from dangjian.core.lookup import lookup_row
from dangjian.core.period import Period
from dangjian.core.scope import Audience, access, get_in_scope, get_scope, restrict
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization
from dangjian.orgs.options import org_options

# The dashboard lists the latest activities and the organizations right below the campaign's.
RECENT_MAX = 20
BY_ORG_MAX = 200


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


def _back(request: HttpRequest, url: str) -> HttpResponse:
    """Redirect; an htmx post (from the activity page's panel) is told to reload that page, which
    shows the change and the message (a redirect to the same page and an anchor would not reload)."""
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return redirect(url)


def _say(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, "；".join(str(m) for m in exc.messages))


def _orgs(user: Any) -> Any:
    return restrict(Organization.objects.exclude(kind=OrgKind.CELL), user).order_by("path")


def _org_filter(request: HttpRequest) -> Organization | None:
    wanted = request.GET.get("org", "").strip()
    return get_in_scope(_orgs(request.user), request.user, pk=wanted) if wanted else None


def _year(request: HttpRequest) -> int | None:
    raw = request.GET.get("year", "").strip()
    return int(raw) if raw.isdecimal() and 2000 <= int(raw) <= 2100 else None


def _years() -> list[int]:
    return list(range(today().year, today().year - 5, -1))


def _campaigns(user: Any) -> Any:
    return restrict(Campaign.objects.select_related("organization", "mobilization"), user)


def _stats(
    fig: dict[str, Any], shown: list[tuple[str, str]], *, danger: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """The stat tiles of a page: (figure part, label) in order; ``danger`` parts turn red when non-zero."""
    return [
        {"f": fig[part], "label": label, "cls": "stat-danger" if part in danger and fig[part].value else ""}
        for part, label in shown
    ]


def _span(campaign: Campaign) -> Period:
    """The campaign's own period (up to today while it runs), for its dashboard figures."""
    end = campaign.span_end(today())
    return Period.between(campaign.started_on, max(end, campaign.started_on))


# ---- campaigns -----------------------------------------------------------------------------------


@access(Audience.OFFICERS, query={"org": "orgs.Organization"})
def campaign_list(request: HttpRequest) -> HttpResponse:
    qs = _campaigns(request.user)
    org = _org_filter(request)
    if org is not None:
        qs = qs.filter(organization__path__startswith=org.path)
    year = _year(request)
    if year:
        qs = qs.filter(started_on__lte=datetime.date(year, 12, 31)).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=datetime.date(year, 1, 1))
        )
    kind = request.GET.get("kind", "")
    if kind in CampaignKind.values:
        qs = qs.filter(kind=kind)
    status = request.GET.get("status", "")
    day = today()
    if status == "running":
        qs = qs.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
    elif status == "ended":
        qs = qs.filter(ended_on__lt=day)
    page = Paginator(qs.order_by("-started_on", "id"), 30).get_page(request.GET.get("page"))
    shown = ("activities", "planned", "held_against_plan", "overdue")
    campaigns = list(page.object_list)
    # The page's figures in a few grouped queries (not four figures' reads per row), each value
    # the one the campaign's dashboard shows.
    found = numbers.values_each(
        [([f"campaign.{c.pk}.{p}" for p in shown], c.organization, _span(c)) for c in campaigns], request.user
    )
    rows = [
        {"c": c, **{p: values[f"campaign.{c.pk}.{p}"] for p in shown}}
        for c, values in zip(campaigns, found, strict=True)
    ]
    return render(
        request,
        "campaigns/campaign_list.html",
        {
            "page": page,
            "rows": rows,
            "orgs": org_options(request.user, org),
            "years": _years(),
            "kinds": CampaignKind.choices,
            "f": {"org": request.GET.get("org", ""), "year": year, "kind": kind, "status": status},
            "can_write": get_scope(request.user).can_write,
        },
    )


@access(Audience.OFFICERS, target="campaigns.Campaign")
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign's dashboard: what was held, by whom, against its plan; its pledges and research."""
    campaign = get_in_scope(_campaigns(request.user), request.user, pk=pk)
    user = request.user
    scope = get_scope(user)
    period = _span(campaign)
    items = list(campaign.plan_items.select_related("activity_type"))
    parts = [
        "activities",
        "orgs",
        "planned",
        "held_against_plan",
        "plan_rate",
        "pledges",
        "solved",
        "mechanism",
        "open",
        "overdue",
        "beneficiaries.people",
        "beneficiaries.enterprises",
        "beneficiaries.households",
        "amount",
        "projects",
        "outputs",
        *(f"item.{i.pk}" for i in items),
    ]
    found = numbers.compute([f"campaign.{pk}.{p}" for p in parts], campaign.organization, period, user)
    fig = {p: found[f"campaign.{pk}.{p}"] for p in parts}
    plan_rows = [{"item": i, "held": fig[f"item.{i.pk}"]} for i in items]
    shown = [
        ("activities", "开展活动"),
        ("orgs", "开展活动的党组织"),
        ("solved", "办结实事"),
        ("mechanism", "形成长效机制"),
        ("open", "正在办理"),
        ("overdue", "逾期未办结"),
        ("beneficiaries.people", "受益群众"),
        *(
            (p, label)
            for p, label in (
                ("beneficiaries.enterprises", "受益企业"),
                ("beneficiaries.households", "受益户数"),
            )
            if fig[p].value
        ),
        ("amount", "涉及资金"),
        ("projects", "调研课题"),
        ("outputs", "调研成果"),
    ]
    # What each organization directly below held (for a bureau's campaign, its branches): the
    # same figure computed over each one's subtree. The organization itself counts its own.
    below = list(
        restrict(
            Organization.objects.filter(parent=campaign.organization).exclude(kind=OrgKind.CELL), user
        ).order_by("order", "path")[:BY_ORG_MAX]
    )
    # One read of the campaign's activities serves every organization's count (metrics memo).
    below_keys = [f"campaign.{pk}.below.{org.pk}" for org in below]
    counts = numbers.compute(below_keys, campaign.organization, period, user) if below else {}
    by_org = [{"org": campaign.organization, "count": fig["activities"].value}]
    by_org += [{"org": org, "count": counts[k].value} for org, k in zip(below, below_keys, strict=True)]
    if len(below) < BY_ORG_MAX:
        by_org[0]["count"] -= sum(r["count"] for r in by_org[1:])
    else:
        by_org = by_org[1:]
    by_org = sorted((r for r in by_org if r["count"]), key=lambda r: (-r["count"], r["org"].path))
    recent = list(
        restrict(campaign.activities.all(), user)
        .select_related("organization", "activity_type")
        .order_by(F("held_on").desc(nulls_first=True), "-id")[:RECENT_MAX]
    )
    may_write = scope.can_write_in(campaign.organization)
    linkable = (
        restrict(Activity.objects.all(), user, "change")
        .filter(
            organization__path__startswith=campaign.organization.path,
            held_on__gte=campaign.started_on - datetime.timedelta(days=30),
        )
        .exclude(campaigns=campaign)
        .select_related("organization")
        .order_by("-held_on", "-id")[:200]
    )
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "c": campaign,
            "fig": fig,
            "stats": _stats(fig, shown, danger=("overdue",)),
            "period": period,
            "plan_rows": plan_rows,
            "activities": recent,
            "by_org": by_org,
            "by_org_cut": len(below) == BY_ORG_MAX,
            "team": campaign.team.select_related("member", "member__organization"),
            "pledges": restrict(campaign.pledges.select_related("organization", "handler"), user)[:50],
            # Like the pledges, the latest 50: a province's campaign gathers hundreds of projects.
            "projects": restrict(campaign.projects.select_related("leader"), user)
            .annotate(n_outputs=Count("outputs"))
            .order_by("-started_on", "-id")[:50],
            "may_write": may_write,
            "may_link": scope.can_write,
            "team_form": TeamMemberForm(user=user, campaign=campaign) if may_write else None,
            **(_team_lookup(request, campaign) if may_write else {}),
            "plan_form": PlanItemForm() if may_write else None,
            "link_form": LinkActivityForm(queryset=linkable) if scope.can_write else None,
            "today": today(),
        },
    )


@access(Audience.OFFICERS, writes=True, get_writes=True, target="campaigns.Campaign")
def campaign_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    campaign = get_in_scope(_campaigns(request.user), request.user, pk=pk) if pk else None
    if campaign is not None:
        actions.check_write(request.user, campaign.organization, "修改")
    form = CampaignForm(request.POST or None, request.FILES or None, instance=campaign, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k in actions.CAMPAIGN_FIELDS}
        try:
            saved = actions.do_save_campaign(
                campaign,
                acting_user=request.user,
                mobilization=form.cleaned_data["mobilization"],
                plan_document=form.cleaned_data.get("plan_document") or None,
                **data,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"专题活动“{saved.name}”已保存。")
            return redirect(saved)
    return render(request, "campaigns/campaign_form.html", {"form": form, "c": campaign})


@access(Audience.OFFICERS, writes=True, target="campaigns.Campaign", post_only=True)
def team_add(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_in_scope(_campaigns(request.user), request.user, pk=pk)
    form = TeamMemberForm(request.POST, user=request.user, campaign=campaign)
    if not form.is_valid():
        messages.error(request, "请选择机构和成员。")
    else:
        try:
            row = actions.do_add_team_member(campaign, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _say(request, exc)
        else:
            messages.success(request, f"已将{row.member.name}加入{row.get_team_display()}。")
    return redirect(campaign.get_absolute_url() + "#team")


def _team_lookup(request: HttpRequest, campaign: Campaign) -> dict[str, Any]:
    """The team form's search: its text and what it found (``team_q`` in the query string, so
    the dashboard shows the same list when the browser runs no script)."""
    text = request.GET.get("team_q", "").strip()[:40]
    found, more = find_team_candidates(request.user, campaign, text)
    return {"team_q": text, "team_found": [lookup_row(m) for m in found], "team_more": more}


@access(Audience.OFFICERS, get_writes=True, target="campaigns.Campaign")
def team_lookup(request: HttpRequest, pk: int) -> HttpResponse:
    """The members matching the team form's search (htmx): names and branches only, at most
    LOOKUP_MAX, from the members the user sees in the campaign's subtree."""
    campaign = get_in_scope(_campaigns(request.user), request.user, pk=pk)
    return render(request, "campaigns/_team_lookup.html", {"c": campaign, **_team_lookup(request, campaign)})


@access(Audience.OFFICERS, writes=True, target="campaigns.TeamMember", post_only=True)
def team_remove(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_in_scope(
        TeamMember.objects.select_related("campaign__organization", "member"), request.user, pk=pk
    )
    campaign = row.campaign
    actions.do_remove_team_member(row, acting_user=request.user)
    messages.success(request, f"已将{row.member.name}移出{row.get_team_display()}。")
    return redirect(campaign.get_absolute_url() + "#team")


@access(Audience.OFFICERS, writes=True, target="campaigns.Campaign", post_only=True)
def plan_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_in_scope(_campaigns(request.user), request.user, pk=pk)
    form = PlanItemForm(request.POST)
    if not form.is_valid():
        errors = [
            f"{form.fields[f].label if f in form.fields else ''}：{e}"
            for f, es in form.errors.items()
            for e in es
        ]
        messages.error(request, "计划事项未保存。" + "；".join(errors))
    else:
        try:
            actions.do_save_plan_item(campaign=campaign, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _say(request, exc)
        else:
            messages.success(request, "计划事项已添加。")
    return redirect(campaign.get_absolute_url() + "#plan")


@access(Audience.OFFICERS, writes=True, target="campaigns.PlanItem", post_only=True)
def plan_item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_in_scope(PlanItem.objects.select_related("campaign__organization"), request.user, pk=pk)
    campaign = item.campaign
    actions.do_delete_plan_item(item, acting_user=request.user)
    messages.success(request, f"已删除计划事项“{item.title}”。")
    return redirect(campaign.get_absolute_url() + "#plan")


def _change_link(request: HttpRequest, pk: int, change: Any, missing: str, done: str) -> HttpResponse:
    """Count an activity towards the campaign or take it out (``change`` is the action); back to
    the page that asked (``next``, a local path) or the dashboard's activities."""
    campaign = get_in_scope(_campaigns(request.user), request.user, pk=pk)
    back = request.POST.get("next", "")
    if not (back.startswith("/") and not back.startswith("//")):
        back = campaign.get_absolute_url() + "#activities"
    wanted = request.POST.get("activity", "")
    if not wanted.isdecimal():
        messages.error(request, missing)
        return _back(request, back)
    activity = get_in_scope(Activity.objects.select_related("organization"), request.user, pk=wanted)
    try:
        change(campaign, activity, acting_user=request.user)
    except ValidationError as exc:
        _say(request, exc)
    else:
        messages.success(request, done.format(topic=activity.topic))
    return _back(request, back)


@access(Audience.OFFICERS, writes=True, target="campaigns.Campaign", post_only=True)
def link_activity(request: HttpRequest, pk: int) -> HttpResponse:
    """Count an activity towards the campaign (from its dashboard)."""
    return _change_link(
        request, pk, actions.do_link_activity, "请选择要计入的活动。", "已将“{topic}”计入本专题活动。"
    )


@access(Audience.OFFICERS, writes=True, target="campaigns.Campaign", post_only=True)
def unlink_activity(request: HttpRequest, pk: int) -> HttpResponse:
    return _change_link(
        request, pk, actions.do_unlink_activity, "请选择要移出的活动。", "已将“{topic}”移出本专题活动。"
    )


@access(Audience.OFFICERS, writes=True, target="activities.Activity", post_only=True)
def activity_join(request: HttpRequest, pk: int) -> HttpResponse:
    """From an activity's page: count it towards a campaign that covers its organization."""
    activity = get_in_scope(Activity.objects.select_related("organization"), request.user, pk=pk)
    form = LinkCampaignForm(request.POST, queryset=_campaigns(request.user))
    if not form.is_valid():
        messages.error(request, "请选择专题活动。")
    else:
        try:
            actions.do_link_activity(form.cleaned_data["campaign"], activity, acting_user=request.user)
        except ValidationError as exc:
            _say(request, exc)
        else:
            messages.success(request, f"已计入“{form.cleaned_data['campaign'].name}”。")
    return _back(request, activity.get_absolute_url() + "#campaigns")


@access(Audience.OFFICERS, target="campaigns.Campaign", download=True)
def plan_document(request: HttpRequest, pk: int) -> FileResponse:
    campaign = get_in_scope(_campaigns(request.user), request.user, pk=pk)
    return _file(campaign.plan_document, campaign.plan_title or campaign.name)


def _file(field: Any, title: str) -> FileResponse:
    if not field:
        raise Http404("没有上传文件。")
    try:
        handle = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404("文件已丢失。") from exc
    ext = field.name.rsplit(".", 1)[-1]
    response = FileResponse(handle, as_attachment=ext != "pdf", filename=f"{title}.{ext}")
    response["X-Content-Type-Options"] = "nosniff"
    return response


def activity_panel(activity: Activity, user: Any) -> str | None:
    """On an activity's page: the campaigns it counts towards, and (for a writer) a way to add it."""
    scope = get_scope(user)
    if not scope.is_officer:
        return None
    linked = list(restrict(activity.campaigns.all(), user))
    choices = None
    if scope.can_write_in(activity.organization):
        ancestors = [p for p in activity.organization.path.split("/") if p]
        paths = ["/" + "/".join(ancestors[:i]) + "/" for i in range(1, len(ancestors) + 1)]
        choices = (
            _campaigns(user)
            .filter(organization__path__in=paths)
            .exclude(pk__in=[c.pk for c in linked])
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=activity.held_on or today()))
        )
        if not choices.exists():
            choices = None
    if not linked and choices is None:
        return None
    return render_to_string(
        "campaigns/_activity_panel.html",
        {
            "a": activity,
            "linked": linked,
            "form": LinkCampaignForm(queryset=choices) if choices is not None else None,
            "may_unlink": scope.can_write_in(activity.organization),
        },
        request=None,
    )


# ---- service pledges ------------------------------------------------------------------------------


def _pledges(user: Any) -> Any:
    return restrict(ServicePledge.objects.select_related("organization", "handler", "campaign"), user)


def pledge_filters(request: HttpRequest) -> tuple[Any, dict[str, Any]]:
    """The pledge list's query and its filters (shared with the export)."""
    qs = _pledges(request.user)
    org = _org_filter(request)
    if org is not None:
        qs = qs.filter(organization__path__startswith=org.path)
    year = _year(request)
    if year:
        qs = qs.filter(collected_on__year=year)
    f = {k: request.GET.get(k, "").strip() for k in ("org", "status", "source", "category", "campaign", "q")}
    f["year"] = year
    day = today()
    if f["status"] == "overdue":
        qs = qs.overdue_on(day)
    elif f["status"] in PledgeStatus.values:
        qs = qs.filter(status=f["status"])
    if f["source"] in PledgeSource.values:
        qs = qs.filter(source=f["source"])
    if f["category"] in PledgeCategory.values:
        qs = qs.filter(category=f["category"])
    if f["campaign"].isdecimal():
        qs = qs.filter(campaign_id=int(f["campaign"]))
    if f["q"]:
        qs = qs.filter(title__contains=f["q"])
    # Overdue first (open, deadline passed), then open by deadline, then the closed ones, latest first.
    from django.db.models import BooleanField, Case, When

    qs = qs.annotate(
        late=Case(
            When(status=PledgeStatus.OPEN, deadline__lt=day, then=True),
            default=False,
            output_field=BooleanField(),
        ),
        still_open=Case(
            When(status=PledgeStatus.OPEN, then=True), default=False, output_field=BooleanField()
        ),
        open_deadline=Case(When(status=PledgeStatus.OPEN, then=F("deadline")), default=None),
    ).order_by("-late", "-still_open", F("open_deadline").asc(nulls_last=True), "-collected_on", "id")
    return qs, f


@access(Audience.OFFICERS, query={"org": "orgs.Organization"})
def pledge_list(request: HttpRequest) -> HttpResponse:
    qs, f = pledge_filters(request)
    org = _org_filter(request)
    year = f["year"] or today().year
    figures = None
    roots = [org] if org is not None else None
    keys = [
        "pledges.collected",
        "pledges.solved",
        "pledges.mechanism",
        "pledges.open",
        "pledges.overdue",
        "pledges.beneficiaries.people",
        "pledges.beneficiaries.enterprises",
        "pledges.amount",
    ]
    if roots:
        figures = numbers.compute(keys, org, Period.year(year), request.user)
    else:
        figures = numbers.in_reach(keys, Period.year(year), request.user)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "campaigns/pledge_list.html",
        {
            "page": page,
            "f": f,
            "stats": _stats(
                {k.removeprefix("pledges."): v for k, v in figures.items()},
                [
                    ("collected", "本年征集"),
                    ("solved", "本年办结"),
                    ("mechanism", "形成长效机制"),
                    ("open", "正在办理"),
                    ("overdue", "逾期未办结"),
                    ("beneficiaries.people", "受益群众"),
                    ("beneficiaries.enterprises", "受益企业"),
                    ("amount", "涉及资金"),
                ],
                danger=("overdue",),
            ),
            "fig_year": year,
            "orgs": org_options(request.user, org),
            "years": _years(),
            "statuses": [*PledgeStatus.choices, ("overdue", "已逾期")],
            "sources": PledgeSource.choices,
            "categories": PledgeCategory.choices,
            "campaigns": _campaigns(request.user),
            "today": today(),
            "can_write": get_scope(request.user).can_write,
            "query": request.GET.urlencode(),
        },
    )


@access(Audience.OFFICERS, target="campaigns.ServicePledge")
def pledge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = get_in_scope(_pledges(request.user), request.user, pk=pk)
    from django.contrib.contenttypes.models import ContentType

    from dangjian.core.models import AuditLog

    logs = AuditLog.objects.filter(
        content_type=ContentType.objects.get_for_model(ServicePledge), object_id=str(pledge.pk)
    ).order_by("timestamp", "id")
    return render(
        request,
        "campaigns/pledge_detail.html",
        {
            "p": pledge,
            "overdue": pledge.is_overdue(today()),
            "basis": pledge_basis(),
            "may_write": get_scope(request.user).can_write_in(pledge.organization),
            "logs": logs,
        },
    )


@access(Audience.OFFICERS, writes=True, get_writes=True, target="campaigns.ServicePledge")
def pledge_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    pledge = get_in_scope(_pledges(request.user), request.user, pk=pk) if pk else None
    if pledge is not None:
        actions.check_write(request.user, pledge.organization, "修改")
    initial = {"collected_on": today()}
    wanted = request.GET.get("campaign", "")
    if wanted.isdecimal():
        initial["campaign"] = wanted
    form = PledgeForm(request.POST or None, instance=pledge, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k in actions.PLEDGE_FIELDS}
        try:
            saved = actions.do_save_pledge(pledge, acting_user=request.user, **data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"“{saved.title}”已保存。")
            return redirect(saved)
    return render(request, "campaigns/pledge_form.html", {"form": form, "p": pledge})


# ---- research projects ------------------------------------------------------------------------------


def _projects(user: Any) -> Any:
    return restrict(ResearchProject.objects.select_related("organization", "leader", "campaign"), user)


@access(Audience.OFFICERS, query={"org": "orgs.Organization"})
def project_list(request: HttpRequest) -> HttpResponse:
    qs = _projects(request.user).annotate(
        n_outputs=Count("outputs", distinct=True), n_sessions=Count("sessions", distinct=True)
    )
    org = _org_filter(request)
    if org is not None:
        qs = qs.filter(organization__path__startswith=org.path)
    year = _year(request)
    if year:
        qs = qs.filter(started_on__lte=datetime.date(year, 12, 31)).filter(
            Q(finished_on__isnull=True) | Q(finished_on__gte=datetime.date(year, 1, 1))
        )
    status = request.GET.get("status", "")
    if status in ProjectStatus.values:
        qs = qs.filter(status=status)
    fig_year = year or today().year
    keys = [
        "research.projects",
        "research.finished",
        "research.sessions",
        "research.outputs",
        "research.outputs_adopted",
    ]
    if org is not None:
        figures = numbers.compute(keys, org, Period.year(fig_year), request.user)
    else:
        figures = numbers.in_reach(keys, Period.year(fig_year), request.user)
    page = Paginator(qs.order_by("status", "-started_on", "id"), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "campaigns/project_list.html",
        {
            "page": page,
            "f": {"org": request.GET.get("org", ""), "year": year, "status": status},
            "stats": _stats(
                {k.removeprefix("research."): v for k, v in figures.items()},
                [
                    ("projects", "开展课题"),
                    ("finished", "结题"),
                    ("sessions", "调研活动"),
                    ("outputs", "形成成果"),
                    ("outputs_adopted", "被采纳/批示"),
                ],
            ),
            "fig_year": fig_year,
            "orgs": org_options(request.user, org),
            "years": _years(),
            "statuses": ProjectStatus.choices,
            "can_write": get_scope(request.user).can_write,
        },
    )


@access(Audience.OFFICERS, target="campaigns.ResearchProject")
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_in_scope(_projects(request.user), request.user, pk=pk)
    user = request.user
    may_write = get_scope(user).can_write_in(project.organization)
    sessions = restrict(project.sessions.all(), user).select_related("organization", "activity_type")
    linkable = None
    if may_write:
        linkable = (
            restrict(Activity.objects.all(), user)
            .filter(
                organization__path__startswith=project.organization.path,
                credits__activity_type__code__in=actions.SESSION_TYPES,
            )
            .exclude(research_projects=project)
            .select_related("organization")
            .distinct()
            .order_by("-held_on", "-id")[:200]
        )
    return render(
        request,
        "campaigns/project_detail.html",
        {
            "p": project,
            "team": project.team.select_related("organization"),
            "sessions": sessions,
            "outputs": project.outputs.all(),
            "may_write": may_write,
            "link_form": LinkActivityForm(queryset=linkable) if linkable is not None else None,
            "output_form": OutputForm(initial={"issued_on": today()}) if may_write else None,
        },
    )


@access(Audience.OFFICERS, writes=True, get_writes=True, target="campaigns.ResearchProject")
def project_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    project = get_in_scope(_projects(request.user), request.user, pk=pk) if pk else None
    if project is not None:
        actions.check_write(request.user, project.organization, "修改")
    initial = {"started_on": today()}
    wanted = request.GET.get("campaign", "")
    if wanted.isdecimal():
        initial["campaign"] = wanted
    form = ProjectForm(request.POST or None, instance=project, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k in actions.PROJECT_FIELDS}
        try:
            saved = actions.do_save_project(
                project, acting_user=request.user, team=list(form.cleaned_data["team"]), **data
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"课题“{saved.title}”已保存。")
            return redirect(saved)
    return render(request, "campaigns/project_form.html", {"form": form, "p": project})


@access(Audience.OFFICERS, writes=True, target="campaigns.ResearchProject", post_only=True)
def project_session(request: HttpRequest, pk: int) -> HttpResponse:
    """Add (or with ``remove``, take away) a 调研 activity as one of the project's sessions."""
    project = get_in_scope(_projects(request.user), request.user, pk=pk)
    wanted = request.POST.get("activity", "")
    if not wanted.isdecimal():
        messages.error(request, "请选择调研活动。")
        return redirect(project.get_absolute_url() + "#sessions")
    activity = get_in_scope(
        Activity.objects.select_related("organization", "activity_type"), request.user, pk=wanted
    )
    try:
        if "remove" in request.POST:
            actions.do_unlink_session(project, activity, acting_user=request.user)
            messages.success(request, f"已将“{activity.topic}”移出本课题。")
        else:
            actions.do_link_session(project, activity, acting_user=request.user)
            messages.success(request, f"已将“{activity.topic}”记为本课题的调研活动。")
    except ValidationError as exc:
        _say(request, exc)
    return redirect(project.get_absolute_url() + "#sessions")


@access(Audience.OFFICERS, writes=True, target="campaigns.ResearchProject", post_only=True)
def output_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_in_scope(_projects(request.user), request.user, pk=pk)
    form = OutputForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = [
            f"{form.fields[f].label if f in form.fields else ''}：{e}"
            for f, es in form.errors.items()
            for e in es
        ]
        messages.error(request, "调研成果未保存。" + "；".join(errors))
    else:
        data = dict(form.cleaned_data)
        data["document"] = data.get("document") or None
        try:
            actions.do_add_output(project, acting_user=request.user, **data)
        except ValidationError as exc:
            _say(request, exc)
        else:
            messages.success(request, "调研成果已登记。")
    return redirect(project.get_absolute_url() + "#outputs")


@access(Audience.OFFICERS, target="campaigns.ResearchOutput", download=True)
def output_document(request: HttpRequest, pk: int) -> FileResponse:
    output = get_in_scope(ResearchOutput.objects.select_related("project"), request.user, pk=pk)
    return _file(output.document, output.title)


def self_panel(member: Any, user: Any) -> str | None:
    """On a member's self-service panel: the 为民办实事 items they handle, the campaign teams they
    are on and the research projects they lead or work on."""
    pledges = list(
        ServicePledge.objects.filter(handler=member)
        .select_related("organization")
        .order_by("-collected_on")[:10]
    )
    teams = list(
        TeamMember.objects.filter(member=member).select_related("campaign").order_by("-campaign__started_on")
    )
    projects = list(
        ResearchProject.objects.filter(Q(leader=member) | Q(team=member))
        .distinct()
        .order_by("-started_on")[:10]
    )
    if not (pledges or teams or projects):
        return None
    return render_to_string(
        "campaigns/_self_panel.html",
        {
            "pledges": pledges,
            "teams": teams,
            "projects": projects,
            "today": today(),
            "links": get_scope(user).is_officer,
            "member": member,
        },
    )
