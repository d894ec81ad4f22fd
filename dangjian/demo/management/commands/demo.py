"""``dangjian demo``: build the fictional demo bureau (all names and places invented)."""

from __future__ import annotations

import importlib
import random
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from dangjian.core import audit
from dangjian.core.dates import today
from dangjian.demo.context import BUILDER_APPS, DemoContext


class Command(BaseCommand):
    help = "生成演示用的虚构市财政局（党组、机关党委、各党支部、党员、账号及台账）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="数据库中已有党组织时什么也不做")
        parser.add_argument("--seed", type=int, default=2024)

    def handle(self, *args: Any, **options: Any) -> None:
        from dangjian.orgs.models import Organization

        if Organization.objects.exists():
            if options["if_empty"]:
                self._print_logins()
                return
            raise CommandError("数据库中已有党组织，演示数据只能装入空库（可加 --if-empty 跳过）。")
        ctx = DemoContext(
            today=today(),
            rng=random.Random(options["seed"]),
            password=settings.DEMO_PASSWORD,
            log=lambda text: self.stdout.write(text),
        )
        with transaction.atomic(), audit.acting(None, via="demo"):
            for app in BUILDER_APPS:
                if not apps.is_installed(f"dangjian.{app}"):
                    continue
                try:
                    module = importlib.import_module(f"dangjian.{app}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"dangjian.{app}.demo":
                        raise
                    continue
                module.build(ctx)
        self.stdout.write(self.style.SUCCESS("演示数据已生成。"))
        self._print_logins()

    def _print_logins(self) -> None:
        from django.contrib.auth import get_user_model

        names = list(get_user_model().objects.order_by("id").values_list("username", flat=True)[:40])
        if not names:
            return
        self.stdout.write(
            "登录地址 http://127.0.0.1:8000/  演示账号（密码均为 DANGJIAN_DEMO_PASSWORD，默认 "
            f"{settings.DEMO_PASSWORD}）：\n"
            "  admin 系统管理员 · jgdw 机关党委 · zb1…zbN 各支部书记 · jj 纪检 · dy1 普通党员\n"
            f"  共 {len(names)} 个账号：{' '.join(names)}"
        )
