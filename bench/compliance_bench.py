"""Compliance bench: province scale (10,000 organizations, 200,000 members, three years of
activities ≈ 1.5 million, attendance ≈ 15 million rows), then time the compliance matrix.

    # PostgreSQL (database created if missing; reused between runs unless --rebuild)
    DANGJIAN_DATABASE_URL=postgres://postgres@127.0.0.1:5432/compliance_bench \\
        .venv/bin/python bench/compliance_bench.py --scale 1.0
    # SQLite
    DANGJIAN_DATABASE_URL=sqlite:////tmp/compliance_bench.sqlite3 .venv/bin/python bench/compliance_bench.py

--scale 0.1 builds a tenth (1,000 organizations …). The generator writes rows straight into the
tables (COPY on PostgreSQL, big executemany batches on SQLite), with the secondary indexes
dropped during the load and rebuilt after, so that the build takes minutes, not hours.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ORGS_PER_BUREAU = 60  # 1 机关党委 + 20 党支部 + 39 党小组
BRANCHES_PER_BUREAU = 20
BATCH = 50_000


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    os.environ.setdefault("DANGJIAN_DB_CONN_MAX_AGE", "0")
    url = os.environ.get("DANGJIAN_DATABASE_URL", "")
    if url.startswith("postgres"):
        ensure_pg_database(url)
    import django

    django.setup()


def ensure_pg_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


# ---- building -----------------------------------------------------------------------------------
class Loader:
    """Writes rows into one table: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.vendor = connection.vendor

    def load(self, table: str, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> int:
        count = 0
        raw = self.connection.connection
        if self.vendor == "postgresql":
            cols = ", ".join(f'"{c}"' for c in columns)
            with raw.cursor() as cur, cur.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            cols = ", ".join(f'"{c}"' for c in columns)
            sql = f'INSERT INTO "{table}" ({cols}) VALUES ({", ".join("?" * len(columns))})'
            cur = raw.cursor()
            batch: list[tuple[Any, ...]] = []
            for row in rows:
                batch.append(row)
                if len(batch) >= BATCH:
                    cur.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cur.executemany(sql, batch)
                count += len(batch)
        return count

    def secondary_indexes(self, table: str) -> list[tuple[str, str]]:
        with self.connection.cursor() as cur:
            if self.vendor == "postgresql":
                cur.execute(
                    "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND i.indexname NOT IN "
                    "(SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))",
                    [table],
                )
            else:
                cur.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type='index' AND tbl_name=%s AND sql IS NOT NULL",
                    [table],
                )
            return list(cur.fetchall())

    def drop_indexes(self, tables: list[str]) -> list[str]:
        saved = []
        with self.connection.cursor() as cur:
            for table in tables:
                for name, sql in self.secondary_indexes(table):
                    cur.execute(f'DROP INDEX "{name}"')
                    saved.append(sql)
        return saved

    def create_indexes(self, statements: list[str]) -> None:
        with self.connection.cursor() as cur:
            for sql in statements:
                cur.execute(sql)


def model_columns(model: Any, given: list[str]) -> tuple[list[str], tuple[Any, ...]]:
    """All concrete columns: the ``given`` ones first, then the rest with their Python defaults
    (Django's defaults live in Python, not in the database)."""
    rest, defaults = [], []
    for field in model._meta.concrete_fields:
        if field.column in given or field.primary_key:
            continue
        default = field.get_default()
        if default is None and not field.null:
            default = ""
        rest.append(field.column)
        defaults.append(default)
    return given + rest, tuple(defaults)


