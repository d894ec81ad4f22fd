"""The monthly dues run: every active member's standard and due for a month, then arrears.

Set-based: one INSERT … SELECT … ON CONFLICT writes the month's ledger line for everyone from
the base in force and any approved reduction (the standard itself was computed in Python, with
Decimal and the configured rounding, when the base was recorded); one GROUP BY then gives
arrears and the 6-month red flags. Python touches only the rare rows the SQL cannot do: members
with no base on record yet, and bases computed under an older rate table.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.dates import add_months
from dangjian.dues.allocation import fen, month_start
from dangjian.dues.choices import BaseSource, ReductionKind
from dangjian.dues.models import DuesBase, HardshipReduction, MonthlyDue, PaymentAllocation
from dangjian.dues.rates import DuesInputError, table_for
from dangjian.members.choices import ACTIVE_STATUSES
from dangjian.members.models import Member


@dataclass
class RunSummary:
    """What a monthly run did and found."""

    month: datetime.date
    lines: int  # ledger lines for the month
    written: int  # of which inserted or changed by this run
    bases_created: int
    missing_base: int
    total_due: Decimal
    total_paid: Decimal
    members_in_arrears: int
    arrears_total: Decimal
    red_flags: int
    seconds: float
    phases: dict[str, float] = field(default_factory=dict)  # seconds per step, for the bench


def _create_roster_bases(month: datetime.date) -> tuple[int, int]:
    """Members due this month with no base on record get one when their category needs none.

    Students, the unemployed and those on a minimum allowance pay a fixed amount whatever they
    earn, so their base is 0 from the admission month. Everyone else without a base (in service,
    retired, farmers) is counted as missing: the officer enters it in dues, or with the roster
    (its 交纳基数 column, written as DuesBase rows by ``do_set_roster_bases``).
    """
    next_month = add_months(month, 1)
    missing = (
        Member.objects.active()
        .filter(admission_date__lt=next_month)
        .exclude(dues_bases__effective_month__lte=month)
        .only("id", "admission_date", "dues_category")
        .order_by()
    )
    created, skipped = [], 0
    for member in missing.iterator(chunk_size=2000):
        row = DuesBase(
            member=member,
            effective_month=month_start(member.admission_date),
            category=member.dues_category,
            amount=Decimal("0.00"),
            source=BaseSource.ROSTER,
        )
        try:
            row.compute()
        except DuesInputError:
            skipped += 1  # a farmer chooses an amount: the officer must enter it
            continue
        if row.rate is not None:
            skipped += 1  # in service / retired without a base: the officer must enter one
            continue
        created.append(row)
    # The roster base may be effective earlier than an existing later row; never clash with one.
    taken = set(
        DuesBase.objects.filter(member_id__in=[r.member_id for r in created]).values_list(
            "member_id", "effective_month"
        )
    )
    created = [r for r in created if (r.member_id, r.effective_month) not in taken]
    DuesBase.objects.bulk_create(created, batch_size=2000)
    audit.record_bulk_create(created, "按党费类别生成定额基数")
    return len(created), skipped


# Window functions pick the base in force and the reduction covering the month in one pass each
# (not one lookup per member); a line whose values did not change is not rewritten on a re-run.
_UPSERT = """
WITH b AS (
    SELECT member_id, category, amount, rate, standard, rates_from,
           ROW_NUMBER() OVER (PARTITION BY member_id ORDER BY effective_month DESC) AS rn
    FROM {base} WHERE effective_month <= %s
), r AS (
    SELECT id, member_id, kind, amount,
           ROW_NUMBER() OVER (PARTITION BY member_id ORDER BY first_month DESC) AS rn
    FROM {red} WHERE first_month <= %s AND last_month >= %s
), a AS (
    SELECT member_id, SUM(amount) AS paid FROM {alloc} WHERE month = %s GROUP BY member_id
)
INSERT INTO {md} (member_id, month, organization_id, category, base, rate, standard, due,
                  reduction_id, paid, rates_from, computed_at)
SELECT m.id, %s, m.organization_id, b.category, b.amount, b.rate, b.standard,
       CASE WHEN r.id IS NULL THEN b.standard
            WHEN r.kind = %s THEN 0
            WHEN r.amount < b.standard THEN r.amount
            ELSE b.standard END,
       r.id, COALESCE(a.paid, 0), b.rates_from, %s
