"""CPU per request on the load bench's page mix, measured in-process (load-independent-ish).

    DANGJIAN_VAR_DIR=/tmp/lb/var .venv/bin/python bench/cpu_bench.py --reps 7

Wall-clock load runs on a shared machine are noisy; process CPU time per request is what sets
the ceiling (2 cores ÷ CPU per request = requests/s). Every request goes through the whole
middleware stack via Django's test client, signed in as each role of ``load_bench.py`` (with a
real session, as a browser would), against the demo bureau in DANGJIAN_VAR_DIR. Reported per
page: the median process CPU over ``--reps`` fetches (after one warm-up fetch, so a cached part
is measured warm, as it is under load), and the mix's weighted mean. ``--cold`` clears the cache
before every fetch (the cost when the ledger has just changed).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load_bench import PAGES, ROLES, WEIGHTS  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--cold", action="store_true", help="clear the cache before each fetch")
    parser.add_argument("--roles", default=",".join(r for r, _ in ROLES))
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import Client

    roles = args.roles.split(",")
    per_page: dict[str, list[float]] = {p: [] for p in PAGES}
    print(f"{'page':<14}" + "".join(f"{r:>8}" for r in roles) + "   (ms CPU, median)")
    table: dict[str, dict[str, float]] = {p: {} for p in PAGES}
    for role in roles:
        user = get_user_model().objects.get(username=role)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        ids = {}
        for key, url, pattern in (
            ("org", "/orgs/", r'href="/orgs/(\d+)/"'),
            ("member", "/members/", r'href="/members/(\d+)/"'),
        ):
            found = re.findall(pattern, client.get(url).content.decode())
            ids[key] = found[len(found) // 2] if found else None
        for page, template in PAGES.items():
            if "{" in template and not all(ids.values()):
                continue
            url = template.format(**ids)
            client.get(url)  # warm-up
            times = []
            for _ in range(args.reps):
                if args.cold:
                    cache.clear()
                start = time.process_time()
                response = client.get(url)
                times.append((time.process_time() - start) * 1000)
                if response.status_code != 200:
                    raise SystemExit(f"{role} {url}: {response.status_code}")
            ms = statistics.median(times)
            table[page][role] = ms
            per_page[page].append(ms)
    for page in PAGES:
        print(f"{page:<14}" + "".join(f"{table[page].get(r, 0):8.1f}" for r in roles))
    total_weight = sum(WEIGHTS[p] for p in PAGES if per_page[p])
    mix = sum(WEIGHTS[p] * statistics.mean(per_page[p]) for p in PAGES if per_page[p]) / total_weight
    print(f"weighted mix mean: {mix:.1f} ms CPU per request → ceiling {2000 / mix:.0f} requests/s on 2 cores")
    print(f"load average: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
