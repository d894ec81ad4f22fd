"""``dangjian serve``: the production WSGI server (waitress) with static files from whitenoise."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "以生产方式启动网站（waitress + whitenoise）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-collectstatic", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        # Imported after collectstatic: whitenoise indexes the static root when the app loads.
        from dangjian.wsgi import application

        self.stdout.write(
            f"党建台账 正在 http://{options['host']}:{options['port']}/ 提供服务"
            f"（数据库：{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}；Ctrl+C 停止）"
        )
        serve(
            application,
            host=options["host"],
            port=options["port"],
            threads=options["threads"],
            ident="dangjian",
        )
