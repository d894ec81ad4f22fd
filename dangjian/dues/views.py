"""Dues pages: the branch officer's month, the 机关党委 overview, a member's own record, imports, sheets."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from dangjian.core import jobs, numbers
from dangjian.core.dates import today
from dangjian.core.derived import derived, rendered_part
from dangjian.core.downloads import XLSX, attachment
from dangjian.core.home import Panel
from dangjian.core.import_report import ImportReport
from dangjian.core.period import Period, period_param
from dangjian.core.scope import NOT_FOUND, Audience, access, get_in_scope, get_scope, restrict
from dangjian.dues import excel, ledger
from dangjian.dues import jobs as jobs_dues
from dangjian.dues.actions import (
    MemberDues,
    do_add_reduction,
    do_record_payment,
    do_set_base,
    first_due_month,
)
from dangjian.dues.allocation import month_label, month_start, parse_month
from dangjian.dues.forms import BaseForm, ImportForm, PaymentForm, ReductionForm, apply_errors
from dangjian.dues.models import DuesPayment, HardshipReduction, MonthlyDue
from dangjian.dues.rates import BACK_PAY_MAX_MONTHS, LAPSE_MONTHS, LAPSE_SOURCE
from dangjian.members.models import Member
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization
from dangjian.orgs.options import org_options


def _month(request: HttpRequest, name: str = "month") -> datetime.date:
    """The month asked for (GET or POST); this month when none or an unreadable one is given."""
    this_month = Period.containing(today(), "month")
    found, _ = period_param(request.POST if name in request.POST else request.GET, name, this_month)
    return Period.containing(found.start, "month").start


# The organizations that collect dues (the month page's choices).
COLLECTING = (OrgKind.ORGAN_COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH)


def _collecting(request: HttpRequest) -> Any:
    """The organizations in the user's reach that collect dues: 机关党委、党总支、党支部."""
    return restrict(Organization.objects.of_kind(*COLLECTING), request.user)


def _orgs(request: HttpRequest) -> list[Organization]:
    return _collecting(request).in_tree_order()


def _org(request: HttpRequest) -> Organization:
    raw = request.GET.get("org") or request.POST.get("org")
    if raw:
        return get_in_scope(Organization.objects.all(), request.user, pk=raw)
    # The user's own organization, else the first at the top of their reach: two small queries,
    # not the reach's whole tree (a province's 10,000) to pick one.
    orgs = _collecting(request)
    scope = get_scope(request.user)
    found = orgs.filter(pk=scope.org_id).first() if scope.org_id else None
    found = found or orgs.order_by("depth", "order", "name", "pk").first()
    if found is None:
        raise Http404("没有可查看的党组织。")
    return found


def _members(request: HttpRequest, org: Organization) -> Any:
    return restrict(Member.objects.active(), request.user).in_subtree(org).order_by("name", "id")


@access(Audience.MEMBERS)
def index(request: HttpRequest) -> HttpResponse:
    scope = get_scope(request.user)
    if scope.only_self:
        return redirect("dues:mine")
    if scope.whole_agency:
        return redirect("dues:overview")
    return redirect("dues:month")


@access(Audience.MEMBERS)
def mine(request: HttpRequest) -> HttpResponse:
    scope = get_scope(request.user)
    if scope.member_id is None:
        messages.info(request, "您的账号没有关联花名册中的党员，没有本人的党费记录。")
        return redirect("dues:index")
    return redirect("dues:member", pk=scope.member_id)


@access(Audience.OFFICERS, query={"org": "orgs.Organization"})
def month_page(request: HttpRequest) -> HttpResponse:
    scope = get_scope(request.user)
    if not (request.GET.get("org") or request.POST.get("org")) and not _collecting(request).exists():
        # A fresh install (or a top organization only): no branch collects dues yet.
        return render(
            request,
            "core/empty_state.html",
            {
                "title": "党费收缴",
                "message": "还没有收缴党费的党组织（机关党委、党总支或党支部）。请先在“党组织”中添加。",
                "link_url": reverse("orgs:tree"),
                "link_label": "去添加党组织",
            },
        )
    org, month = _org(request), _month(request)

    def body_context() -> dict[str, Any]:
        rows = derived(
            "dues.month_rows",
            scope,
            (org.pk, month),
            lambda: ledger.month_rows(_members(request, org), month),
        )
        due = sum((r.due or 0 for r in rows), 0)
        paid = sum((r.paid for r in rows), 0)
        return {
            "org": org,
            "orgs": org_options(request.user, org, eligible=Organization.objects.of_kind(*COLLECTING)),
            "month": month,
            "month_label": month_label(month),
            "rows": rows,
            "due_total": due,
            "paid_total": paid,
            "rate": ledger._rate(paid, due) if due else None,
            "unpaid_count": sum(1 for r in rows if r.state in ("unpaid", "partial")),
            "flag_count": sum(1 for r in rows if r.red_flag),
            "no_base_count": sum(1 for r in rows if r.no_base),
            "can_write": scope.can_write,
            "lapse_months": LAPSE_MONTHS,
            "lapse_source": LAPSE_SOURCE,
        }

    # The same month of the same organization, read by every officer of it: its rows are
    # computed once per ledger version (a payment or a changed base moves it on), and the
    # rendered table with them (120 rows of the agency's month are most of the page's CPU).
    context = {
        "org": org,
        "month": month,
        "month_label": month_label(month),
        "can_write": scope.can_write,
        "body": rendered_part("dues.month", request, "dues/_month_body.html", body_context),
    }
    return render(request, "dues/month.html", context)


