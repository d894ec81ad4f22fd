"""Pages of integrity work: the two officers per branch, integrity talks, unit rules, 三公经费,
and the audits and special-fund checks whose findings go to the rectification ledger."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, URLPattern, reverse

from dangjian.core import numbers
from dangjian.core.dates import today
from dangjian.core.period import Period
from dangjian.core.scope import Audience, access, get_in_scope, get_scope, restrict
from dangjian.duties.views import add_errors
from dangjian.integrity import actions, conf, officers
from dangjian.integrity.forms import ExpenseForm, RuleForm
from dangjian.integrity.models import PublicExpense, UnitRule
from dangjian.orgs.models import Organization

ORG_QUERY = {"org": "orgs.Organization"}
INTEGRITY_TALKS = ("integrity_talk", "reminder_talk", "admonishment_talk")
AUDIT_KINDS = ("audit", "fund_check")
OFFICER_ROWS = 300


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdecimal() and 2000 <= int(raw) <= 2100 else today().year


def _org(request: HttpRequest) -> Organization | None:
    raw = request.GET.get("org", "")
    return get_in_scope(Organization.objects.all(), request.user, pk=raw) if raw else None


def _years(year: int) -> list[int]:
    now = today().year
    return list(range(now, now - 4, -1)) if year in range(now - 3, now + 1) else [year]


def _link(name: str, *args: Any) -> str:
    """A rectification page's URL once that app has its pages (it is built alongside), else ""."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@access(Audience.OFFICERS, query=ORG_QUERY)
def overview(request: HttpRequest) -> HttpResponse:
    """The two officers per branch, the year's integrity talk counts and the audits."""
    org, year, on = _org(request), _year(request), today()
    rows = officers.branch_officers(request.user, on, org)
    missing = sum(1 for _b, posts in rows if not posts)
    # Branches without either officer first; a province lists the first OFFICER_ROWS of them.
    rows.sort(key=lambda row: bool(row[1]))
    keys = ["integrity.talks", *(f"integrity.talks.{code}" for code in INTEGRITY_TALKS)]
    period = Period.year(year)
    found = (
        numbers.compute(keys, org, period, request.user)
        if org is not None
        else numbers.in_reach(keys, period, request.user)
    )
    audits = _audits(request.user, year)
    return render(
        request,
        "integrity/overview.html",
        {
            "rows": rows[:OFFICER_ROWS],
            "branches": len(rows),
            "missing": missing,
            "talks": [found[k] for k in keys],
            "year": year,
            "years": _years(year),
            "org": org,
            "basis": conf.two_officers_basis(),
            "audits": audits,
            "can_write": get_scope(request.user).can_write,
            "rectification_url": _link("rectification:list"),
        },
    )


def _audits(user: Any, year: int) -> list[dict[str, Any]]:
    """Audits and special-fund checks of the year with their findings' state (rectification ledger)."""
    try:
        from dangjian.rectification.models import Finding, Inspection
    except ImportError:  # pragma: no cover - the ledger app is installed with this one
        return []
    from django.db.models import Count, Q

    inspections = (
        restrict(Inspection.objects.filter(kind__in=AUDIT_KINDS, started_on__year=year), user)
        .select_related("organization")
        .order_by("-started_on")[:100]
    )
    counts = {
        row["inspection_id"]: row
        for row in Finding.objects.filter(inspection__in=[i.pk for i in inspections])
        .values("inspection_id")
        .annotate(total=Count("id"), closed=Count("id", filter=Q(status="closed")))
    }
    return [
        {
            "inspection": i,
            "total": counts.get(i.pk, {}).get("total", 0),
            "closed": counts.get(i.pk, {}).get("closed", 0),
            "url": _link("rectification:inspection", i.pk),
        }
        for i in inspections
    ]


