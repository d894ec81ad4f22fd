"""Campaigns benchmark: a province (10,000 organizations) running one campaign, with its pledges
and research.

    .venv/bin/python bench/campaigns_bench.py                   # SQLite (a fresh file under /tmp)
    .venv/bin/python bench/campaigns_bench.py --scale 0.1       # 1,000 organizations
    DANGJIAN_DATABASE_URL=postgres://postgres@127.0.0.1:5432/campaigns_bench \\
        .venv/bin/python bench/campaigns_bench.py               # PostgreSQL (database recreated)

Builds a provincial 党组 with 99 bureaus (机关党委) of 100 branches each (10,000 organizations),
2 members per branch, the province's campaign (3 plan items) and a campaign per bureau; each
branch holds 6 activities in the campaign's months, all linked to the provincial campaign (and
3 to its bureau's), 5 为民办实事 items (a sixth of them open, some overdue), and each bureau 2
research projects with 3 sessions and an output. Measures, median of 5 after a warm-up: the
period figures over the province (pledges.*, campaigns.*, research.*), the provincial campaign's
dashboard figures, and the pages (dashboard, campaign list, pledge list, pledge export of one
bureau, the agenda's overdue pledges, the new-record forms, the dashboard's team member search)
for an administrator through Django's test client. It prints the campaign list's first page
summed per column (from metrics, as the dashboards count) and the load average before and after
measuring: the machine's other work slows every row.

    .venv/bin/python bench/campaigns_bench.py --reuse --skip lookup   # the last build again;
                                    # --skip lookup,form on code older than the searches
"""

from __future__ import annotations

import argparse
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

RUNS = 5
SKIP: list[str] = []


def prepare_database() -> str:
    url = os.environ.get("DANGJIAN_DATABASE_URL")
    if not url:
        path = Path(tempfile.gettempdir()) / "campaigns_bench.sqlite3"
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


