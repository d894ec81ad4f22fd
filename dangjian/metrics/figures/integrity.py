"""Figures over integrity work: integrity talks by kind, branches without a 纪检委员/联络员, unit
rules issued, and the 三公经费 the finance officer entered (labelled as entered)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from dangjian.core.period import Period
from dangjian.metrics.base import as_of, scoped
from dangjian.metrics.figures import Figure
from dangjian.metrics.figures.duties import org_ids

TALK_KINDS = {"integrity_talk": "廉政谈话", "reminder_talk": "提醒谈话", "admonishment_talk": "诫勉谈话"}
TALK_KEYS = ("integrity.talks", *(f"integrity.talks.{code}" for code in TALK_KINDS))


def talk_counts(org: Any, period: Period, user: Any = None) -> dict[str, Figure]:
    """Held talks of the integrity kinds in the subtree (by their primary type), and all three."""
    from dangjian.activities.models import Activity, ActivityType

    # By the types' ids (not a join on their code), so SQLite reads the (type, held_on) index.
    types = dict(ActivityType.objects.filter(code__in=list(TALK_KINDS)).values_list("pk", "code"))
    rows = list(
        scoped(
            Activity.objects.held()
            .within(period.start, period.end)
            .filter(organization_id__in=org_ids(org), activity_type_id__in=list(types)),
            user,
        )
        .order_by()
        .values_list("pk", "activity_type_id")
    )
    rows = [(pk, types[type_id]) for pk, type_id in rows]
    found = {
        "integrity.talks": Figure(
            "integrity.talks",
            "廉政类谈话合计",
            len(rows),
            "次",
            "activities.activity",
            sorted(p for p, _c in rows),
        )
    }
    for code, label in TALK_KINDS.items():
        ids = sorted(p for p, c in rows if c == code)
        found[f"integrity.talks.{code}"] = Figure(
            f"integrity.talks.{code}", label, len(ids), "次", "activities.activity", ids
        )
    return found


def branches_without_officers(org: Any, period: Period, user: Any = None) -> Figure:
    """Active branches of the subtree with no current 纪检委员 or 纪检联络员 at the period's end."""
    from dangjian.members.models import Post
    from dangjian.orgs.models import Organization

    day = as_of(period)
    branches = scoped(
        Organization.objects.active(day).filter(
            path__startswith=org.path, kind__in=("branch", "general_branch")
        ),
        user,
    )
    staffed = (
        Post.objects.current(day)
        .filter(kind__in=("discipline_commissioner", "discipline_liaison"))
        .values("organization_id")
    )
    ids = sorted(branches.exclude(pk__in=staffed).values_list("pk", flat=True))
    return Figure(
        "integrity.branches_without_officers",
        "未配备纪检委员（联络员）的党支部",
        len(ids),
        "个",
        "orgs.organization",
        ids,
    )


def rules_issued(org: Any, period: Period, user: Any = None) -> Figure:
    from dangjian.integrity.models import UnitRule

    qs = scoped(
        UnitRule.objects.filter(
            organization_id__in=org_ids(org), issued_on__gte=period.start, issued_on__lte=period.end
        ),
        user,
    )
    ids = sorted(qs.values_list("pk", flat=True))
    # the rules by title, oldest first, so a report names what was issued
    names = tuple(dict.fromkeys(qs.order_by("issued_on", "pk").values_list("title", flat=True)))
    return Figure("integrity.rules", "制定修订制度", len(ids), "项", "integrity.unitrule", ids, names=names)


def public_expense(org: Any, period: Period, user: Any = None) -> Figure:
    """三公经费 of the period's years as the finance officer entered it (万元; entered, not computed)."""
    from dangjian.integrity.models import PublicExpense

    qs = scoped(
        PublicExpense.objects.filter(
            organization_id__in=org_ids(org), year__gte=period.start.year, year__lte=period.end.year
        ),
        user,
    )
    rows = list(qs.values_list("pk", "travel_abroad", "vehicles", "reception"))
    total = sum((a + b + c for _pk, a, b, c in rows), Decimal("0.00"))
    return Figure(
        "integrity.public_expense",
        "三公经费（财务人员录入）",
        total,
        "万元",
        "integrity.publicexpense",
        sorted(r[0] for r in rows),
        # the documents it was typed from: an entered figure is cited with its source
        names=tuple(dict.fromkeys(qs.order_by("year").values_list("source_document", flat=True))),
    )


EXPENSE_PARTS = {
    "travel_abroad": "因公出国（境）费",
    "vehicles": "公务用车购置及运行费",
    "reception": "公务接待费",
}
EXPENSE_KEYS = (
    "integrity.public_expense.previous",
    "integrity.public_expense.decrease",
    *(f"integrity.public_expense.{part}" for part in EXPENSE_PARTS),
)


