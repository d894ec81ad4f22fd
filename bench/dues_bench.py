"""Dues benchmark: the monthly run (standards and arrears) for 200,000 members on PostgreSQL.

    .venv/bin/python bench/dues_bench.py
    DANGJIAN_DATABASE_URL=postgres://postgres@127.0.0.1:5432/dues_bench .venv/bin/python bench/dues_bench.py

The bench owns its database (dropped and recreated). It builds, with set-based SQL:
1,000 branches, 200,000 members (in service, retired, farmer, student; 2% probationary admitted
mid-year), a base for everyone from January (10% with a raise from July), 1,000 exemptions,
eleven months of ledger history (Dec–Oct; 5% behind by two months, 0.3% unpaid since March),
and November payments for 80% of members. It then times ``run_month(2026-11)`` — first run
(every line inserted) and a re-run (every line updated) — the same function the CLI
``dangjian dues run --month 2026-11`` calls. Target (issue 6): under 10 s.
"""

from __future__ import annotations

import os
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dues_bench"
MEMBERS = 200_000
BRANCHES = 1_000


def prepare_database(reuse: bool) -> str:
    url = os.environ.setdefault("DANGJIAN_DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    if reuse:
        return url
    if not url.startswith("postgres"):
        sys.exit("dues_bench 测的是 PostgreSQL：请把 DANGJIAN_DATABASE_URL 设为 postgres://… 数据库。")
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    return url


def backend_cpu(pid: int) -> float:
    """CPU seconds used so far by the PostgreSQL backend serving this connection (same machine).

    The bench machine is shared; CPU time shows what the run costs apart from waiting for a core.
    """
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(label: str, fn, *args):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = fn(*args)
    print(f"  {label}: {time.perf_counter() - started:.2f} s", flush=True)
    return result


def build() -> None:
    from django.db import connection, transaction

    from dangjian.dues.models import DuesBase
    from dangjian.dues.rates import monthly_standard, table_for
    from dangjian.orgs.choices import OrgKind
    from dangjian.orgs.models import Organization

    with transaction.atomic():
        lg = Organization.objects.create(name="基准局党组", kind=OrgKind.LEADING_GROUP)
        oc = Organization.objects.create(name="基准局机关党委", kind=OrgKind.ORGAN_COMMITTEE, parent=lg)
        branch_ids = [
            Organization.objects.create(
                name=f"第{i + 1:04d}党支部", kind=OrgKind.BRANCH, parent=oc, order=i
            ).pk
            for i in range(BRANCHES)
        ]
    rates_from = table_for().valid_from
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO members_member (created_at, updated_at, name, pinyin_initials, gender, ethnicity,
                birth_date, native_place, education, phone, department, job_title, status, admission_date,
                confirmation_date, dues_category, is_mobile, note, organization_id)
            SELECT now(), now(), '党员' || g, 'dy', CASE WHEN mod(g, 2) = 0 THEN 'male' ELSE 'female' END, '汉族',
                DATE '1960-01-01' + (mod(g, 12000)), '', 'bachelor', '', '', '',
                CASE WHEN mod(g, 50) = 0 THEN 'probationary' ELSE 'full' END,
                CASE WHEN mod(g, 50) = 0 THEN DATE '2026-06-15' ELSE DATE '1990-01-01' + (mod(g, 10000)) END,
                CASE WHEN mod(g, 50) = 0 THEN NULL ELSE DATE '1991-01-01' + (mod(g, 10000)) END,
                CASE WHEN mod(g, 100) < 90 THEN 'in_service' WHEN mod(g, 100) < 98 THEN 'retired'
                     WHEN mod(g, 100) = 98 THEN 'farmer' ELSE 'student' END,
                false, '', (%s::bigint[])[1 + mod(g, %s)]
            FROM generate_series(1, %s) AS g
            """,
            [branch_ids, BRANCHES, MEMBERS],
        )
        # Distinct (category, amount) pairs get their standard from the Python calculator — the
        # same Decimal path a web form or an import takes.
        cur.execute(
            """
            CREATE TEMP TABLE bench_base AS
            SELECT id AS member_id, dues_category AS category, status,
                CASE dues_category WHEN 'in_service' THEN 2000 + mod(id * 37, 11000)
                                   WHEN 'retired' THEN 2000 + mod(id * 13, 6000)
                                   WHEN 'farmer' THEN 0.5 ELSE 0 END::numeric(12, 2) AS amount
            FROM members_member
            """
        )
        cur.execute("SELECT DISTINCT category, amount FROM bench_base")
        pairs = cur.fetchall()
        cur.execute(
            "CREATE TEMP TABLE bench_std (category text, amount numeric(12,2), rate numeric(6,4), standard numeric(12,2))"
        )
        amounts = set()
        for category, amount in pairs:
            amounts.add((category, Decimal(amount)))
            if category == "in_service":
                amounts.add((category, (Decimal(amount) * Decimal("1.05")).quantize(Decimal("0.01"))))
        rows = []
        for category, amount in sorted(amounts):
            result = monthly_standard(category, amount)
            rows.append((category, amount, result.rate, result.amount))
        cur.executemany("INSERT INTO bench_std VALUES (%s, %s, %s, %s)", rows)
        base_table = DuesBase._meta.db_table
        cur.execute(
            f"""
            INSERT INTO {base_table} (created_at, updated_at, member_id, effective_month, category, amount,
                standard, rate, rates_from, source, note)
            SELECT now(), now(), b.member_id,
                CASE WHEN b.status = 'probationary' THEN DATE '2026-06-01' ELSE DATE '2025-12-01' END,
                b.category, b.amount, s.standard, s.rate, %s, 'import', ''
            FROM bench_base b JOIN bench_std s ON s.category = b.category AND s.amount = b.amount
            """,
            [rates_from],
        )
        cur.execute(
            f"""
            INSERT INTO {base_table} (created_at, updated_at, member_id, effective_month, category, amount,
                standard, rate, rates_from, source, note)
            SELECT now(), now(), b.member_id, DATE '2026-07-01', b.category, s.amount, s.standard, s.rate, %s,
                'manual', '七月调资'
            FROM bench_base b JOIN bench_std s
                ON s.category = b.category AND s.amount = (b.amount * 1.05)::numeric(12, 2)
            WHERE b.category = 'in_service' AND mod(b.member_id, 10) = 3 AND b.status = 'full'
            """,
            [rates_from],
        )
        cur.execute(
            """
            INSERT INTO dues_hardshipreduction (created_at, updated_at, member_id, kind, amount, first_month,
                last_month, reason, approved_by, approver, approved_on, document_number)
            SELECT now(), now(), id, 'exempt', NULL, DATE '2026-09-01', DATE '2026-12-01', '困难', '机关党委',
                '', DATE '2026-08-20', '机党〔2026〕' || id || '号'
            FROM members_member WHERE mod(id, 200) = 7
            """
        )
        # Base validity ranges, so history and payments join by range instead of a lookup per row.
        cur.execute(
            f"""
            CREATE TEMP TABLE bench_ranges AS
            SELECT member_id, effective_month, category, amount, rate, standard,
                LEAD(effective_month) OVER (PARTITION BY member_id ORDER BY effective_month) AS valid_to
            FROM {base_table}
            """
        )
        cur.execute("ANALYZE")
        # Eleven months of history, as earlier runs and payments would have left it.
        cur.execute(
            """
            INSERT INTO dues_monthlydue (member_id, month, organization_id, category, base, rate, standard, due,
                reduction_id, paid, rates_from, computed_at)
            SELECT m.id, mon::date, m.organization_id, b.category, b.amount, b.rate, b.standard, b.standard, NULL,
                CASE WHEN mod(m.id, 300) = 11 AND mon >= DATE '2026-03-01' THEN 0
                     WHEN mod(m.id, 20) = 5 AND mon >= DATE '2026-09-01' THEN 0
                     ELSE b.standard END,
                %s, now()
            FROM members_member m
            CROSS JOIN generate_series(DATE '2025-12-01', DATE '2026-10-01', INTERVAL '1 month') AS mon
            JOIN bench_ranges b ON b.member_id = m.id AND b.effective_month <= mon::date
                AND (b.valid_to IS NULL OR mon::date < b.valid_to)
            WHERE m.admission_date < mon::date + INTERVAL '1 month'
            """,
            [rates_from],
        )
        # November: 80% have paid this month's dues.
        cur.execute(
            """
            INSERT INTO dues_duespayment (created_at, updated_at, member_id, paid_on, amount, method, receipt_number,
                is_extra, extra_amount, to_centre, override_reason, overridden_by_id, note)
            SELECT now(), now(), m.id, DATE '2026-11-05', b.standard, 'payroll', 'B' || m.id, false, 0, false, '',
                NULL, ''
            FROM members_member m JOIN bench_ranges b ON b.member_id = m.id AND b.valid_to IS NULL
            WHERE mod(m.id, 5) <> 0 AND mod(m.id, 300) <> 11 AND b.standard > 0
            """
        )
        cur.execute(
            """
            INSERT INTO dues_paymentallocation (payment_id, member_id, month, amount)
            SELECT id, member_id, DATE '2026-11-01', amount FROM dues_duespayment
            """
        )
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="keep the database built by an earlier run")
    args = parser.parse_args()
    url = prepare_database(args.reuse)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from dangjian.dues.allocation import parse_month
    from dangjian.dues.run import run_month

    print(f"数据库：{url}")
    month = parse_month("2026-11")
    if args.reuse:
        with connection.cursor() as cur:
            cur.execute("DELETE FROM dues_monthlydue WHERE month = %s", [month])
            cur.execute("VACUUM FULL ANALYZE dues_monthlydue")  # as if the month had never run
    else:
        timed("migrate", lambda: call_command("migrate", verbosity=0))
        timed(f"build {MEMBERS:,} members, bases, 11 months of history, November payments", build)
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM dues_monthlydue")
        print(f"  ledger lines before the run: {cur.fetchone()[0]:,}")
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        backend = cur.fetchone()[0]
    for label in ("first run (insert)", "re-run (update)"):
        load = os.getloadavg()[0]
        cpu_before = backend_cpu(backend) + time.process_time()
        started = time.perf_counter()
        summary = run_month(month)
        wall = time.perf_counter() - started
        cpu = backend_cpu(backend) + time.process_time() - cpu_before
        print(
            f"run_month 2026-11 {label}: {wall:.2f} s — {summary.lines:,} lines, due {summary.total_due}, "
            f"paid {summary.total_paid}, {summary.members_in_arrears:,} in arrears ({summary.arrears_total}), "
            f"{summary.red_flags:,} red flags, bases created {summary.bases_created}, missing {summary.missing_base}",
            flush=True,
        )
        print(f"  steps: {summary.phases}", flush=True)
        print(
            f"  CPU (PostgreSQL backend + Python): {cpu:.2f} s; load average before: {load:.1f}", flush=True
        )
        if wall >= 10:
            print("  ABOVE TARGET (10 s)", flush=True)


if __name__ == "__main__":
    main()