def build(scale: float, seed: int = 20240601) -> dict[str, int]:
    from django.db import connection, transaction

    from dangjian.activities.choices import BUILTIN_TYPES
    from dangjian.activities.models import Activity, ActivityCredit, ActivityType, Attendance
    from dangjian.members.models import Member, StatusChange
    from dangjian.orgs.models import Organization, Term

    rng = random.Random(seed)
    loader = Loader(connection)
    now = "2026-01-01 00:00:00+00" if connection.vendor == "postgresql" else "2026-01-01 00:00:00"
    today = datetime.date.today()
    years = [today.year - 2, today.year - 1, today.year]
    bureaus = max(1, round(10_000 * scale / ORGS_PER_BUREAU))
    members_per_branch = max(6, round(200_000 * scale / (bureaus * BRANCHES_PER_BUREAU)))
    counts: dict[str, int] = {}
    t0 = time.perf_counter()

    types = {}
    for order, (code, name, org_life, attendance, _also) in enumerate(BUILTIN_TYPES):
        types[code] = ActivityType.objects.get_or_create(
            code=code,
            defaults=dict(
                name=name,
                counts_as_org_life=org_life,
                takes_attendance=attendance,
                order=order,
                is_builtin=True,
            ),
        )[0].pk

    big_tables = [
        Activity._meta.db_table,
        ActivityCredit._meta.db_table,
        Attendance._meta.db_table,
        Member._meta.db_table,
    ]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The generated rows are consistent by construction: skip the per-row FK triggers.
            with connection.cursor() as cur:
                cur.execute("SET session_replication_role = replica")
        saved = loader.drop_indexes(big_tables)

        # -- organizations: ids assigned here so paths are known without a round trip
        org_cols, org_defaults = model_columns(
            Organization,
            [
                "id",
                "name",
                "kind",
                "parent_id",
                "order",
                "path",
                "depth",
                "established_on",
                "has_committee",
                "created_at",
                "updated_at",
            ],
        )
        orgs: list[tuple[Any, ...]] = []
        branches: list[tuple[int, list[int], bool]] = []  # (branch id, cell ids, has committee)
        bureau_ids: list[int] = []
        oid = 1
        orgs.append(
            (1, "省委直属机关党组", "leading_group", None, 0, "/1/", 0, None, True, now, now) + org_defaults
        )
        for b in range(bureaus):
            oid += 1
            oc = oid
            bureau_ids.append(oc)
            orgs.append(
                (oc, f"第{b + 1}局机关党委", "organ_committee", 1, b, f"/1/{oc}/", 1, None, True, now, now)
                + org_defaults
            )
            for k in range(BRANCHES_PER_BUREAU):
                oid += 1
                br = oid
                committee = rng.random() > 0.1
                # A few branches were set up in the middle of the second year (earlier slots n/a).
                founded = datetime.date(years[1], 6, 15) if rng.random() < 0.02 else None
                orgs.append(
                    (
                        br,
                        f"第{b + 1}局第{k + 1}党支部",
                        "branch",
                        oc,
                        k,
                        f"/1/{oc}/{br}/",
                        2,
                        founded,
                        committee,
                        now,
                        now,
                    )
                    + org_defaults
                )
                cells = []
                for j in range(2 if k < BRANCHES_PER_BUREAU - 1 else 1):
                    oid += 1
                    cells.append(oid)
                    orgs.append(
                        (
                            oid,
                            f"第{b + 1}局第{k + 1}支部第{j + 1}党小组",
                            "cell",
                            br,
                            j,
                            f"/1/{oc}/{br}/{oid}/",
                            3,
                            None,
                            False,
                            now,
                            now,
                        )
                        + org_defaults
                    )
                branches.append((br, cells, committee, founded))  # type: ignore[arg-type]
        counts["organizations"] = loader.load(Organization._meta.db_table, org_cols, orgs)

        # -- committee terms (some overdue, so the warnings have work)
        term_cols, term_defaults = model_columns(
            Term,
            ["id", "organization_id", "elected_on", "length_years", "due_on", "created_at", "updated_at"],
        )
        terms = []
        for i, (br, *_rest) in enumerate(branches, start=1):
            elected = datetime.date(
                rng.choice([years[0] - 3, years[0] - 1, years[0], years[1]]), rng.randint(1, 12), 1
            )
            terms.append(
                (i, br, elected, 3, elected.replace(year=elected.year + 3), now, now) + term_defaults
            )
        counts["terms"] = loader.load(Term._meta.db_table, term_cols, terms)

        # -- members
        member_cols, member_defaults = model_columns(
            Member,
            [
                "id",
                "name",
                "pinyin_initials",
                "gender",
                "birth_date",
                "organization_id",
                "cell_id",
                "status",
                "admission_date",
                "confirmation_date",
                "created_at",
                "updated_at",
            ],
        )
        roster: dict[int, list[int]] = {}
        cell_roster: dict[int, list[int]] = {}
        history: list[tuple[int, str, str, datetime.date]] = []  # (member, from, to, date)

        def member_rows() -> Iterator[tuple[Any, ...]]:
            mid = 0
            for br, cells, _committee, _f in branches:
                ids = roster[br] = []
                for i in range(members_per_branch):
                    mid += 1
                    cell = cells[i * len(cells) // members_per_branch]
                    cell_roster.setdefault(cell, []).append(mid)
                    ids.append(mid)
                    r = rng.random()
                    status = "full" if r < 0.95 else "probationary" if r < 0.99 else "transferred_out"
                    admitted = datetime.date(
                        rng.randint(1980, years[0] - 2), rng.randint(1, 12), rng.randint(1, 28)
                    )
                    confirmed = None if status == "probationary" else admitted.replace(year=admitted.year + 1)
                    born = datetime.date(
                        admitted.year - rng.randint(20, 35), rng.randint(1, 12), rng.randint(1, 28)
                    )
                    # The history the roster writes: the entry on the roll, and the transfer out.
                    if status == "transferred_out":
                        history.append((mid, "", "full", confirmed or admitted))
                        left = datetime.date(years[rng.randint(0, 2)], rng.randint(1, 12), rng.randint(1, 28))
                        history.append((mid, "full", status, min(left, today)))
                    else:
                        history.append((mid, "", status, confirmed or admitted))
                    yield (
                        mid,
                        f"党员{mid}",
                        "dy",
                        "male" if mid % 2 else "female",
                        born,
                        br,
                        cell,
                        status,
                        admitted,
                        confirmed,
                        now,
                        now,
                    ) + member_defaults

        counts["members"] = loader.load(Member._meta.db_table, member_cols, member_rows())
        change_cols, change_defaults = model_columns(
            StatusChange,
            ["id", "member_id", "from_status", "to_status", "date", "reason", "created_at", "updated_at"],
        )
        counts["status changes"] = loader.load(
            StatusChange._meta.db_table,
            change_cols,
            (
                (i, member, before, after, day, "录入花名册", now, now) + change_defaults
                for i, (member, before, after, day) in enumerate(history, start=1)
            ),
        )

        # -- activities, credits, attendance (streamed: three generators fed from one walk)
        act_cols, act_defaults = model_columns(
            Activity,
            [
                "id",
                "organization_id",
                "activity_type_id",
                "status",
                "topic",
                "held_at",
                "held_on",
                "talk_party_a_id",
                "talk_party_b_id",
                "lecturer_is_secretary",
                "created_at",
                "updated_at",
            ],
        )
        acts: list[tuple[Any, ...]] = []
        credits: list[tuple[int, int, int, bool]] = []
        attendance: list[tuple[Any, ...]] = []
        att_cols, att_defaults = model_columns(
            Attendance, ["id", "activity_id", "member_id", "status", "makeup_on", "created_at", "updated_at"]
        )
        state = {"aid": 0, "cid": 0, "tid": 0, "activities": 0, "credits": 0, "attendance": 0}
        tz = "+00" if connection.vendor == "postgresql" else ""

        def activity(
            org: int,
            code: str,
            day: datetime.date,
            *,
            also: tuple[str, ...] = (),
            who: list[int] = (),
            a: int | None = None,
            b: int | None = None,
            secretary: bool = False,
        ) -> None:
            state["aid"] += 1
            aid = state["aid"]
            state["cid"] += 1
            credits.append((state["cid"], aid, types[code], True))
            for extra in also:
                state["cid"] += 1
                credits.append((state["cid"], aid, types[extra], False))
            for m in who:
                state["tid"] += 1
                r = rng.random()
                status = "present" if r < 0.9 else "leave" if r < 0.96 else "absent"
                makeup = (
                    day + datetime.timedelta(days=7) if status != "present" and rng.random() < 0.6 else None
                )
                attendance.append((state["tid"], aid, m, status, makeup, now, now) + att_defaults)
            held_at = f"{day.isoformat()} 01:00:00{tz}"  # 09:00 in Beijing
            acts.append(
                (
                    aid,
                    org,
                    types[code],
                    "verified" if aid % 3 else "held",
                    code,
                    held_at,
                    day,
                    a,
                    b,
                    secretary,
                    now,
                    now,
                )
                + act_defaults
            )

        def day_in(year: int, month: int) -> datetime.date | None:
            day = datetime.date(year, month, rng.randint(1, 28))
            return day if day < today else None

        def walk() -> None:
            for year in years:
                for month in range(1, 13):
                    if datetime.date(year, month, 1) > today:
                        break
                    d = day_in(year, month)
                    if d:
                        activity(1, "central_study", d, also=("study_session",))
            for br, cells, committee, founded in branches:
                ids = roster[br]
                for year in years:
                    for month in range(1, 13):
                        start = datetime.date(year, month, 1)
                        if start > today or (founded and start < founded):
                            continue
                        if committee and rng.random() > 0.08 and (d := day_in(year, month)):
                            activity(br, "committee_meeting", d, who=ids[:5])
                        if rng.random() > 0.05 and (d := day_in(year, month)):
                            lecture = ("party_lecture",) if month % 3 == 1 and rng.random() < 0.5 else ()
                            activity(br, "theme_day", d, also=lecture, who=ids)
                        if month % 3 == 2 and rng.random() > 0.07 and (d := day_in(year, month)):
                            activity(br, "general_meeting", d, who=ids)
                        if month % 3 == 0 and rng.random() > 0.3 and (d := day_in(year, month)):
                            activity(br, "party_lecture", d, secretary=month == 6)
                        if month == 12 and rng.random() > 0.1 and (d := day_in(year, month)):
                            activity(br, "org_life_meeting", d, also=("member_appraisal",), who=ids)
                        for cell in cells:
                            if rng.random() > 0.06 and (d := day_in(year, month)):
                                activity(cell, "cell_meeting", d, who=cell_roster[cell])
                        for _ in range(2):
                            if d := day_in(year, month):
                                activity(br, "study_session", d)
                            if d := day_in(year, month):
                                activity(br, "biweekly_forum", d)
                        for _ in range(4):
                            if d := day_in(year, month):
                                a, b = rng.sample(ids, 2)
                                activity(br, "talk", d, a=a, b=b)
                        if month % 2 == 0 and (d := day_in(year, month)):
                            activity(br, "volunteer_service", d)
                        if month % 4 == 0 and (d := day_in(year, month)):
                            activity(br, "warning_education", d)
                    # Flush children as we go so memory stays flat.
                    if len(attendance) > 500_000:
                        flush_children()

        def flush_children() -> None:
            # One COPY at a time per connection: activities first (the others point at them).
            state["activities"] += loader.load(Activity._meta.db_table, act_cols, acts)
            acts.clear()
            state["credits"] += loader.load(
                ActivityCredit._meta.db_table,
                ["id", "activity_id", "activity_type_id", "is_primary"],
                credits,
            )
            state["attendance"] += loader.load(Attendance._meta.db_table, att_cols, attendance)
            credits.clear()
            attendance.clear()

        walk()
        flush_children()
        counts["activities"], counts["credits"], counts["attendance"] = (
            state["activities"],
            state["credits"],
            state["attendance"],
        )
        print(f"  rows written in {time.perf_counter() - t0:.0f} s; rebuilding indexes …", flush=True)
        t1 = time.perf_counter()
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SET session_replication_role = DEFAULT")
                cur.execute("SET maintenance_work_mem = '1GB'")
        loader.create_indexes(saved)
        print(f"  indexes rebuilt in {time.perf_counter() - t1:.0f} s", flush=True)
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                for model in (Organization, Member, Activity, ActivityCredit, Attendance, Term):
                    table = model._meta.db_table
                    cur.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM \"{table}\"))"
                    )
            cur.execute(
                "CREATE TABLE IF NOT EXISTS bench_meta (key varchar(40) PRIMARY KEY, value varchar(200))"
            )
            cur.execute("DELETE FROM bench_meta")
            cur.execute(
                "INSERT INTO bench_meta VALUES ('scale', %s), ('built', %s)",
                [str(scale), datetime.date.today().isoformat()],
            )
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("ANALYZE")
        else:
            cur.execute("ANALYZE")
    counts["build_seconds"] = round(time.perf_counter() - t0)
    return counts