def build(scale: float) -> dict:
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from dangjian.activities.models import Activity, ActivityCredit, ActivityType
    from dangjian.campaigns.models import (
        Campaign,
        PlanItem,
        ResearchOutput,
        ResearchProject,
        ServicePledge,
    )
    from dangjian.core.dates import today
    from dangjian.members.models import Member
    from dangjian.orgs.choices import OrgKind
    from dangjian.orgs.models import Organization

    rng = random.Random(10)
    on = today()
    year = on.year
    bureaus_n = max(1, round(99 * scale))
    per_bureau = 100 if scale >= 0.1 else max(2, round(100 * scale))
    started = datetime.date(year, 3, 1)
    with transaction.atomic():
        province = Organization.objects.create(name="基准省党组", kind=OrgKind.LEADING_GROUP)
        bureaus = Organization.objects.bulk_create(
            [
                Organization(
                    name=f"第{i + 1:02d}厅机关党委", kind=OrgKind.ORGAN_COMMITTEE, parent=province, order=i
                )
                for i in range(bureaus_n)
            ]
        )
        for b in bureaus:
            b.path, b.depth = f"{province.path}{b.pk}/", 1
        Organization.objects.bulk_update(bureaus, ["path", "depth"])
        branches = Organization.objects.bulk_create(
            [
                Organization(name=f"第{i + 1:02d}厅第{j + 1:03d}支部", kind=OrgKind.BRANCH, parent=b, order=j)
                for i, b in enumerate(bureaus)
                for j in range(per_bureau)
            ],
            batch_size=2000,
        )
        bureau_of = {}
        for k, br in enumerate(branches):
            parent = bureaus[k // per_bureau]
            br.path, br.depth = f"{parent.path}{br.pk}/", 2
            bureau_of[br.pk] = parent
        Organization.objects.bulk_update(branches, ["path", "depth"], batch_size=2000)
        members = Member.objects.bulk_create(
            [
                Member(
                    name=f"党员{k:05d}{n}",
                    gender="male",
                    birth_date=datetime.date(1980, 1, 1),
                    organization=br,
                    status="full",
                    admission_date=datetime.date(2005, 7, 1),
                    confirmation_date=datetime.date(2006, 7, 1),
                )
                for k, br in enumerate(branches)
                for n in range(2)
            ],
            batch_size=2000,
        )
        staff = {}
        for m in members:
            staff.setdefault(m.organization_id, []).append(m)
        types = {t.code: t for t in ActivityType.objects.all()}
        main = Campaign.objects.create(
            organization=province, name="全省专题教育", kind="theme_education", started_on=started
        )
        for code, target in (("study_session", 6), ("party_lecture", 2), ("theme_day", 3)):
            PlanItem.objects.create(campaign=main, title=code, activity_type=types[code], target_count=target)
        own = {
            b.pk: Campaign(organization=b, name=f"{b.name}专项整治", kind="rectification", started_on=started)
            for b in bureaus
        }
        Campaign.objects.bulk_create(own.values())
        codes = [
            "study_session",
            "study_session",
            "study_session",
            "party_lecture",
            "theme_day",
            "committee_meeting",
        ]
        span_days = max(1, (on - started).days - 1)
        activities = []
        for br in branches:
            for code in codes:
                day = started + datetime.timedelta(days=rng.randint(0, span_days))
                held_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
                activities.append(
                    Activity(
                        organization=br,
                        activity_type=types[code],
                        status="verified",
                        topic=f"{code}",
                        held_at=held_at,
                        held_on=day,
                        planned_at=held_at,
                    )
                )
        Activity.objects.bulk_create(activities, batch_size=2000)
        ActivityCredit.objects.bulk_create(
            [ActivityCredit(activity=a, activity_type=a.activity_type, is_primary=True) for a in activities],
            batch_size=5000,
        )
        Through = Campaign.activities.through
        links = [Through(campaign_id=main.pk, activity_id=a.pk) for a in activities]
        links += [
            Through(campaign_id=own[bureau_of[a.organization_id].pk].pk, activity_id=a.pk)
            for n, a in enumerate(activities)
            if n % 2 == 0
        ]
        Through.objects.bulk_create(links, batch_size=5000)
        pledges = []
        for br in branches:
            for n in range(5):
                collected = started + datetime.timedelta(days=rng.randint(0, span_days))
                deadline = collected + datetime.timedelta(days=60)
                is_open = rng.random() < 1 / 6
                solved = None if is_open else min(deadline, on - datetime.timedelta(days=1))
                pledges.append(
                    ServicePledge(
                        organization=br,
                        campaign=main if n < 3 else None,
                        title=f"实事{br.pk}-{n}",
                        source="visit",
                        category="livelihood",
                        collected_on=collected,
                        handler=staff[br.pk][0],
                        collected_by=staff[br.pk][1],
                        deadline=deadline,
                        status="open" if is_open else "solved",
                        solved_on=max(solved, collected) if solved else None,
                        beneficiaries=None if is_open else rng.randint(10, 300),
                        amount=None if is_open else Decimal(rng.randint(1, 50)),
                        result="" if is_open else "已办结",
                    )
                )
        ServicePledge.objects.bulk_create(pledges, batch_size=2000)
        projects = ResearchProject.objects.bulk_create(
            [
                ResearchProject(
                    organization=b,
                    campaign=main,
                    title=f"{b.name}课题{n}",
                    leader=staff[branches[i * per_bureau].pk][0],
                    started_on=started,
                )
                for i, b in enumerate(bureaus)
                for n in range(2)
            ]
        )
        sessions = []
        for p in projects:
            for k in range(3):
                day = started + datetime.timedelta(days=10 + 20 * k)
                held_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
                sessions.append(
                    (
                        p,
                        Activity(
                            organization=p.organization,
                            activity_type=types["field_research"],
                            status="verified",
                            topic="调研",
                            held_at=held_at,
                            held_on=day,
                            planned_at=held_at,
                        ),
                    )
                )
        Activity.objects.bulk_create([a for _p, a in sessions], batch_size=2000)
        ResearchProject.sessions.through.objects.bulk_create(
            [ResearchProject.sessions.through(researchproject_id=p.pk, activity_id=a.pk) for p, a in sessions]
        )
        ResearchOutput.objects.bulk_create(
            [
                ResearchOutput(
                    project=p,
                    kind="report",
                    title="调研报告",
                    issued_on=started + datetime.timedelta(days=70),
                )
                for p in projects
            ]
        )
    counts = {
        "organizations": Organization.objects.count(),
        "activities": Activity.objects.count(),
        "campaign links": len(links),
        "pledges": len(pledges),
        "projects": len(projects),
    }
    print("built " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
    return {"main": main, "province": province, "bureau": bureaus[0], "bureau_campaign": own[bureaus[0].pk]}


def _time(fn) -> list[float]:  # type: ignore[no-untyped-def]
    fn()
    runs = []
    for _ in range(max(1, RUNS)):
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) * 1000)
    return runs


