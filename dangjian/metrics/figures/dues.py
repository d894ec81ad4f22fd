"""Figures over the dues ledger: what was due and paid in a period and the collection rate
(from the ledger lines the monthly run and the payments write), and the arrears at the period's
end (the standing of the members on the roll, as the branch officer's month page works it out)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from dangjian.core.period import Period
from dangjian.metrics.base import as_of, members_active_on, scoped, subtree_ids
from dangjian.metrics.figures import Figure, capped_ids, percent

COLLECTION_KEYS = ("dues.due", "dues.paid", "dues.rate")
STANDING_KEYS = ("dues.arrears", "dues.in_arrears", "dues.lapsed")


def dues_lines(org: Any, period: Period, user: Any = None) -> QuerySet[Any]:
    """The subtree's ledger lines (one per member and month) for the months of ``period``."""
    from dangjian.dues.models import MonthlyDue

    qs = MonthlyDue.objects.filter(
        organization_id__in=subtree_ids(org), month__gte=period.start, month__lte=period.end
    )
    return scoped(qs, user).order_by()


def collection_rate(paid: Decimal, due: Decimal) -> Decimal:
    """Paid (at most what was due) / due, in % (overpayment does not lift the rate above 100%)."""
    return percent(min(paid, due), due)


def collection(org: Any, period: Period, user: Any = None) -> dict[str, Figure]:
    """ "dues.due", "dues.paid" (元) and "dues.rate" (%) over the period's ledger lines."""
    from dangjian.dues.allocation import fen

    lines = dues_lines(org, period, user)
    sums = lines.aggregate(
        total_due=Sum("due"),
        total_paid=Sum("paid"),
        n=Count("pk"),
        n_paid=Count("pk", filter=Q(paid__gt=0)),
    )
    due, paid = fen(sums["total_due"]), fen(sums["total_paid"])
    ids, capped = capped_ids(lines, sums["n"])
    paid_ids, paid_capped = capped_ids(lines.filter(paid__gt=0), sums["n_paid"])
    return {
        "dues.due": Figure("dues.due", "应交党费", due, "元", "dues.monthlydue", ids, None, capped),
        "dues.paid": Figure(
            "dues.paid", "实交党费", paid, "元", "dues.monthlydue", paid_ids, None, paid_capped
        ),
        "dues.rate": Figure(
            "dues.rate",
            "党费收缴率",
            collection_rate(paid, due),
            "%",
            "dues.monthlydue",
            ids,
            (min(paid, due), due),
            capped,
        ),
    }


def standing_rows(org: Any, period: Period, user: Any = None) -> list[Any]:
    """Each member on the roll at the period's end with their dues standing in its last month
    (``dues.ledger.month_rows``: a month not yet written by the monthly run is owed all the same)."""
    from dangjian.dues.allocation import month_start
    from dangjian.dues.ledger import month_rows

    day = as_of(period)
    return month_rows(members_active_on(org, day, user), month_start(day))


def standing(org: Any, period: Period, user: Any = None) -> dict[str, Figure]:
    """ "dues.arrears" (元 owed in all), "dues.in_arrears" (members owing) and "dues.lapsed"
    (members with nothing paid for LAPSE_MONTHS months running, 党章 Art 9) at the period's end."""
    from dangjian.dues.allocation import ZERO
    from dangjian.dues.rates import LAPSE_MONTHS

    owing = [row for row in standing_rows(org, period, user) if row.arrears > 0]
    ids = sorted(row.member.pk for row in owing)
    lapsed = sorted(row.member.pk for row in owing if row.red_flag)
    total = sum((row.arrears for row in owing), ZERO)
    return {
        "dues.arrears": Figure("dues.arrears", "累计欠交党费", total, "元", "members.member", ids),
        "dues.in_arrears": Figure("dues.in_arrears", "欠交党费党员", len(ids), "人", "members.member", ids),
        "dues.lapsed": Figure(
            "dues.lapsed", f"连续{LAPSE_MONTHS}个月未交纳党费", len(lapsed), "人", "members.member", lapsed
        ),
    }
