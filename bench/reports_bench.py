"""Reports bench: time composing every genre (figures from the ledger + the document tree + .docx).

Targets (issue 4): one bureau-year under 1 s; a 10,000-organization province-year under 10 s.

    # the demo bureau (built if the database is empty)
    DANGJIAN_VAR_DIR=/tmp/reports-bench .venv/bin/python bench/reports_bench.py --year 2025
    # the province built by bench/compliance_bench.py (reuse its database)
    DANGJIAN_DATABASE_URL=postgres://postgres@127.0.0.1:5432/compliance_bench \\
        .venv/bin/python bench/reports_bench.py --year 2025 --province

Prints, per genre, the median of --runs compositions for the bureau (the organization with the
most members below it that is not the root) and, with --province, for the root of the tree.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--province", action="store_true", help="also time the root of a province-sized tree")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from dangjian.core.period import Period
    from dangjian.orgs.models import Organization
    from dangjian.reports.build import build
    from dangjian.reports.models import Genre
    from dangjian.reports.render_docx import render_docx

    call_command("migrate", verbosity=0)
    if not Organization.objects.exists():
        call_command("demo", verbosity=0)
    orgs = Organization.objects.count()
    roots = Organization.objects.filter(parent__isnull=True)
    bureau = (
        Organization.objects.filter(kind="organ_committee")
        .annotate(n=Count("children"))
        .order_by("-n", "id")
        .first()
    )
    print(f"database: {connection.vendor}; organizations: {orgs}; bureau: {bureau} (id {bureau.pk})")

    targets = [("bureau", bureau, 1.0)]
    if args.province:
        targets.append(("province", roots.order_by("id").first(), 10.0))
    period = Period.year(args.year)
    for label, org, limit in targets:
        print(f"\n{label}: {org.name} — {period}, median of {args.runs} runs (limit {limit:.0f} s)")
        for genre in Genre.objects.filter(is_builtin=True).order_by("id"):
            times, docx_times = [], []
            for _ in range(args.runs):
                start = time.perf_counter()
                built = build(genre.body, org, period, genre_code=genre.code)
                middle = time.perf_counter()
                render_docx(built.document)
                docx_times.append(time.perf_counter() - middle)
                times.append(middle - start)
            compose = statistics.median(times)
            total = compose + statistics.median(docx_times)
            verdict = "ok" if total < limit else "OVER"
            print(
                f"  {genre.code:24s} compose {compose * 1000:8.1f} ms  +docx {statistics.median(docx_times) * 1000:6.1f} ms"
                f"  figures {len(built.figures_json()):3d}  {verdict}"
            )


if __name__ == "__main__":
    main()
