"""Report content bench (issue 11): per genre, subject (党组 / 机关党委) and period, the draft's
length, figures, prompts, content kinds covered from records / by prompt / missing, and the share
of sentences two consecutive years' drafts have in common.

    DANGJIAN_VAR_DIR=/tmp/report-content .venv/bin/python bench/report_content_bench.py
    # add --show work_summary:2:2025 to print one draft
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--periods", default="2025,2025H1,2026")
    parser.add_argument("--show", help="genre:org id:period to print")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from dangjian.core.period import Period
    from dangjian.orgs.models import Organization
    from dangjian.reports.build import build
    from dangjian.reports.genres import BUILTIN_CODES, load_builtin
    from dangjian.reports.quality import length, missing_kinds, shared_share

    call_command("migrate", verbosity=0)
    if not Organization.objects.exists():
        call_command("demo", verbosity=0)
    subjects = [
        ("党组", Organization.objects.get(kind="leading_group")),
        ("机关党委", Organization.objects.get(kind="organ_committee")),
    ]

    def draft(code, org, period):  # type: ignore[no-untyped-def]
        return build(load_builtin(code), org, Period.parse(period), genre_code=code).document

    if args.show:
        code, org_id, period = args.show.split(":")
        print(draft(code, Organization.objects.get(pk=int(org_id)), period).plain_text())
        return
    print(
        "| genre | subject | period | chars | figures | prompts | kinds from records | by prompt | missing | shared with previous year |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for code in BUILTIN_CODES:
        body = load_builtin(code)
        for name, org in subjects:
            for period in args.periods.split(","):
                document = draft(code, org, period)
                coverage = document.coverage()
                declared = [k["code"] for k in body.get("kinds", [])]
                data = sum(1 for k in declared if coverage.get(k) == "data")
                prompted = sum(1 for k in declared if coverage.get(k) == "prompt")
                shared = ""
                if period.isdigit():
                    previous = draft(code, org, str(int(period) - 1))
                    shared = f"{shared_share(previous, document):.0%}"
                print(
                    f"| {code} | {name} | {period} | {length(document)} | {len(document.figure_keys())} |"
                    f" {len(document.prompts())} | {data}/{len(declared)} | {prompted} |"
                    f" {len(missing_kinds(body, document))} | {shared} |"
                )


if __name__ == "__main__":
    main()
