"""Roster benchmark: 50,000 members in 2,000 branches — the roster page's server time and query
count, and importing a 10,000-row Excel roster.

    .venv/bin/python bench/roster_bench.py                       # SQLite (a fresh file under /tmp)
    DANGJIAN_DATABASE_URL=postgres://postgres@127.0.0.1:5432/roster_bench \\
        .venv/bin/python bench/roster_bench.py                   # PostgreSQL (database recreated)

Server time is measured through Django's test client (the whole request: middleware, view,
queries, template), median of several runs after one warm-up; queries are counted with
CaptureQueriesContext. Targets (issue 2): roster page < 150 ms with a constant number of
queries; import of 10,000 rows < 15 s.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BRANCHES = 2_000
MEMBERS = 50_000
GENERAL_BRANCHES = 20  # 2,000 branches under 20 general branches under the organ committee
IMPORT_ROWS = 10_000
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
GIVEN = "明华立清平安国建军伟芳娜敏静丽强磊洋艳勇杰娟涛超秀霞刚桂英"


def prepare_database() -> str:
    url = os.environ.get("DANGJIAN_DATABASE_URL")
    if not url:
        path = Path(tempfile.gettempdir()) / "roster_bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
        os.environ["DANGJIAN_DATABASE_URL"] = url
    elif url.startswith("postgres"):
        # The bench owns its database: drop and recreate it for a clean, repeatable run.
        from urllib.parse import urlparse

        import psycopg

        parsed = urlparse(url)
        name = parsed.path.lstrip("/")
        admin = parsed._replace(path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    os.environ.setdefault("DANGJIAN_DB_CONN_MAX_AGE", "600")
    return url


def id_number(birth: datetime.date, seq: int) -> str:
    from dangjian.members.validators import id_check_digit

    first17 = f"110105{birth:%Y%m%d}{seq % 1000:03d}"
    return first17 + id_check_digit(first17)


def build() -> dict:
    """Organizations with paths and 50,000 members, by bulk_create (seconds, not minutes)."""
    from django.db import transaction

    from dangjian.members.models import Member, pinyin_initials
    from dangjian.orgs.choices import OrgKind
    from dangjian.orgs.models import Organization

    with transaction.atomic():
        lg = Organization.objects.create(name="基准局党组", kind=OrgKind.LEADING_GROUP)
        oc = Organization.objects.create(name="基准局机关党委", kind=OrgKind.ORGAN_COMMITTEE, parent=lg)
        generals = [
            Organization.objects.create(
                name=f"第{g + 1:02d}党总支", kind=OrgKind.GENERAL_BRANCH, parent=oc, order=g
            )
            for g in range(GENERAL_BRANCHES)
        ]
        per_general = BRANCHES // GENERAL_BRANCHES
        branches = Organization.objects.bulk_create(
            [
                Organization(
                    name=f"第{i + 1:04d}党支部",
                    kind=OrgKind.BRANCH,
                    parent=generals[i // per_general],
                    order=i,
                )
                for i in range(BRANCHES)
            ]
        )
        for b in branches:
            b.path = f"{b.parent.path}{b.pk}/"
            b.depth = b.path.count("/") - 2
        Organization.objects.bulk_update(branches, ["path", "depth"], batch_size=1000)
        # Every tenth branch has two 党小组.
        cells = Organization.objects.bulk_create(
            [
                Organization(name=f"第{c + 1}党小组", kind=OrgKind.CELL, parent=b, order=c)
                for b in branches[::10]
                for c in range(2)
            ]
        )
        for c in cells:
            c.path = f"{c.parent.path}{c.pk}/"
            c.depth = c.path.count("/") - 2
        Organization.objects.bulk_update(cells, ["path", "depth"], batch_size=1000)
        cells_of = {}
        for c in cells:
            cells_of.setdefault(c.parent_id, []).append(c)

        initials: dict[str, str] = {}
        members = []
        per_branch = MEMBERS // BRANCHES
        base = datetime.date(1960, 1, 1)
        for i in range(MEMBERS):
            branch = branches[i // per_branch]
            name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // 7) % len(GIVEN)] + GIVEN[(i // 3) % len(GIVEN)]
            if name not in initials:
                initials[name] = pinyin_initials(name)
            born = base + datetime.timedelta(days=(i * 37) % 14_000)  # 37 ⟂ 14,000: a permutation
            admitted = born.replace(year=born.year + 25, day=1)
            probationary = i % 40 == 0
            branch_cells = cells_of.get(branch.pk)
            members.append(
                Member(
                    name=name,
                    pinyin_initials=initials[name],
                    gender="male" if i % 2 else "female",
                    birth_date=born,
                    education=("bachelor", "master", "college", "doctorate")[i % 4],
                    id_number=id_number(born, i // 14_000),  # (birth, seq) unique
                    phone=f"139{i:08d}",
                    organization=branch,
                    cell=branch_cells[i % 2] if branch_cells else None,
                    status="probationary" if probationary else "full",
                    admission_date=datetime.date(2024, 6, 1) if probationary else admitted,
                    confirmation_date=None if probationary else admitted.replace(year=admitted.year + 1),
                )
            )
        Member.objects.bulk_create(members, batch_size=2000)
    return {"lg": lg, "oc": oc, "branches": branches}


def users(data: dict) -> dict:
    from django.contrib.auth import get_user_model

    from dangjian.core.models import Role

    User = get_user_model()
    officer = User.objects.create_user("bench_jgdw", password="x" * 12)
    Role.objects.create(user=officer, kind="agency_officer", organization=data["oc"])
    secretary = User.objects.create_user("bench_zb", password="x" * 12)
    Role.objects.create(user=secretary, kind="org_officer", organization=data["branches"][1234])
    return {"officer": officer, "secretary": secretary}


def measure_page(client, url: str, runs: int) -> tuple[float, float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm-up
    assert response.status_code == 200, (url, response.status_code)
    times = []
    cpu = []
    queries = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        queries = len(ctx.captured_queries)
    return statistics.median(times), statistics.median(cpu), queries, len(response.content)


def roster_pages(people: dict, data: dict, runs: int) -> list[tuple[str, float, int]]:
    from django.test import Client

    branch = data["branches"][1234]
    officer = Client()
    officer.force_login(people["officer"])
    secretary = Client()
    secretary.force_login(people["secretary"])
    cases = [
        ("one branch, its secretary (default page)", secretary, "/members/"),
        ("one branch, agency officer (?org=branch)", officer, f"/members/?org={branch.pk}"),
        ("agency-wide, first page", officer, "/members/"),
        ("agency-wide, deep page (page 900 of ~1,000)", officer, "/members/?page=900"),
        ("agency-wide, search by initials", officer, "/members/?q=zm"),
        (
            "agency-wide, general branch subtree, page 10",
            officer,
            f"/members/?org={branch.parent_id}&page=10",
        ),
    ]
    out = []
    for label, client, url in cases:
        ms, cpu_ms, queries, size = measure_page(client, url, runs)
        out.append((label, ms, queries))
        print(
            f"  {label:<46} {ms:7.1f} ms (cpu {cpu_ms:6.1f})  {queries:2d} queries  {size / 1024:4.0f} KB  {url}"
        )
    return out


def import_file(data: dict) -> bytes:
    from dangjian.members.tests.roster_helpers import HEADER, xlsx

    rows = []
    base = datetime.date(1961, 2, 3)
    for i in range(IMPORT_ROWS):
        born = base + datetime.timedelta(days=(i * 11) % 12_000)
        admitted = born.replace(year=born.year + 26, day=1)
        values = {
            "姓名": f"导入{SURNAMES[i % 30]}{GIVEN[i % 29]}",
            "性别": "男" if i % 2 else "女",
            "民族": "汉族",
            "出生日期": born,
            "籍贯": "某省",
            "学历": "大学本科",
            "身份证号": id_number(born, 500 + i // 12_000),  # seq 500+ never collides with the built members
            "联系电话": f"137{i:08d}",
            "所在股室": "综合股",
            "职务": "科员",
            "所在支部": data["branches"][i % BRANCHES].name,
            "所在党小组": "",
            "党员状态": "正式党员",
            "入党时间": admitted,
            "转正时间": admitted.replace(year=admitted.year + 1),
            "党费类别": "在职",
            "交纳基数": 5000 + i % 3000,
            "流动党员": "否",
            "备注": "",
        }
        rows.append([values[h] for h in HEADER])
    return xlsx(rows)


def bench_import(data: dict) -> list[tuple[str, float, str]]:
    from dangjian.members.models import Member
    from dangjian.members.roster_import import import_roster

    content = import_file(data)
    print(f"  file: {IMPORT_ROWS:,} rows, {len(content) / 1024:.0f} KB")
    out = []
    for label, dry in (
        ("dry run (check only)", True),
        ("import (check + write)", False),
        ("re-import, unchanged", False),
    ):
        before = Member.objects.count()
        start, start_cpu = time.perf_counter(), time.process_time()
        report = import_roster(content, filename="bench.xlsx", dry_run=dry, via="cli")
        seconds, cpu = time.perf_counter() - start, time.process_time() - start_cpu
        assert report.ok, report.lines()[:5]
        print(
            f"  {label:<24} {seconds:6.2f} s (cpu {cpu:5.2f})  {report.summary[:24]}…"
            f"  members {before:,} → {Member.objects.count():,}"
        )
        out.append((label, seconds, report.summary))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    url = prepare_database()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test client in (ALLOWED_HOSTS) without touching settings.py
    print(f"database: {connection.vendor} ({url.split('@')[-1]}); load average {os.getloadavg()[0]:.1f}")
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    data = build()
    with connection.cursor() as cursor:
        # Statistics, as PostgreSQL's autovacuum and an import (members.roster_import) leave them.
        cursor.execute("ANALYZE")
    print(f"built {BRANCHES:,} branches and {MEMBERS:,} members in {time.perf_counter() - start:.1f} s")
    people = users(data)
    print(f"roster page (median of {args.runs}):")
    roster_pages(people, data, args.runs)
    print("import:")
    bench_import(data)
    print("roster page after the import:")
    roster_pages(people, data, args.runs)
    print(
        f"load average at the end: {os.getloadavg()[0]:.1f} (cpu: this process only; the server's share on PostgreSQL is not in it)"
    )


if __name__ == "__main__":
    main()
