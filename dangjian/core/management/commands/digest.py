"""``dangjian digest``: e-mail each user their to-do items and unread notifications (once a day)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangjian.core import digest
from dangjian.core.dates import today


class Command(BaseCommand):
    help = "发送每日待办提醒邮件（需配置 DANGJIAN_EMAIL_URL；每人每天至多一封）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="按哪一天计算待办（YYYY-MM-DD，默认今天）")
        parser.add_argument("--dry-run", action="store_true", help="只统计会发给多少人，不发送")

    def handle(self, *args: Any, **options: Any) -> None:
        on = today()
        if options["date"]:
            try:
                on = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"日期格式应为 YYYY-MM-DD：{options['date']}") from exc
        if not settings.EMAIL_URL and not options["dry_run"]:
            self.stdout.write("未配置 DANGJIAN_EMAIL_URL，不发送邮件。")
            return
        sent, skipped = digest.send_all(on, dry_run=options["dry_run"])
        verb = "将发送" if options["dry_run"] else "已发送"
        self.stdout.write(f"{on:%Y-%m-%d}：{verb} {sent} 封提醒邮件，今天已发过而跳过 {skipped} 人。")
