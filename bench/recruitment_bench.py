"""Recruitment benchmark: the agency's "due this month" list with 5,000 open admission cases.

    .venv/bin/python bench/recruitment_bench.py                  # SQLite (a fresh file under /tmp)
    DANGJIAN_DATABASE_URL=postgres://postgres@127.0.0.1:5432/recruitment_bench \\
        .venv/bin/python bench/recruitment_bench.py              # PostgreSQL (database recreated)

Builds 200 branches and 5,000 open cases (plus 1,000 finished ones) spread over every stage,
each with its steps (~60,000 rows), the stored case summary computed by the same rules the
actions use. Measures, median of 7 runs after a warm-up: the query behind the list
(``due_items``) and the whole page for the agency officer through Django's test client
(middleware, view, queries, template). Target (issue 6): under 200 ms.
"""

from __future__ import annotations

import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BRANCHES = 200
OPEN_CASES = 5_000
FINISHED_CASES = 1_000
RUNS = 7


def prepare_database() -> str:
    url = os.environ.get("DANGJIAN_DATABASE_URL")
    if not url:
        path = Path(tempfile.gettempdir()) / "recruitment_bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
        os.environ["DANGJIAN_DATABASE_URL"] = url
    elif url.startswith("postgres"):
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


def build() -> None:
    from django.db import transaction

    from dangjian.core.dates import today
    from dangjian.members.validators import id_check_digit
    from dangjian.orgs.choices import OrgKind
    from dangjian.orgs.models import Organization
    from dangjian.recruitment import rules
    from dangjian.recruitment.choices import CaseStatus
    from dangjian.recruitment.demo import happy_dates
    from dangjian.recruitment.models import Case, Step

    rng = random.Random(6)
    on = today()
    with transaction.atomic():
        lg = Organization.objects.create(name="基准局党组", kind=OrgKind.LEADING_GROUP)
        oc = Organization.objects.create(name="基准局机关党委", kind=OrgKind.ORGAN_COMMITTEE, parent=lg)
        branches = Organization.objects.bulk_create(
            [
                Organization(name=f"第{i + 1:03d}党支部", kind=OrgKind.BRANCH, parent=oc, order=i)
                for i in range(BRANCHES)
            ]
        )
        for b in branches:
            b.path = f"{oc.path}{b.pk}/"
            b.depth = 2
        Organization.objects.bulk_update(branches, ["path", "depth"])
        cases, plans = [], []
        for i in range(OPEN_CASES + FINISHED_CASES):
            finished = i >= OPEN_CASES
            # Each open case waits at a random step, its last step 0-150 days ago (a live pipeline,
            # where most cases are on time and some are late), so the list is realistic in size.
            upto = 25 if finished else rng.randint(1, 24)
            offset = happy_dates(on)[upto] - on
            start = on - offset - datetime.timedelta(days=rng.randint(0, 150) if not finished else 400)
            dates = happy_dates(start)
            events = [
                rules.Event(n, dates[n], passed=True if n in rules.VOTE_STEPS else None, seq=n)
                for n in range(1, upto + 1)
            ]
            timeline = rules.build(events)
            nxt = rules.next_step(timeline)
            born = datetime.date(1985 + i % 15, 1 + i % 12, 1 + i % 28)
            first17 = f"110105{born:%Y%m%d}{i % 1000:03d}"
            cases.append(
                Case(
                    name=f"申请人{i:05d}",
                    gender="male" if i % 2 else "female",
                    birth_date=born,
                    id_number=first17 + id_check_digit(first17) if not finished else "",
                    organization=branches[i % BRANCHES],
                    opened_on=start,
                    status=CaseStatus.COMPLETED if upto == 25 else CaseStatus.OPEN,
                    stage=timeline.stage,
                    next_number=nxt.rule.number if nxt else None,
                    next_earliest=nxt.earliest if nxt else None,
                    next_deadline=nxt.deadline if nxt else None,
                    review_due=rules.review_due(timeline),
                    probation_ends=timeline.probation_end,
                    admitted_on=timeline.done.get(15) if 17 in timeline.done else None,
                )
            )
            plans.append((upto, dates))
        Case.objects.bulk_create(cases, batch_size=1000)
        steps = [
            Step(
                case=case,
                number=n,
                date=dates[n],
                organization_id=case.organization_id,
                passed=True if n in rules.VOTE_STEPS else None,
            )
            for case, (upto, dates) in zip(cases, plans, strict=True)
            for n in range(1, upto + 1)
        ]
        Step.objects.bulk_create(steps, batch_size=2000)
    print(f"built {BRANCHES} branches, {len(cases):,} cases ({OPEN_CASES:,} open), {len(steps):,} steps")


def measure() -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from dangjian.core.dates import today
    from dangjian.core.models import Role
    from dangjian.core.period import Period
    from dangjian.core.scope import restrict
    from dangjian.orgs.models import Organization
    from dangjian.recruitment.due import due_items
    from dangjian.recruitment.models import Case

    user = get_user_model().objects.create_user("jgdw_bench", password="x")
    Role.objects.create(
        user=user, kind="agency_officer", organization=Organization.objects.get(kind="organ_committee")
    )
    on = today()
    end = Period.containing(on, "month").end

    def list_once() -> int:
        return len(due_items(restrict(Case.objects.all(), user), month_end=end, on=on))

    client = Client()
    client.force_login(user)

    def page_once() -> int:
        response = client.get("/recruitment/due/")
        assert response.status_code == 200, response.status_code
        return len(response.content)

    count = list_once()
    page_once()
    timings = {}
    for label, fn in (("due_items (query + rows)", list_once), ("due page (whole request)", page_once)):
        runs = []
        for _ in range(RUNS):
            t0 = time.perf_counter()
            fn()
            runs.append((time.perf_counter() - t0) * 1000)
        timings[label] = runs
    with CaptureQueriesContext(connection) as ctx:
        page_once()
    print(
        f"database: {connection.vendor}; open cases: {Case.objects.open().count():,}; "
        f"items due by {end}: {count:,} (overdue included)"
    )
    for label, runs in timings.items():
        print(
            f"{label:28s} median {statistics.median(runs):7.1f} ms   min {min(runs):7.1f}   max {max(runs):7.1f}"
        )
    print(f"queries on the due page: {len(ctx.captured_queries)}")


def main() -> None:
    prepare_database()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    build()
    print(f"build: {time.perf_counter() - t0:.1f} s")
    measure()


if __name__ == "__main__":
    main()