FROM {member} m
JOIN b ON b.member_id = m.id AND b.rn = 1
LEFT JOIN r ON r.member_id = m.id AND r.rn = 1
LEFT JOIN a ON a.member_id = m.id
WHERE m.status IN ({statuses}) AND m.admission_date < %s AND b.rates_from = %s
ON CONFLICT (member_id, month) DO UPDATE SET
    organization_id = excluded.organization_id, category = excluded.category, base = excluded.base,
    rate = excluded.rate, standard = excluded.standard, due = excluded.due,
    reduction_id = excluded.reduction_id, paid = excluded.paid, rates_from = excluded.rates_from,
    computed_at = excluded.computed_at
WHERE {md}.organization_id <> excluded.organization_id OR {md}.category <> excluded.category
   OR {md}.base <> excluded.base OR COALESCE({md}.rate, -1) <> COALESCE(excluded.rate, -1)
   OR {md}.standard <> excluded.standard OR {md}.due <> excluded.due
   OR COALESCE({md}.reduction_id, 0) <> COALESCE(excluded.reduction_id, 0)
   OR {md}.paid <> excluded.paid OR {md}.rates_from <> excluded.rates_from
"""


def _upsert_lines(month: datetime.date, now: datetime.datetime) -> int:
    table = table_for(month)
    sql = _UPSERT.format(
        md=MonthlyDue._meta.db_table,
        alloc=PaymentAllocation._meta.db_table,
        member=Member._meta.db_table,
        base=DuesBase._meta.db_table,
        red=HardshipReduction._meta.db_table,
        statuses=", ".join(["%s"] * len(ACTIVE_STATUSES)),
    )
    params = [
        month,
        month,
        month,
        month,
        month,
        ReductionKind.EXEMPT.value,
        now,
        *[str(s) for s in ACTIVE_STATUSES],
        add_months(month, 1),
        table.valid_from,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _lines_from_older_tables(month: datetime.date, now: datetime.datetime) -> int:
    """Bases computed under an older rate table: recompute this month's line in Python."""
    from dangjian.dues.actions import MemberDues

    table = table_for(month)
    stale_members = (
        Member.objects.active()
        .filter(admission_date__lt=add_months(month, 1), dues_bases__effective_month__lte=month)
        .exclude(dues_bases__rates_from=table.valid_from)
        .distinct()
    )
    count = 0
    for member in stale_members:
        row = MemberDues(member).monthly_row(month, now)
        if row is None:
            continue
        paid = PaymentAllocation.objects.filter(member=member, month=month).aggregate(s=Sum("amount"))["s"]
        row.paid = paid or Decimal("0.00")
        MonthlyDue.objects.filter(member=member, month=month).delete()
        row.save()
        count += 1
    return count


@transaction.atomic
def run_month(month: datetime.date) -> RunSummary:
    """Compute the month's standards and dues for every active member, then arrears and red flags."""
    started = time.perf_counter()
    phases: dict[str, float] = {}

    def lap(name: str) -> None:
        phases[name] = round(time.perf_counter() - started - sum(phases.values()), 3)

    month = month_start(month)
    now = timezone.now()
    if connection.vendor == "postgresql":
        # The run is idempotent and can simply be run again, so its commit need not wait for the
        # WAL flush (a crash could lose this run, never corrupt data).
        # Enough sort/hash memory for the window functions and joins over every member to stay in RAM.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
            cursor.execute("SET LOCAL work_mem TO '64MB'")
    with audit.acting(None, "run"):
        created, missing = _create_roster_bases(month)
    lap("roster_bases")
    written = _upsert_lines(month, now)
    if DuesBase.objects.exclude(rates_from=table_for(month).valid_from).exists():
        written += _lines_from_older_tables(month, now)
    # The lines are written in SQL, past the audit signals: tell the derived caches (the month
    # page, the figures) that the ledger changed.
    audit.ledger_changed()
    lap("lines")
    this_month = MonthlyDue.objects.filter(month=month).aggregate(
        lines=Count("pk"), due=Sum("due"), paid=Sum("paid")
    )
    lap("month_totals")
    flagged = MonthlyDue.objects.red_flag_q(month)
    standing = (
        MonthlyDue.objects.filter(member__status__in=ACTIVE_STATUSES)
        .standing_rows(month)
        .member_standing(month)
        .aggregate(
            members=Count("member_id", filter=Q(arrears__gt=0)),
            total=Sum("arrears"),
            flags=Count("member_id", filter=flagged),
        )
    )
    lap("arrears_and_flags")
    return RunSummary(
        month=month,
        lines=this_month["lines"],
        written=written,
        bases_created=created,
        missing_base=missing,
        total_due=fen(this_month["due"]),
        total_paid=fen(this_month["paid"]),
        members_in_arrears=standing["members"] or 0,
        arrears_total=fen(standing["total"]),
        red_flags=standing["flags"] or 0,
        seconds=time.perf_counter() - started,
        phases=phases,
    )