def built_scale() -> str | None:
    from django.db import connection

    with connection.cursor() as cur:
        try:
            cur.execute("SELECT value FROM bench_meta WHERE key = 'scale'")
        except Exception:  # noqa: BLE001 - no table yet
            return None
        row = cur.fetchone()
        return row[0] if row else None


def wipe() -> None:
    from django.core.management import call_command
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_meta")
    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)  # re-seed the rules (flush empties data migrations' rows)
    from django.db import connection as c

    with c.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM compliance_rule")
        if not cur.fetchone()[0]:
            import importlib

            seed = importlib.import_module("dangjian.compliance.migrations.0002_seed_rules")
            from django.apps import apps

            seed.seed(apps, None)


# ---- measuring ----------------------------------------------------------------------------------
def backend_pid() -> int | None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        return cur.fetchone()[0]


def proc_cpu(pid: int | None) -> float:
    """CPU seconds (user + system) used so far by a local process (the PostgreSQL backend)."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def timed(fn: Any, runs: int) -> tuple[float, Any, float]:
    """Median wall seconds, the last result, and median CPU seconds (this process plus the
    database backend: on a shared, loaded machine CPU time is what an idle run would take)."""
    times, cpus, result = [], [], None
    pid = backend_pid()
    for _ in range(runs):
        start, cpu0, db0 = time.perf_counter(), time.process_time(), proc_cpu(pid)
        result = fn()
        times.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu0 + proc_cpu(pid) - db0)
    return statistics.median(times), result, statistics.median(cpus)


def measure(runs: int) -> None:
    from django.db import connection

    from dangjian.compliance.evaluator import evaluate
    from dangjian.compliance.warnings import lapse_warnings
    from dangjian.core.period import Period
    from dangjian.metrics import compute
    from dangjian.orgs.models import Organization

    today = datetime.date.today()
    year = Period.year(today.year - 1)
    root = Organization.objects.get(pk=1)
    bureaus = list(Organization.objects.filter(kind="organ_committee").order_by("pk"))
    bureau = bureaus[len(bureaus) // 2]
    orgs = Organization.objects.count()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\n{connection.vendor}: {orgs} organizations; year {year.code}; median of {runs} runs after a warm-up;"
        f" load average {load} on {os.cpu_count()} CPUs"
    )

    evaluate(root, year, on=today)  # warm the caches
    secs, matrix, cpu = timed(lambda: evaluate(root, year, on=today), runs)
    print(
        f"  whole tree  evaluate(): {secs * 1000:8.0f} ms wall, {cpu * 1000:6.0f} ms CPU, "
        f"{matrix.query_count} queries, {len(matrix.orgs)} orgs"
    )
    secs2, summary, cpu2 = timed(lambda: evaluate(root, year, on=today).summary(), runs)
    print(
        f"  whole tree  evaluate()+all cell statuses: {secs2 * 1000:8.0f} ms wall, {cpu2 * 1000:6.0f} ms CPU "
        f"({sum(summary.values())} applicable cells: "
        + ", ".join(f"{k} {v}" for k, v in sorted(summary.items()))
        + ")"
    )
    bsecs, bmatrix, bcpu = timed(lambda: evaluate(bureau, year, on=today), max(runs, 7))
    bsecs2, _, bcpu2 = timed(lambda: evaluate(bureau, year, on=today).summary(), max(runs, 7))
    print(
        f"  one bureau  evaluate(): {bsecs * 1000:8.1f} ms wall, {bcpu * 1000:6.1f} ms CPU, "
        f"{bmatrix.query_count} queries, {len(bmatrix.orgs)} orgs; with all cell statuses "
        f"{bsecs2 * 1000:.1f} ms wall, {bcpu2 * 1000:.1f} ms CPU"
    )
    lsecs, lapse, lcpu = timed(lambda: lapse_warnings(bureau, today), 3)
    print(
        f"  one bureau  lapse warnings: {lsecs * 1000:8.1f} ms wall, {lcpu * 1000:6.1f} ms CPU ({len(lapse)} members)"
    )
    keys = ["activities.count.committee_meeting", "attendance.rate", "talks.coverage", "makeup.completion"]
    msecs, _, mcpu = timed(lambda: compute(keys, bureau, year), 3)
    print(
        f"  one bureau  metrics.compute({len(keys)} figures): {msecs * 1000:8.1f} ms wall, {mcpu * 1000:6.1f} ms CPU"
    )
    measure_pages(root, bureau, runs)


def measure_pages(root: Any, bureau: Any, runs: int) -> None:
    """The reads behind the numbers pages show (issue 9): the tree's head counts for every
    organization, the home panel's roll, the warning counts, the dues overview's columns."""
    from django.db.models import Count

    from dangjian.core.period import Period
    from dangjian.members.models import Member
    from dangjian.metrics import compute
    from dangjian.metrics.grids import per_org

    day = Period.between(datetime.date.today(), datetime.date.today())
    heads = ["members.active", "members.direct"]

    def head_counts() -> Any:
        from django.core.cache import cache

        cache.clear()  # the roll is cached under the ledger version: time the read itself
        return per_org(heads, day, None)

    secs, grid, cpu = timed(head_counts, runs)
    print(
        f"  whole tree  head counts (per_org members.*): {secs * 1000:8.0f} ms wall, {cpu * 1000:6.0f} ms CPU, {len(grid)} orgs"
    )
    csecs, _, ccpu = timed(lambda: per_org(heads, day, None), runs)
    print(f"  whole tree  head counts, cached: {csecs * 1000:8.1f} ms wall, {ccpu * 1000:6.1f} ms CPU")

    def status_column_counts() -> list[Any]:
        # What the tree counted before: the status column, one GROUP BY (for comparison).
        return list(
            Member.objects.filter(status__in=["full", "probationary"])
            .values_list("organization_id", "cell_id")
            .annotate(n=Count("pk"))
            .order_by()
        )

    osecs, _, ocpu = timed(status_column_counts, runs)
    print(
        f"  whole tree  status-column GROUP BY (the old tree): {osecs * 1000:8.0f} ms wall, {ocpu * 1000:6.0f} ms CPU"
    )
    roll = ["members.active", "members.status.full", "members.status.probationary"]
    for label, org in (("whole tree", root), ("one bureau", bureau)):
        rsecs, _, rcpu = timed(lambda org=org: compute(roll, org, day), runs)
        print(
            f"  {label}  metrics.compute(members.*): {rsecs * 1000:8.1f} ms wall, {rcpu * 1000:6.1f} ms CPU"
        )
    year = Period.year(datetime.date.today().year - 1)
    wsecs, found, wcpu = timed(lambda: compute(["warnings.total"], bureau, year), 3)
    print(
        f"  one bureau  metrics.compute(warnings.total): {wsecs * 1000:8.1f} ms wall, {wcpu * 1000:6.1f} ms CPU"
        f" ({found['warnings.total'].value} warnings)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 10,000 organizations (default)")
    parser.add_argument(
        "--rebuild", action="store_true", help="rebuild even if a database of this scale exists"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument(
        "--serial", action="store_true", help="PostgreSQL: no parallel workers, so CPU time is complete"
    )
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    have = built_scale()
    if args.rebuild or have != str(args.scale):
        print(f"building scale {args.scale} (had: {have}) …", flush=True)
        if have is not None or args.rebuild:
            wipe()
        counts = build(args.scale)
        print("  " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    else:
        print(f"reusing the database built at scale {have}")
    if not args.build_only:
        if args.serial:
            from django.db import connection

            if connection.vendor == "postgresql":
                with connection.cursor() as cur:
                    cur.execute("SET max_parallel_workers_per_gather = 0")
        measure(args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
