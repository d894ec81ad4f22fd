"""``dangjian backup [--out FILE]``: the database and uploaded files in one checked archive."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangjian.core.backup import BackupError, write_backup


class Command(BaseCommand):
    help = "备份数据库和上传的文件（一致快照，含结构版本和校验和）；用 dangjian restore 恢复。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out", help="备份文件（默认 <var>/backups/dangjian-年月日-时分秒.tar.gz）", default=None
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        out = Path(options["out"] or Path(settings.VAR_DIR) / "backups" / f"dangjian-{stamp}.tar.gz")
        try:
            report = write_backup(out)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"已备份到 {out}：{len(report.rows)} 张表共 {report.total_rows:,} 行，上传文件 {report.files} 个。"
        )
