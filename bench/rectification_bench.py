"""Rectification and honours benchmark at province size: 10,000 organizations.

    .venv/bin/python bench/rectification_bench.py             # SQLite (a fresh file under /tmp)

Builds a leading group, an organ committee, 100 general branches and 10,000 branches below them,
3 members per branch (30,000), 5 findings per branch (50,000, found over three years: most closed,
some overdue, some reopened) with a measure each, and 2 honours per branch (20,000). Measures,
median of 7 runs after a warm-up, as the agency officer (the widest reach): the findings list page
(open findings, overdue first, and all findings), the rectification figures of the year over the
whole tree, the agenda's due findings, the honours list page and the honours figures, and the
new-record forms of both (their selects list every member and organization in reach).
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

GENERAL = 100
BRANCHES = 10_000
MEMBERS_PER_BRANCH = 3
FINDINGS_PER_BRANCH = 5
HONOURS_PER_BRANCH = 2
RUNS = 7


def prepare_database() -> None:
    if not os.environ.get("DANGJIAN_DATABASE_URL"):
        path = Path(tempfile.gettempdir()) / "rectification_bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DANGJIAN_DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")


def build() -> None:
    from django.db import transaction

    from dangjian.core.dates import today
    from dangjian.honours.models import Honour
    from dangjian.members.models import Member
    from dangjian.orgs.choices import OrgKind
    from dangjian.orgs.models import Organization
    from dangjian.rectification.models import Finding, Measure

    rng = random.Random(10)
    on = today()
    with transaction.atomic():
        lg = Organization.objects.create(name="基准省厅党组", kind=OrgKind.LEADING_GROUP)
        oc = Organization.objects.create(name="基准省厅机关党委", kind=OrgKind.ORGAN_COMMITTEE, parent=lg)
        generals = Organization.objects.bulk_create(
            [
                Organization(name=f"第{i + 1:03d}党总支", kind=OrgKind.GENERAL_BRANCH, parent=oc, order=i)
                for i in range(GENERAL)
            ]
        )
        for g in generals:
            g.path, g.depth = f"{oc.path}{g.pk}/", 2
        Organization.objects.bulk_update(generals, ["path", "depth"])
        branches = Organization.objects.bulk_create(
            [
                Organization(
                    name=f"第{i + 1:05d}党支部", kind=OrgKind.BRANCH, parent=generals[i % GENERAL], order=i
                )
                for i in range(BRANCHES)
            ],
            batch_size=2000,
        )
        for b in branches:
            b.path, b.depth = f"{b.parent.path}{b.pk}/", 3
        Organization.objects.bulk_update(branches, ["path", "depth"], batch_size=2000)
        members = Member.objects.bulk_create(
            [
                Member(
                    name=f"党员{i:06d}",
                    gender="male" if i % 2 else "female",
                    birth_date=datetime.date(1970 + i % 30, 1 + i % 12, 1 + i % 28),
                    organization=branches[i // MEMBERS_PER_BRANCH],
                    status="full",
                    admission_date=datetime.date(2005, 7, 1),
                    confirmation_date=datetime.date(2006, 7, 1),
                )
                for i in range(BRANCHES * MEMBERS_PER_BRANCH)
            ],
            batch_size=2000,
        )
        sources = ["inspection", "democratic_life", "org_life", "campaign", "audit", "self"]
        findings = []
        for i in range(BRANCHES * FINDINGS_PER_BRANCH):
            b = i // FINDINGS_PER_BRANCH
            found_on = on - datetime.timedelta(days=rng.randint(0, 3 * 365))
            deadline = found_on + datetime.timedelta(days=rng.choice((30, 90, 180)))
            state = rng.random()
            closed = state < 0.7 and deadline < on
            reopened = 0.7 <= state < 0.73
            findings.append(
                Finding(
                    organization=branches[b],
                    source=rng.choice(sources),
                    found_on=found_on,
                    description=f"第{i}号问题：制度执行不到位",
                    responsible=members[b * MEMBERS_PER_BRANCH + i % MEMBERS_PER_BRANCH],
                    deadline=deadline,
                    status="closed" if closed else "open",
                    closed_on=min(deadline, on) if closed else None,
                    closing_evidence="已整改" if closed else "",
                    reopen_count=1 if reopened else 0,
                    reopened_on=found_on + datetime.timedelta(days=20) if reopened else None,
                )
            )
        Finding.objects.bulk_create(findings, batch_size=2000)
        Measure.objects.bulk_create(
            [
                Measure(finding=f, text="整改措施", responsible=f.responsible, deadline=f.deadline)
                for f in findings
            ],
            batch_size=2000,
        )
        levels = ["national", "provincial", "municipal", "district", "internal"]
        honours = []
        for i in range(BRANCHES * HONOURS_PER_BRANCH):
            b = i // HONOURS_PER_BRANCH
            member = members[b * MEMBERS_PER_BRANCH] if i % 2 else None
            honours.append(
                Honour(
                    title="优秀共产党员" if member else "先进基层党组织",
                    level=rng.choice(levels),
                    grantor="省直机关工委",
                    awarded_on=on - datetime.timedelta(days=rng.randint(0, 3 * 365)),
                    organization=branches[b],
                    member=member,
                )
            )
        Honour.objects.bulk_create(honours, batch_size=2000)
    print(
        f"built {GENERAL + BRANCHES + 2:,} organizations, {len(members):,} members, "
        f"{len(findings):,} findings and measures, {len(honours):,} honours"
    )


def measure() -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from dangjian import metrics
    from dangjian.core.dates import today
    from dangjian.core.models import Role
    from dangjian.core.period import Period
    from dangjian.orgs.models import Organization
    from dangjian.rectification.due import due_findings

    user = get_user_model().objects.create_user("jgdw_bench", password="x")
    Role.objects.create(
        user=user, kind="agency_officer", organization=Organization.objects.get(kind="organ_committee")
    )
    root = Organization.objects.get(kind="leading_group")
    year = Period.year(today().year)
    client = Client()
    client.force_login(user)
    found: dict[str, object] = {}

    def page(url: str) -> object:
        def run() -> int:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return len(response.content)

        return run

    def rect_figures() -> int:
        keys = [k for k in metrics.keys() if k.startswith("rectification.")]
        found["rect"] = metrics.compute(keys, root, year, user)
        return len(keys)

    def honour_figures() -> int:
        keys = [k for k in metrics.keys() if k.startswith("honours.")]
        found["honours"] = metrics.compute(keys, root, year, user)
        return len(keys)

    def due() -> int:
        items = due_findings(user, today(), today() + datetime.timedelta(days=7))
        found["due"] = len(items)
        return len(items)

    cases = [
        ("findings list, open (overdue first)", page("/rectification/")),
        ("findings list, all", page("/rectification/?status=all")),
        ("rectification figures (all keys, year)", rect_figures),
        ("agenda: due findings", due),
        ("honours list", page("/honours/")),
        ("honours figures (all keys, year)", honour_figures),
        # The new-record forms: their member and organization selects list the whole reach.
        ("form /rectification/new/", page("/rectification/new/")),
        ("form /rectification/inspections/new/", page("/rectification/inspections/new/")),
        ("form /honours/new/", page("/honours/new/")),
        ("form /honours/selections/new/", page("/honours/selections/new/")),
    ]
    print(f"database: {connection.vendor}")
    for label, fn in cases:
        fn()
        runs = []
        for _ in range(RUNS):
            t0 = time.perf_counter()
            fn()
            runs.append((time.perf_counter() - t0) * 1000)
        print(
            f"{label:42s} median {statistics.median(runs):7.1f} ms   min {min(runs):7.1f}   max {max(runs):7.1f}"
        )
    for url in ("/rectification/", "/honours/"):
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        print(f"queries on {url}: {len(ctx.captured_queries)}")
    rect = found["rect"]
    print(
        "figures: "
        + ", ".join(
            f"{k.removeprefix('rectification.')}={rect[k].value}"  # type: ignore[index]
            for k in (
                "rectification.found",
                "rectification.closed",
                "rectification.open",
                "rectification.overdue",
                "rectification.reopened",
                "rectification.close_rate",
            )
        )
        + f"; honours this year={found['honours']['honours.count'].value}; due findings listed={found['due']}"  # type: ignore[index]
    )


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
    print(f"build took {time.perf_counter() - t0:.0f} s")
    measure()


if __name__ == "__main__":
    main()