def measure(made: dict) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from dangjian.campaigns.due import overdue_pledges
    from dangjian.core.dates import today
    from dangjian.core.models import Role
    from dangjian.core.period import Period
    from dangjian.metrics import registry
    from dangjian.metrics.figures.campaigns import CAMPAIGN_KEYS, PLEDGE_KEYS, RESEARCH_KEYS

    main, province, bureau = made["main"], made["province"], made["bureau"]
    user = get_user_model().objects.create_user("admin_bench", password="x", is_superuser=True)
    Role.objects.create(user=user, kind="admin")
    year = Period.year(today().year)
    span = Period.between(main.started_on, today())
    dashboard_keys = [
        f"campaign.{main.pk}.{p}"
        for p in (
            "activities",
            "orgs",
            "planned",
            "held_against_plan",
            "solved",
            "open",
            "overdue",
            "beneficiaries.people",
            "amount",
            "outputs",
        )
    ]
    found = registry.compute([*PLEDGE_KEYS, *CAMPAIGN_KEYS, *RESEARCH_KEYS], province, year)
    print(
        "province, this year: "
        + "; ".join(f"{k} {found[k].value}" for k in (*PLEDGE_KEYS, *CAMPAIGN_KEYS, *RESEARCH_KEYS))
    )
    dash = registry.compute(dashboard_keys, province, span)
    print(
        "provincial campaign: " + "; ".join(f"{k.split('.', 2)[2]} {dash[k].value}" for k in dashboard_keys)
    )
    client = Client()
    client.force_login(user)

    def page(url: str):  # type: ignore[no-untyped-def]
        def run() -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return run

    rows = [
        ("pledges.* over the province", lambda: registry.compute(PLEDGE_KEYS, province, year)),
        ("campaigns.* over the province", lambda: registry.compute(CAMPAIGN_KEYS, province, year)),
        ("research.* over the province", lambda: registry.compute(RESEARCH_KEYS, province, year)),
        ("campaign dashboard figures", lambda: registry.compute(dashboard_keys, province, span)),
        ("agenda: overdue pledges", lambda: overdue_pledges(user, today(), today())),
        ("page /campaigns/<province>/", page(f"/campaigns/{main.pk}/")),
        ("page /campaigns/<a bureau's>/", page(f"/campaigns/{made['bureau_campaign'].pk}/")),
        ("page /campaigns/ (list)", page("/campaigns/")),
        ("page /campaigns/pledges/", page("/campaigns/pledges/")),
        ("page /campaigns/pledges/?org=<bureau>", page(f"/campaigns/pledges/?org={bureau.pk}")),
        ("export one bureau's pledges", page(f"/campaigns/pledges/export/?org={bureau.pk}")),
        ("page /campaigns/research/", page("/campaigns/research/")),
        ("page /campaigns/pledges/new/ (form)", page("/campaigns/pledges/new/")),
        ("page /campaigns/research/new/ (form)", page("/campaigns/research/new/")),
        ("page /campaigns/new/ (form)", page("/campaigns/new/")),
        # The dashboard's team form finds members by a search (was a select of every member).
        ("team member lookup (province)", page(f"/campaigns/{main.pk}/team/lookup/?team_q=党员0001")),
    ]
    print(f"database: {connection.vendor}; overdue pledges: {len(overdue_pledges(user, today(), today())):,}")
    list_figures(user)
    print(f"load average before measuring: {_load()}")
    for label, fn in rows:
        if any(word in label for word in SKIP):
            continue
        runs = _time(fn)
        with CaptureQueriesContext(connection) as ctx:
            fn()
        print(
            f"{label:40s} median {statistics.median(runs):8.1f} ms   min {min(runs):8.1f}   max {max(runs):8.1f}"
            f"   queries {len(ctx.captured_queries)}",
            flush=True,
        )
    print(f"load average after measuring: {_load()}")