def public_expense_before(org: Any, period: Period, user: Any = None) -> dict[str, Figure]:
    """ "integrity.public_expense.previous": the 三公经费 entered for the year before the
    period's first year; ".decrease": how much the period's single year is below it (0 when it
    is not below, or either year is not entered), so a draft states a fall, never a rise, as done."""
    from dangjian.integrity.models import PublicExpense

    def year_rows(year: int) -> list[tuple[int, Decimal]]:
        qs = scoped(PublicExpense.objects.filter(organization_id__in=org_ids(org), year=year), user)
        return [
            (pk, a + b + c) for pk, a, b, c in qs.values_list("pk", "travel_abroad", "vehicles", "reception")
        ]

    before = year_rows(period.start.year - 1)
    now = year_rows(period.start.year) if period.start.year == period.end.year else []
    previous = sum((t for _pk, t in before), Decimal("0.00"))
    current = sum((t for _pk, t in now), Decimal("0.00"))
    fell = before and now and current < previous
    model = "integrity.publicexpense"
    # the period's years by the three parts, as entered (a report says "其中公务接待费…")
    parts = list(
        scoped(
            PublicExpense.objects.filter(
                organization_id__in=org_ids(org), year__gte=period.start.year, year__lte=period.end.year
            ),
            user,
        ).values_list("pk", *EXPENSE_PARTS)
    )
    by_part = {
        f"integrity.public_expense.{part}": Figure(
            f"integrity.public_expense.{part}",
            f"{label}（财务人员录入）",
            sum((row[n + 1] for row in parts), Decimal("0.00")),
            "万元",
            model,
            sorted(row[0] for row in parts),
        )
        for n, (part, label) in enumerate(EXPENSE_PARTS.items())
    }
    return {
        **by_part,
        "integrity.public_expense.previous": Figure(
            "integrity.public_expense.previous",
            "上年三公经费（财务人员录入）",
            previous,
            "万元",
            model,
            sorted(pk for pk, _t in before),
        ),
        "integrity.public_expense.decrease": Figure(
            "integrity.public_expense.decrease",
            "三公经费比上年减少（财务人员录入）",
            previous - current if fell else Decimal("0.00"),
            "万元",
            model,
            sorted(pk for pk, _t in [*before, *now]) if fell else [],
        ),
    }


OFFICER_KEYS = (
    "integrity.officers",
    "integrity.officers.branches",
    "integrity.officers.commissioners",
    "integrity.officers.liaisons",
)


def officers(org: Any, period: Period, user: Any = None) -> dict[str, Figure]:
    """The "two officers" (纪检委员, 纪检联络员) holding their post at the period's end in the
    subtree's active branches, and the branches that have one (names: the branches)."""
    from dangjian.members.models import Post
    from dangjian.orgs.models import Organization

    day = as_of(period)
    branches = scoped(
        Organization.objects.active(day).filter(
            path__startswith=org.path, kind__in=("branch", "general_branch")
        ),
        user,
    )
    posts = list(
        Post.objects.current(day)
        .filter(
            kind__in=("discipline_commissioner", "discipline_liaison"),
            organization_id__in=branches.values("pk"),
        )
        .order_by("organization__path")
        .values_list("pk", "organization_id", "organization__name", "kind")
    )
    commissioners = sorted(p[0] for p in posts if p[3] == "discipline_commissioner")
    liaisons = sorted(p[0] for p in posts if p[3] == "discipline_liaison")
    staffed = sorted({p[1] for p in posts})
    return {
        "integrity.officers": Figure(
            "integrity.officers",
            "纪检委员（联络员）",
            len(posts),
            "名",
            "members.post",
            sorted(p[0] for p in posts),
        ),
        "integrity.officers.branches": Figure(
            "integrity.officers.branches",
            "配备纪检委员（联络员）的党支部",
            len(staffed),
            "个",
            "orgs.organization",
            staffed,
            # the branch's short name, without the offices it groups ("机关第一党支部")
            names=tuple(dict.fromkeys(re.sub(r"（.*?）", "", p[2]) for p in posts)),
        ),
        "integrity.officers.commissioners": Figure(
            "integrity.officers.commissioners",
            "纪检委员",
            len(commissioners),
            "名",
            "members.post",
            commissioners,
        ),
        "integrity.officers.liaisons": Figure(
            "integrity.officers.liaisons", "纪检联络员", len(liaisons), "名", "members.post", liaisons
        ),
    }


INSPECTION_KINDS = {
    "inspection": "巡察",
    "audit": "审计",
    "fund_check": "专项资金检查",
    "supervision": "督查检查",
}
INSPECTION_KEYS = (
    "inspections.count",
    *(f"inspections.{code}" for code in INSPECTION_KINDS),
    "inspections.amount",
)


def inspection_counts(org: Any, period: Period, user: Any = None) -> dict[str, Figure]:
    """Inspections, audits and special-fund checks of the subtree begun in the period, in all and
    by kind, with their titles; and the money they checked (万元, as recorded on them)."""
    from dangjian.rectification.models import Inspection

    rows = list(
        scoped(
            Inspection.objects.filter(
                organization_id__in=org_ids(org),
                started_on__gte=period.start,
                started_on__lte=period.end,
            ),
            user,
        )
        .order_by("started_on", "pk")
        .values_list("pk", "kind", "title", "amount_checked")
    )
    model = "rectification.inspection"
    found = {
        "inspections.count": Figure(
            "inspections.count",
            "巡察审计和专项检查",
            len(rows),
            "次",
            model,
            sorted(r[0] for r in rows),
            names=tuple(r[2] for r in rows),
        )
    }
    for code, label in INSPECTION_KINDS.items():
        mine = [r for r in rows if r[1] == code]
        found[f"inspections.{code}"] = Figure(
            f"inspections.{code}",
            label,
            len(mine),
            "次",
            model,
            sorted(r[0] for r in mine),
            names=tuple(r[2] for r in mine),
        )
    with_money = [r for r in rows if r[3] is not None]
    found["inspections.amount"] = Figure(
        "inspections.amount",
        "检查资金",
        sum((r[3] for r in with_money), Decimal("0.00")),
        "万元",
        model,
        sorted(r[0] for r in with_money),
    )
    return found