COLLECTION = ("dues.due", "dues.paid", "dues.rate")


def collection_table(orgs: list[Organization], month: datetime.date, user: Any) -> list[dict[str, Any]]:
    """Due, paid and rate per organization (its whole subtree) for each month of the year up to
    ``month`` and the year so far: metrics' dues figures, one grouped read per column."""
    if not orgs:
        return []
    months = [datetime.date(month.year, m, 1) for m in range(1, month.month + 1)]
    columns = [numbers.per_org(COLLECTION, Period.month(m.year, m.month), user, orgs) for m in months]
    year = numbers.per_org(
        COLLECTION, Period.between(months[0], Period.month(month.year, month.month).end), user, orgs
    )

    def cell(values: dict[str, Any]) -> dict[str, Any]:
        # Nothing due: no rate to show (the figure reads 0%).
        rate = values["dues.rate"] if values["dues.due"] else None
        return {"due": values["dues.due"], "paid": values["dues.paid"], "rate": rate}

    return [
        {
            "org": org,
            "cells": [
                {"month": m, **cell(column[org.pk])} for m, column in zip(months, columns, strict=True)
            ],
            **cell(year[org.pk]),
        }
        for org in orgs
    ]


@access(Audience.OFFICERS)
def overview(request: HttpRequest) -> HttpResponse:
    scope = get_scope(request.user)
    month = _month(request)
    orgs = _orgs(request)
    branches = [o for o in orgs if o.kind in (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH)] or orgs
    table = collection_table(branches, month, request.user)
    # Who owes is metrics' figure at the month's end; the list shows those members' standing.
    found = numbers.in_reach(
        ["dues.in_arrears", "dues.lapsed"], Period.month(month.year, month.month), request.user
    )
    owing = restrict(Member.objects.filter(pk__in=found["dues.in_arrears"].evidence_ids), request.user)
    rows = ledger.month_rows(owing, month)
    rows.sort(key=lambda r: (-r.streak, -r.arrears))
    months = [c["month"] for c in table[0]["cells"]] if table else []
    return render(
        request,
        "dues/overview.html",
        {
            "month": month,
            "month_label": month_label(month),
            "table": table,
            "months": months,
            "arrears_rows": rows,
            "arrears_count": found["dues.in_arrears"].value,
            "flags": [r for r in rows if r.red_flag],
            "lapsed_count": found["dues.lapsed"].value,
            "can_run": scope.can_write and scope.whole_agency,
            "lapse_months": LAPSE_MONTHS,
            "lapse_source": LAPSE_SOURCE,
        },
    )


@access(Audience.MEMBERS, target="members.Member")
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_in_scope(Member.objects.select_related("organization"), request.user, pk=pk)
    scope = get_scope(request.user)
    year = period_param(request.GET, "year", Period.year(today().year))[0].start.year
    lines = list(MonthlyDue.objects.filter(member=member, month__year=year).order_by("month"))
    payments = list(
        DuesPayment.objects.filter(member=member)
        .prefetch_related("allocations")
        .order_by("-paid_on", "-id")[:60]
    )
    by_month: dict[datetime.date, list[Any]] = {}
    for payment in payments:
        for part in payment.allocations.all():
            by_month.setdefault(part.month, []).append((payment, part.amount))
    calc = MemberDues(member)
    current = calc.line(month_start(today()))
    rows = ledger.month_rows(Member.objects.filter(pk=member.pk), month_start(today()))
    standing = rows[0] if rows else None
    years = sorted(
        {d.year for d in MonthlyDue.objects.filter(member=member).dates("month", "year")} | {today().year},
        reverse=True,
    )
    return render(
        request,
        "dues/member.html",
        {
            "member": member,
            "year": year,
            "years": years,
            "lines": [(line, by_month.get(line.month, [])) for line in lines],
            "payments": payments,
            "bases": sorted(calc.bases, key=lambda b: b.effective_month, reverse=True),
            "reductions": HardshipReduction.objects.filter(member=member).order_by("-first_month"),
            "current": current,
            "standing": standing,
            "first_month": first_due_month(member),
            "can_write": scope.can_write,
            "is_self": scope.member_id == member.pk,
            "lapse_months": LAPSE_MONTHS,
        },
    )