def _load() -> str:
    """The 1-, 5- and 15-minute load averages: other work on the machine slows every row."""
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def list_figures(user: object) -> None:
    """The campaign list's first page as its rows show it, summed per column, each row's figures
    read from the dashboard's own source (metrics.compute) — so a run before and after a change
    to the list shows the same numbers."""
    from dangjian.campaigns.models import Campaign
    from dangjian.campaigns.views import _span
    from dangjian.core.scope import restrict
    from dangjian.metrics import registry

    shown = ("activities", "planned", "held_against_plan", "overdue")
    campaigns = list(
        restrict(Campaign.objects.select_related("organization"), user).order_by("-started_on", "id")[:30]
    )
    sums = dict.fromkeys(shown, 0)
    for c in campaigns:
        found = registry.compute([f"campaign.{c.pk}.{p}" for p in shown], c.organization, _span(c), user)
        for p in shown:
            sums[p] += found[f"campaign.{c.pk}.{p}"].value
    print(
        f"campaign list, page 1 ({len(campaigns)} rows), column sums: "
        + "; ".join(f"{p} {v:,}" for p, v in sums.items())
    )


def main() -> None:
    global RUNS, SKIP
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 10,000 organizations")
    parser.add_argument("--runs", type=int, default=RUNS, help="timed runs per row (after a warm-up)")
    parser.add_argument(
        "--skip", default="", help="comma-separated words: rows whose label has one are skipped"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="measure the database the last run built (SQLite)"
    )
    args = parser.parse_args()
    RUNS, SKIP = args.runs, [w for w in args.skip.split(",") if w]
    if args.reuse:
        path = Path(tempfile.gettempdir()) / "campaigns_bench.sqlite3"
        os.environ.setdefault("DANGJIAN_DATABASE_URL", f"sqlite:///{path}")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
        import django

        django.setup()
        from django.conf import settings

        from dangjian.campaigns.models import Campaign
        from dangjian.core.models import Role
        from dangjian.orgs.models import Organization

        settings.ALLOWED_HOSTS = ["*"]
        Role.objects.filter(user__username="admin_bench").delete()
        from django.contrib.auth import get_user_model

        get_user_model().objects.filter(username="admin_bench").delete()
        province = Organization.objects.get(depth=0)
        made = {
            "main": Campaign.objects.get(organization=province),
            "province": province,
            "bureau": Organization.objects.filter(depth=1).order_by("order").first(),
        }
        made["bureau_campaign"] = Campaign.objects.get(organization=made["bureau"])
        measure(made)
        return
    prepare_database()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    made = build(args.scale)
    print(f"build took {time.perf_counter() - t0:.1f} s")
    measure(made)


if __name__ == "__main__":
    main()
