"""Duties and integrity bench (issue 10): a province of 10,020 organizations (167 bureaus × 60)
with three years of responsibility lists, liaisons and their visits, hearings, letters, key
tasks, business results, two officers, integrity talks, rules and 三公经费; then the new pages
(test client, agency-wide admin and one branch secretary) and every new figure over the province.

    DANGJIAN_DATABASE_URL=sqlite:////tmp/duties_bench.sqlite3 .venv/bin/python bench/duties_bench.py
    .venv/bin/python bench/duties_bench.py --bureaus 17     # a tenth

The database is rebuilt when missing (or with --rebuild). Members are 5 per branch (the pages
name people; the roll's size is the roster bench's business), so ≈ 17,000 members.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "sqlite:////tmp/duties_bench.sqlite3"
BRANCHES = 20
CELLS = 38  # 1 党组 + 1 机关党委 + 20 党支部 + 38 党小组 = 60 organizations a bureau
TODAY = datetime.date(2026, 11, 20)


def setup(rebuild: bool) -> bool:
    url = os.environ.setdefault("DANGJIAN_DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    os.environ.setdefault("DANGJIAN_CACHE_URL", "locmem://")
    path = url.removeprefix("sqlite:///")
    fresh = rebuild or not Path(path).exists()
    if fresh and url.startswith("sqlite") and Path(path).exists():
        Path(path).unlink()
    import django

    django.setup()
    return fresh


def build(bureaus: int) -> dict[str, int]:
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from dangjian.activities.models import Activity, ActivityCredit, ActivityType
    from dangjian.duties.models import BusinessResult, KeyTask, Letter, Liaison, ResponsibilityItem
    from dangjian.integrity.models import PublicExpense, UnitRule
    from dangjian.members.models import Member, Post
    from dangjian.orgs.models import Organization

    call_command("migrate", verbosity=0)
    types = {t.code: t for t in ActivityType.objects.all()}
    counts: dict[str, int] = {}
    years = (2024, 2025, 2026)
    orgs, members, posts = [], [], []
    org_id, member_id = 1, 1
    plan: list[dict[str, Any]] = []
    for b in range(bureaus):
        lg = Organization(
            id=org_id, name=f"第{b + 1}局党组", kind="leading_group", path=f"/{org_id}/", depth=0, order=b
        )
        oc = Organization(
            id=org_id + 1,
            name=f"第{b + 1}局机关党委",
            kind="organ_committee",
            parent_id=org_id,
            path=f"/{org_id}/{org_id + 1}/",
            depth=1,
        )
        org_id += 2
        branches = []
        for i in range(BRANCHES):
            branch = Organization(
                id=org_id,
                name=f"第{b + 1}局第{i + 1}党支部",
                kind="branch",
                parent_id=oc.id,
                path=f"{oc.path}{org_id}/",
                depth=2,
                order=i,
            )
            branches.append(branch)
            org_id += 1
        cells = []
        for i in range(CELLS):
            parent = branches[i % BRANCHES]
            cells.append(
                Organization(
                    id=org_id,
                    name=f"第{i + 1}党小组",
                    kind="cell",
                    parent_id=parent.id,
                    path=f"{parent.path}{org_id}/",
                    depth=3,
                )
            )
            org_id += 1
        orgs += [lg, oc, *branches, *cells]
        people: dict[int, list[int]] = {}
        for branch in branches:
            people[branch.id] = []
            for _k in range(5):
                members.append(
                    Member(
                        id=member_id,
                        name=f"党员{member_id}",
                        gender="male",
                        birth_date=datetime.date(1980, 1, 1),
                        organization_id=branch.id,
                        status="full",
                    )
                )
                people[branch.id].append(member_id)
                member_id += 1
        leaders = [people[branches[i].id][0] for i in range(5)]
        posts.append(
            Post(
                organization_id=lg.id,
                kind="secretary",
                member_id=leaders[0],
                started_on=datetime.date(2020, 1, 1),
            )
        )
        posts += [
            Post(
                organization_id=lg.id,
                kind="leading_group_member",
                member_id=m,
                started_on=datetime.date(2020, 1, 1),
            )
            for m in leaders[1:]
        ]
        for i, branch in enumerate(branches):
            posts.append(
                Post(
                    organization_id=branch.id,
                    kind="secretary",
                    member_id=people[branch.id][1],
                    started_on=datetime.date(2020, 1, 1),
                )
            )
            if i % 7:  # every seventh branch has no 纪检委员: a warning
                posts.append(
                    Post(
                        organization_id=branch.id,
                        kind="discipline_commissioner",
                        member_id=people[branch.id][2],
                        started_on=datetime.date(2020, 1, 1),
                    )
                )
        plan.append({"lg": lg, "oc": oc, "branches": branches, "people": people, "leaders": leaders})
    with transaction.atomic():
        Organization.objects.bulk_create(orgs, batch_size=2000)
        Member.objects.bulk_create(members, batch_size=2000)
        Post.objects.bulk_create(posts, batch_size=2000)
    counts.update(orgs=len(orgs), members=len(members), posts=len(posts))

    items, liaisons, letters, tasks, results, rules, expenses, acts = [], [], [], [], [], [], [], []
    for n, p in enumerate(plan):
        lg, oc, branches, people, leaders = p["lg"], p["oc"], p["branches"], p["people"], p["leaders"]
        for year in years:
            for org, k, person in [(lg, 5, leaders[0]), (oc, 4, leaders[1])] + [
                (br, 5, people[br.id][1]) for br in branches
            ]:
                for t in range(k):
                    deadline = datetime.date(year, 3 * (t % 4) + 3, 28)
                    done = deadline < TODAY and (t + n + year) % 9
                    items.append(
                        ResponsibilityItem(
                            organization_id=org.id,
                            year=year,
                            task=f"{year}年任务{t + 1}",
                            responsible_id=person,
                            deadline=deadline,
                            status="done"
                            if done
                            else (
                                "in_progress" if deadline < TODAY + datetime.timedelta(days=60) else "planned"
                            ),
                            done_on=deadline if done else None,
                            evidence="已完成" if done else "",
                        )
                    )
            for m in leaders + [people[br.id][1] for br in branches]:
                if not (year == 2026 and m % 23 == 0):
                    letters.append(
                        Letter(
                            kind="responsibility",
                            title="党风廉政建设责任书",
                            year=year,
                            signer_id=m,
                            counterpart_org_id=lg.id,
                            signed_on=datetime.date(year, 2, 20),
                        )
                    )
            for q in range(4):
                day = datetime.date(year, 3 * q + 2, 15)
                if day < TODAY and not (year == 2026 and q == 2 and n % 5 == 0):
                    acts.append((lg.id, "report_hearing", day, leaders[0], None))
            for kind, name in (
                ("flood", "防汛值守"),
                ("rural", "乡村振兴"),
                ("emergency", "应急值班"),
                ("planning", "规划编制"),
            ):
                tasks.append(
                    KeyTask(
                        organization_id=oc.id,
                        year=year,
                        kind=kind,
                        name=name,
                        started_on=datetime.date(year, 3, 1),
                        people=12,
                        person_days=80,
                        amount=Decimal("3.50"),
                    )
                )
            for name in ("非税收入增长", "办结率", "排名", "节约资金"):
                results.append(
                    BusinessResult(
                        organization_id=oc.id,
                        name=name,
                        value=Decimal("5.5"),
                        unit="%",
                        period_kind="year",
                        period_start=datetime.date(year, 1, 1),
                        period_end=datetime.date(year, 12, 31),
                        source_document="通报",
                    )
                )
            for i, br in enumerate(branches[:8]):
                day = datetime.date(year, 3, 10 + i)
                if day < TODAY:
                    acts.append((br.id, "integrity_talk", day, leaders[0], people[br.id][1]))
        for i, br in enumerate(branches):
            leader = leaders[i % 5]
            liaisons.append(Liaison(leader_id=leader, branch_id=br.id, started_on=datetime.date(2024, 1, 1)))
            for year in years:
                for q in range(4):
                    day = datetime.date(year, 3 * q + 1, 20)
                    if day < TODAY and (i + q) % 4:
                        acts.append((br.id, "liaison_visit", day, leader, None))
        for r in range(7):
            rules.append(
                UnitRule(
                    organization_id=lg.id,
                    title=f"制度{r + 1}",
                    kind="integrity",
                    issued_on=datetime.date(2024 + r % 3, 5, 1),
                )
            )
        for year in (2024, 2025):
            expenses.append(
                PublicExpense(
                    organization_id=oc.id,
                    year=year,
                    travel_abroad=Decimal("1"),
                    vehicles=Decimal("10"),
                    reception=Decimal("2"),
                    source_document="决算表",
                )
            )
    tz = timezone.get_current_timezone()
    activities = [
        Activity(
            organization_id=org,
            activity_type=types[code],
            status="held",
            topic=code,
            planned_at=datetime.datetime.combine(day, datetime.time(9), tzinfo=tz),
            held_at=datetime.datetime.combine(day, datetime.time(9), tzinfo=tz),
            held_on=day,
            host_id=host if code != "integrity_talk" else None,
            talk_party_a_id=host if code == "integrity_talk" else None,
            talk_party_b_id=other,
        )
        for org, code, day, host, other in acts
    ]
    with transaction.atomic():
        for model, rows in (
            (ResponsibilityItem, items),
            (Liaison, liaisons),
            (Letter, letters),
            (KeyTask, tasks),
            (BusinessResult, results),
            (UnitRule, rules),
            (PublicExpense, expenses),
            (Activity, activities),
        ):
            model.objects.bulk_create(rows, batch_size=2000)
            counts[model.__name__] = len(rows)
        ActivityCredit.objects.bulk_create(
            [ActivityCredit(activity=a, activity_type=a.activity_type, is_primary=True) for a in activities],
            batch_size=2000,
        )
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")  # as a database in use has statistics; the planner needs them
    return counts


def timed(fn: Any, runs: int = 5) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bureaus", type=int, default=167)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    fresh = setup(args.rebuild)
    from unittest import mock

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from dangjian import metrics
    from dangjian.core.models import Role
    from dangjian.core.period import Period
    from dangjian.orgs.models import Organization

    if fresh:
        started = time.perf_counter()
        counts = build(args.bureaus)
        print(f"built in {time.perf_counter() - started:.1f} s: {counts}", flush=True)
    setup_test_environment()
    User = get_user_model()
    admin = User.objects.filter(username="bench-admin").first() or User.objects.create_superuser(
        "bench-admin", password="x"
    )
    secretary = User.objects.filter(username="bench-zb").first()
    if secretary is None:
        secretary = User.objects.create_user("bench-zb", password="x")
        Role.objects.create(
            user=secretary,
            kind="org_officer",
            organization=Organization.objects.filter(kind="branch").order_by("id")[40],
        )
    pages = [
        "/duties/",
        "/duties/items/",
        "/duties/items/?status=overdue",
        "/duties/liaisons/",
        "/duties/hearings/",
        "/duties/letters/",
        "/duties/key-tasks/",
        "/duties/results/",
        "/duties/items/export/",
        "/integrity/",
        "/integrity/talks/",
        "/integrity/rules/",
        "/integrity/expenses/",
        "/",
        # The new-record forms: their member and organization selects list the whole reach.
        "/duties/items/new/",
        "/duties/liaisons/new/",
        "/duties/letters/new/",
        "/duties/key-tasks/new/",
        "/duties/results/new/",
        "/integrity/rules/new/",
        "/integrity/expenses/new/",
    ]
    print(f"\norganizations: {Organization.objects.count():,}")
    with (
        mock.patch("dangjian.core.dates.today", return_value=TODAY),
        mock.patch("dangjian.duties.views.today", return_value=TODAY),
    ):
        for label, user in (("admin (whole province)", admin), ("branch secretary", secretary)):
            client = Client()
            client.force_login(user)
            print(f"\n{label}: page, median / min of {args.runs} runs, queries")
            for url in pages:
                response = client.get(url, HTTP_HOST="localhost")
                assert response.status_code == 200, (url, response.status_code)
                queries: list[str] = []
                with connection.execute_wrapper(
                    lambda execute, sql, *a, q=queries: q.append(sql) or execute(sql, *a)
                ):
                    client.get(url, HTTP_HOST="localhost")
                median, low = timed(
                    lambda url=url, client=client: client.get(url, HTTP_HOST="localhost"), args.runs
                )
                print(
                    f"  {url:38s} {median:8.1f} ms  (min {low:.1f})  {len(queries):3d} queries  {len(response.content) // 1024} KB",
                    flush=True,
                )
        # The duties home panel is gone (its due items reach the home page through the agenda),
        # so the home page row above is what the user waits for.
    keys = [k for k in metrics.keys() if k.startswith(("duties.", "integrity."))]
    roots = list(Organization.objects.filter(depth=0))
    year = Period.year(2026)
    print(f"\nfigures over the province ({len(roots)} 党组), year 2026, median / min of {args.runs}:")
    for key in keys:
        values = {}

        def run(key: str = key, values: dict[str, Any] = values) -> None:
            values["sum"] = sum(metrics.compute([key], root, year)[key].value for root in roots)

        median, low = timed(run, args.runs)
        print(f"  {key:40s} {median:8.1f} ms  (min {low:.1f})  value {values['sum']}", flush=True)
    one = roots[0]
    median, low = timed(lambda: metrics.compute(keys, one, year), args.runs)
    print(f"\nall {len(keys)} figures for one bureau at once: {median:.1f} ms (min {low:.1f})")


if __name__ == "__main__":
    main()