@access(Audience.OFFICERS, query=ORG_QUERY)
def talks(request: HttpRequest) -> HttpResponse:
    """Integrity, reminder and admonishment talks: talk activities of their own kinds."""
    from dangjian.activities.models import Activity

    org, year = _org(request), _year(request)
    qs = restrict(
        Activity.objects.held()
        .within(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        .filter(activity_type__code__in=INTEGRITY_TALKS),
        request.user,
    )
    if org is not None:
        qs = qs.filter(organization__path__startswith=org.path)
    kind = request.GET.get("kind", "")
    if kind in INTEGRITY_TALKS:
        qs = qs.filter(activity_type__code=kind)
    rows = list(
        qs.select_related("organization", "activity_type", "talk_party_a", "talk_party_b").order_by(
            "-held_on"
        )[:300]
    )
    return render(
        request,
        "integrity/talks.html",
        {
            "rows": rows,
            "year": year,
            "years": _years(year),
            "org": org,
            "kind": kind,
            "kinds": _talk_kinds(),
            "can_write": get_scope(request.user).can_write,
        },
    )


def _talk_kinds() -> list[tuple[str, str]]:
    from dangjian.activities.models import ActivityType

    names = dict(ActivityType.objects.filter(code__in=INTEGRITY_TALKS).values_list("code", "name"))
    return [(code, names.get(code, code)) for code in INTEGRITY_TALKS]


@access(Audience.OFFICERS, query=ORG_QUERY)
def rules(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    qs = restrict(UnitRule.objects.all(), request.user).select_related("organization", "revises")
    if org is not None:
        qs = qs.filter(organization__path__startswith=org.path)
    kind = request.GET.get("kind", "")
    from dangjian.integrity.choices import RuleKind

    if kind in RuleKind.values:
        qs = qs.filter(kind=kind)
    return render(
        request,
        "integrity/rules.html",
        {
            "rows": qs.order_by("-issued_on")[:500],
            "org": org,
            "kind": kind,
            "kinds": RuleKind.choices,
            "can_write": get_scope(request.user).can_write,
        },
    )


def _edit(
    request: HttpRequest, form_class: type, instance: Any, save: Any, title: str, back: str
) -> HttpResponse:
    form = form_class(request.POST or None, instance=instance, user=request.user, org=_org(request))
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form.instance, acting_user=request.user)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"已保存：{obj}")
            return redirect(obj)
    return render(request, "duties/form.html", {"form": form, "title": title, "back": back})


@access(Audience.OFFICERS, writes=True, get_writes=True, query=ORG_QUERY)
def rule_create(request: HttpRequest) -> HttpResponse:
    return _edit(
        request,
        RuleForm,
        UnitRule(issued_on=today()),
        actions.do_save_rule,
        "登记制度",
        reverse("integrity:rules"),
    )


@access(Audience.OFFICERS, writes=True, get_writes=True, target="integrity.UnitRule")
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_in_scope(UnitRule.objects.all(), request.user, pk=pk)
    return _edit(
        request, RuleForm, rule, actions.do_save_rule, f"修改：{rule.title}", reverse("integrity:rules")
    )


@access(Audience.OFFICERS)
def expenses(request: HttpRequest) -> HttpResponse:
    rows = list(
        restrict(PublicExpense.objects.all(), request.user).select_related(
            "organization", "entered_by__role__member"
        )[:200]
    )
    return render(
        request, "integrity/expenses.html", {"rows": rows, "can_write": get_scope(request.user).can_write}
    )


@access(Audience.OFFICERS, writes=True, get_writes=True)
def expense_create(request: HttpRequest) -> HttpResponse:
    instance = PublicExpense(year=today().year - 1)
    return _edit(
        request, ExpenseForm, instance, actions.do_save_expense, "录入三公经费", reverse("integrity:expenses")
    )


@access(Audience.OFFICERS, writes=True, get_writes=True, target="integrity.PublicExpense")
def expense_edit(request: HttpRequest, pk: int) -> HttpResponse:
    expense = get_in_scope(PublicExpense.objects.all(), request.user, pk=pk)
    return _edit(
        request,
        ExpenseForm,
        expense,
        actions.do_save_expense,
        f"修改：{expense.year}年三公经费",
        reverse("integrity:expenses"),
    )


def _records(slug: str, user: Any, year: int, org: Any = None) -> Any:
    qs = {
        "rules": UnitRule.objects.select_related("organization"),
        "expenses": PublicExpense.objects.select_related("organization"),
    }[slug]
    if org is not None:
        qs = qs.filter(organization__path__startswith=org.path)
    return restrict(qs, user)


def sheet_urls() -> list[URLPattern]:
    from dangjian.duties.views_excel import import_context
    from dangjian.duties.views_excel import sheet_urls as make
    from dangjian.integrity.excel import SPECS

    return make(SPECS, _records, import_context, "integrity")
