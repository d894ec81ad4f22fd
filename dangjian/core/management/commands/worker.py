"""``dangjian worker``: runs queued jobs (roster imports, report drafts and PDFs, the dues run).

``dangjian serve`` starts one as its child; run it alone (under systemd or similar) when the web
server runs elsewhere or with ``--no-worker``. Any number may run against the same database:
each job is claimed by exactly one.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from dangjian.core import jobs


class Command(BaseCommand):
    help = "运行后台任务程序：处理排队的花名册导入、报告生成与 PDF 导出、党费台账生成。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help="队列为空时每隔几秒查看一次（默认 1）"
        )
        parser.add_argument("--batch", action="store_true", help="处理完当前排队的任务后退出")

    def handle(self, *args: Any, **options: Any) -> None:
        failed = jobs.reap_stale()
        purged = jobs.purge_expired()
        if options["verbosity"]:
            engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
            self.stdout.write(
                f"党建台账 后台任务程序已启动（数据库：{engine}；中断的任务 {failed} 个已标为失败，"
                f"清理过期文件 {purged} 份；Ctrl+C 停止）"
            )
        worker_args = ["--queue-name", "default", "--interval", str(options["interval"]), "--no-reload"]
        worker_args += ["--no-startup-delay"] + (["--batch"] if options["batch"] else [])
        call_command("db_worker", *worker_args, verbosity=options["verbosity"])
