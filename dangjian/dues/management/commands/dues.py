"""``dangjian dues standard|run``: the dues calculator and the monthly run from the command line.

Other tools call ``dues standard`` and read the last line of its output: the monthly amount with
two decimals and nothing else. Bad input exits with status 2 and a Chinese message on stderr.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangjian.core.period import Period
from dangjian.dues.allocation import month_label
from dangjian.dues.rates import DuesInputError, monthly_standard, parse_amount
from dangjian.members.choices import DuesCategory


class Command(BaseCommand):
    # Other tools call the calculator often; system checks add start-up time and need no database.
    requires_system_checks: list[str] = []
    help = "党费：按类别和基数计算月交纳额（standard），或生成某月全体党员的党费台账（run）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        standard = sub.add_parser("standard", help="计算月交纳额")
        standard.add_argument("--category", required=True, help="|".join(DuesCategory.values))
        standard.add_argument("--base", required=True, help="交纳基数（元/月）；农民党员为本人选定的月交纳额")
        run = sub.add_parser("run", help="生成某月党费台账并统计欠交")
        run.add_argument("--month", required=True, help="月份，如 2026-11")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "standard":
            self._standard(options["category"], options["base"])
        else:
            self._run(options["month"])

    def _standard(self, category: str, raw_base: str) -> None:
        if category not in DuesCategory.values:
            labels = "、".join(f"{v}（{label}）" for v, label in DuesCategory.choices)
            raise CommandError(f"党费类别“{category}”不对，应为：{labels}。", returncode=2)
        try:
            base = parse_amount(raw_base)
            result = monthly_standard(category, base)
        except DuesInputError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.stdout.write(f"{result.amount:.2f}")

    def _run(self, raw_month: str) -> None:
        from dangjian.dues.run import run_month

        try:
            month = Period.parse_month(raw_month).start
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        summary = run_month(month)
        self.stdout.write(
            f"{month_label(month)}党费台账：{summary.lines}人，应交{summary.total_due}元，实交{summary.total_paid}元；"
            f"欠交{summary.members_in_arrears}人共{summary.arrears_total}元；"
            f"连续6个月未交{summary.red_flags}人；"
            f"新建基数{summary.bases_created}条，缺少基数{summary.missing_base}人；用时{summary.seconds:.2f}秒。"
        )