def _member_for_write(request: HttpRequest, pk: int) -> Member:
    return get_in_scope(Member.objects.select_related("organization"), request.user, pk=pk)


@access(Audience.OFFICERS, writes=True, get_writes=True, target="members.Member")
def payment_new(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member_for_write(request, pk)
    owed = _owed(member)
    form = PaymentForm(
        request.POST or None, initial={"amount": owed["total"]} if owed and owed["total"] else None
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            payment = do_record_payment(
                member,
                data["amount"],
                paid_on=data["paid_on"],
                method=data["method"],
                receipt_number=data["receipt_number"],
                first_month=data["first_month"],
                is_extra=data["is_extra"],
                override_reason=data["override_reason"],
                note=data["note"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            months = "、".join(month_label(a.month) for a in payment.allocations.order_by("month"))
            text = f"已登记{member.name}交纳党费{payment.amount}元" + (
                f"，计入{months}" if months else "，为自愿多交"
            )
            if payment.to_centre:
                text += "；自愿多交1000元以上，全额上缴中央"
            messages.success(request, text + "。")
            target = request.POST.get("next", "")
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = member.get_absolute_url()
            return redirect(target or member.get_absolute_url())
    calc = MemberDues(member)
    return render(
        request,
        "dues/form.html",
        {
            "form": form,
            "member": member,
            "title": f"登记党费：{member.name}",
            "current": calc.line(month_start(today())),
            "owed": owed,
            "back_months": BACK_PAY_MAX_MONTHS,
            "next": request.GET.get("next", ""),
        },
    )


def _owed(member: Member) -> dict[str, Any] | None:
    """What the member owes today, from the ledger: earlier months' arrears plus this month's rest
    (None: the member has no dues base, so nothing can be worked out)."""
    rows = ledger.month_rows(Member.objects.filter(pk=member.pk), month_start(today()))
    if not rows or rows[0].no_base:
        return None
    row = rows[0]
    this_month = max((row.due or 0) - row.paid, 0) if row.due is not None else 0
    return {
        "total": row.arrears or None,
        "this_month": this_month,
        "earlier": row.arrears - this_month,
        "earlier_months": row.unpaid_months - (1 if this_month else 0),
    }


@access(Audience.OFFICERS, writes=True, get_writes=True, target="members.Member")
def base_new(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member_for_write(request, pk)
    form = BaseForm(
        request.POST or None,
        initial={"category": member.dues_category, "effective_month": today().strftime("%Y-%m")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            row = do_set_base(
                member,
                data["amount"],
                effective_month=data["effective_month"],
                category=data["category"],
                note=data["note"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                f"{member.name}自{month_label(row.effective_month)}起交纳基数{row.amount}元，"
                f"每月交纳{row.standard}元。",
            )
            return redirect(member.get_absolute_url())
    return render(
        request, "dues/form.html", {"form": form, "member": member, "title": f"交纳基数：{member.name}"}
    )


@access(Audience.OFFICERS, writes=True, get_writes=True, target="members.Member")
def reduction_new(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member_for_write(request, pk)
    form = ReductionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reduction = do_add_reduction(member, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, f"已登记{member.name}{reduction.months_label}党费{reduction.get_kind_display()}。"
            )
            return redirect(member.get_absolute_url())
    return render(
        request, "dues/form.html", {"form": form, "member": member, "title": f"困难减免：{member.name}"}
    )


@access(Audience.OFFICERS, writes=True)
def import_view(request: HttpRequest, kind: str) -> HttpResponse:
    """Upload a base or payment list: stored and handed to a job (a dry run first, by default).

    The rows go through the same actions as the forms, which may take minutes for a big list, so
    the request only stores the file and queues the job; the job page shows progress and then
    the report, with 确认导入 after a clean dry run.
    """
    if kind not in jobs_dues.IMPORT_TITLES:
        raise Http404
    default = today().replace(month=1, day=1) if kind == "bases" else month_start(today())
    form = ImportForm(
        request.POST or None, request.FILES or None, initial={"month": default.strftime("%Y-%m")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            # Refused before the whole upload is read into memory.
            form.add_error(
                "file",
                f"文件大小 {upload.size / 1048576:.1f} MB，超过了 "
                f"{settings.IMPORT_MAX_BYTES / 1048576:.0f} MB 的上限。请分成几个文件导入。",
            )
        else:
            return redirect(
                _enqueue_import(
                    request,
                    kind,
                    upload.read(),
                    filename=(upload.name or f"{jobs_dues.IMPORT_TITLES[kind]}.xlsx")[:200],
                    month=data["month"],
                    on=today(),
                    dry_run=data["dry_run"],
                )
            )
    title = "导入交纳基数" if kind == "bases" else "导入党费交纳表"
    columns = excel.BASE_COLUMNS if kind == "bases" else excel.PAYMENT_COLUMNS
    return render(
        request, "dues/import.html", {"form": form, "kind": kind, "title": title, "columns": columns}
    )


def _enqueue_import(
    request: HttpRequest,
    kind: str,
    data: bytes,
    *,
    filename: str,
    month: datetime.date,
    on: datetime.date,
    dry_run: bool,
) -> Any:
    return jobs.enqueue(
        jobs_dues.IMPORT_KIND,
        owner=request.user,
        title=f"{'试导入' if dry_run else '导入'}{jobs_dues.IMPORT_TITLES[kind]}：{filename}",
        # The payment date of rows without one is the day of the upload, not of the run.
        arguments={
            "kind": kind,
            "month": f"{month:%Y-%m}",
            "on": on.isoformat(),
            "dry_run": dry_run,
            "filename": filename,
        },
        upload=data,
        upload_name=filename,
    )


@access(Audience.OFFICERS, writes=True, post_only=True)
def import_confirm(request: HttpRequest) -> HttpResponse:
    """确认导入: import the file a clean dry run checked, kept on the server with that dry run's job."""
    if not request.POST.get("job"):
        messages.error(request, "没有指定要确认的试导入，请先上传文件试导入。")
        return redirect("dues:import", kind="payments")
    job = jobs.get_job(request.user, request.POST.get("job"))
    if job.owner_id != request.user.pk or job.kind != jobs_dues.IMPORT_KIND:
        raise Http404(NOT_FOUND)
    args = job.arguments
    checked = ImportReport.from_dict(job.result) if job.result else None
    if not (args.get("dry_run") and checked is not None and checked.ok):
        messages.error(request, "只能确认一次通过了的试导入。请重新上传文件。")
        return redirect("dues:import", kind=args.get("kind", "payments"))
    try:
        data = job.input_path.read_bytes()
    except FileNotFoundError:
        messages.error(request, "试导入的文件已不在服务器上（超过保存期限后删除），请重新上传。")
        return redirect("dues:import", kind=args["kind"])
    # Checked again as it is written: the ledger may have changed since the dry run.
    return redirect(
        _enqueue_import(
            request,
            args["kind"],
            data,
            filename=args.get("filename", ""),
            month=parse_month(args["month"]),
            on=datetime.date.fromisoformat(args["on"]),
            dry_run=False,
        )
    )


@access(Audience.OFFICERS, download=True)
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in ("bases", "payments"):
        raise Http404
    name = "交纳基数导入模板.xlsx" if kind == "bases" else "党费交纳导入模板.xlsx"
    return _xlsx(excel.template_workbook(kind), name)


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    return attachment(content, XLSX, filename, ascii_name="dues")


@access(Audience.OFFICERS, query={"org": "orgs.Organization"}, download=True)
def export_standard(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    year = _month(request).year
    lines = ledger.standard_lines(_members(request, org), year)
    return _xlsx(excel.standard_list(org, year, lines), f"{org.name}{year}年党费交纳标准公示表.xlsx")


@access(Audience.OFFICERS, query={"org": "orgs.Organization"}, download=True)
def export_collection(request: HttpRequest) -> HttpResponse:
    org, month = _org(request), _month(request)
    lines = excel.collection_report(org, month, ledger.collection_lines(_members(request, org), month))
    return _xlsx(lines, f"{org.name}党费收缴情况表{month:%Y-%m}.xlsx")


@access(Audience.SUPERVISORS, writes=True, post_only=True)
def run(request: HttpRequest) -> HttpResponse:
    month = _month(request)
    job = jobs.enqueue(
        "dues.run_month",
        owner=request.user,
        title=f"生成{month_label(month)}党费台账",
        arguments={"month": f"{month:%Y-%m}"},
    )
    return redirect(job)


def home_panel(request: HttpRequest) -> Panel | None:
    """A member's own dues on the home page: this month's line (standard, due), what is owed."""
    scope = get_scope(request.user)
    if not scope.only_self or scope.member_id is None:
        return None
    member = Member.objects.filter(pk=scope.member_id).first()
    if member is None:
        return None
    month = month_start(today())
    rows = ledger.month_rows(Member.objects.filter(pk=member.pk), month)
    # What is owed in all is metrics' figure over the member's own records, as a report says it.
    owed = numbers.in_reach(["dues.arrears"], numbers.on_day(), request.user)["dues.arrears"]
    return Panel(
        order=40,
        template="dues/_home_panel.html",
        context={
            "member": member,
            "row": rows[0] if rows else None,
            "arrears": owed.value,
            "month_label": month_label(month),
        },
    )
