"""``dangjian compliance --org ORG --period PERIOD [--json]``: the compliance matrix on the console.

Other tools rely on the --json shape: {"org", "period", "cells": [{"org", "org_name", "rule",
"slot", "status", "evidence"}]}; done cells list their activities, other cells [].
"""

from __future__ import annotations

import datetime
import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dangjian.compliance.choices import CellStatus
from dangjian.compliance.evaluator import evaluate
from dangjian.core.dates import today
from dangjian.core.period import Period, PeriodError

MARKS = {CellStatus.DONE: "✓", CellStatus.MISSING: "✗", CellStatus.DUE: "…", CellStatus.NA: "·"}


class Command(BaseCommand):
    help = "按党组织和期间检查组织生活合规情况（--json 输出机器可读结果）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--org", required=True, help="党组织编号或完整名称")
        parser.add_argument(
            "--period", required=True, help="期间：2022、2022H1、2022Q3、2022-05 或 2022-03-01..2022-06-30"
        )
        parser.add_argument("--json", action="store_true", help="输出 JSON")
        parser.add_argument("--on", help="按哪一天判断“待完成/未完成”（默认今天，YYYY-MM-DD）")

    def handle(self, *args: Any, **options: Any) -> None:
        from dangjian.orgs.models import Organization

        text = str(options["org"]).strip()
        org = None
        if text.isdigit():
            org = Organization.objects.filter(pk=int(text)).first()
        if org is None:
            matches = list(Organization.objects.filter(name=text)[:2])
            if len(matches) > 1:
                raise CommandError(f"有多个名为“{text}”的党组织，请改用编号。", returncode=2)
            org = matches[0] if matches else None
        if org is None:
            raise CommandError(f"找不到党组织“{text}”（请填写编号或完整名称）。", returncode=2)
        try:
            period = Period.parse(options["period"])
        except PeriodError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        on = today()
        if options.get("on"):
            try:
                on = datetime.date.fromisoformat(options["on"])
            except ValueError as exc:
                raise CommandError(
                    f"--on 日期“{options['on']}”无效，应为 YYYY-MM-DD。", returncode=2
                ) from exc
        started = time.perf_counter()
        matrix = evaluate(org, period, on=on)
        if options["json"]:
            self.stdout.write(json.dumps(matrix.to_json(), ensure_ascii=False))
            return
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"{org.name} {period.label}组织生活合规检查（截至{on.year}年{on.month}月{on.day}日）"
        )
        self.stdout.write("图例：✓已完成  ✗未完成  …本期待完成  ·不适用或未到期")
        for org_row in matrix.orgs:
            specs = matrix.rules_for_kind(org_row.kind)
            if not specs:
                continue
            self.stdout.write(f"\n{'  ' * org_row.depth}{org_row.name}（{org_row.kind_label}）")
            for spec in specs:
                cells = [matrix.cell(org_row, spec, slot) for slot in matrix.slots_for(spec)]
                marks = "".join(MARKS[CellStatus(c.status)] for c in cells)
                missing = [c.slot.short_label for c in cells if c.status == CellStatus.MISSING]
                tail = f"  未完成：{'、'.join(missing)}" if missing else ""
                label = spec.name.ljust(7, "\u3000")  # full-width padding keeps Chinese names aligned
                self.stdout.write(f"{'  ' * org_row.depth}  {label}{marks}{tail}")
        summary = matrix.summary()
        self.stdout.write(
            f"\n合计：已完成{summary[CellStatus.DONE]}项，未完成{summary[CellStatus.MISSING]}项，"
            f"待完成{summary[CellStatus.DUE]}项；{len(matrix.orgs)}个党组织，{matrix.query_count}次查询，"
            f"用时{elapsed:.2f}秒。"
        )
