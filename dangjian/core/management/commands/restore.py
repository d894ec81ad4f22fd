"""``dangjian restore FILE [--replace]``: put a backup back, after checking it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangjian.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "从 dangjian backup 的备份文件恢复数据库和上传的文件（先核对校验和与结构版本）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--replace", action="store_true", help="数据库中已有数据时，用备份覆盖全部数据")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = restore_backup(Path(options["file"]), replace=options["replace"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"已从 {options['file']} 恢复 {len(report.rows)} 张表共 {report.total_rows:,} 行，"
            f"上传文件 {report.files} 个。请通知用户重新登录。"
        )
