"""Form pages that pick members or organizations, timed for a province administrator.

    .venv/bin/python bench/lookup_forms_bench.py /tmp/lookups-bench/p.sqlite3 [posts/add]
    BENCH_ROOT=/path/to/older/checkout .venv/bin/python bench/lookup_forms_bench.py ...  # before

Reads a province another bench built (bench/campaigns_bench.py: 10,000 organizations, 20,000
members; pass a copy of its SQLite file: this adds a user). Prints the median of RUNS GETs after
a warm-up, and each page's size: a whole-province ``<select>`` is megabytes.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

RUNS = 2  # after a warm-up: a page of the old selects takes ~10-20 s on a busy machine

ROOT = Path(os.environ.get("BENCH_ROOT") or Path(__file__).resolve().parents[1])
sys.path.insert(0, str(ROOT))


def main() -> None:
    os.environ["DANGJIAN_DATABASE_URL"] = f"sqlite:///{sys.argv[1]}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    import django

    django.setup()
    import logging

    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    logging.disable(logging.CRITICAL)
    from django.contrib.auth import get_user_model
    from django.test import Client

    from dangjian.activities.models import Activity
    from dangjian.core.models import Role
    from dangjian.members.models import Member
    from dangjian.orgs.models import Organization

    user, made = get_user_model().objects.get_or_create(username="lookup_bench", is_superuser=True)
    if made:
        Role.objects.create(user=user, kind="admin")
    client = Client()
    client.force_login(user)
    activity = Activity.objects.order_by("pk").first()
    member = Member.objects.order_by("pk").first()
    branch = Organization.objects.filter(kind="branch").order_by("pk").first()
    top = Organization.objects.filter(parent=None).order_by("pk").first()
    urls = [
        "/activities/plan/",
        f"/activities/{activity.pk}/record/",
        "/activities/talks/new/",
        "/activities/reflections/",
        "/members/add/",
        f"/members/{member.pk}/edit/",
        f"/members/posts/add/?org={branch.pk}",
        f"/members/posts/add/?org={top.pk}",
        "/recruitment/new/",
        "/recruitment/plans/",
        "/orgs/add/",
        f"/orgs/{branch.pk}/edit/",
    ]
    only = sys.argv[2] if len(sys.argv) > 2 else ""  # time only the pages whose address has this
    for url in [u for u in urls if only in u]:
        times = []
        for _ in range(RUNS + 1):
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
        print(
            f"{url:40} {response.status_code} {statistics.median(times[1:]) * 1000:7.0f} ms {len(response.content) // 1024:6} KB"
        )


if __name__ == "__main__":
    main()
