"""``dangjian roster import FILE [--dry-run] [--user NAME]`` and ``dangjian roster export FILE [--user NAME]``.

Other tools rely on the exit status of ``import``: 0 when the file was imported (or the dry run
found nothing wrong), 1 when rows were rejected, 2 when the file cannot be read as a roster
(not .xlsx, empty, too big, no header or required columns missing) or cannot be opened.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangjian.core import audit
from dangjian.core.scope import get_scope, restrict
from dangjian.members.models import Member
from dangjian.members.roster_export import export_roster
from dangjian.members.roster_import import import_roster

EXIT_OK, EXIT_REJECTED, EXIT_UNREADABLE = 0, 1, 2


class Command(BaseCommand):
    help = "导入或导出党员花名册（.xlsx）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="导入花名册；有任何问题则整个文件不导入")
        imp.add_argument("file", help=".xlsx 文件")
        imp.add_argument("--dry-run", action="store_true", help="试导入：只检查，不写入")
        imp.add_argument("--user", help="以该用户的身份和管理范围导入（不填则为系统，范围是整个机关）")
        exp = sub.add_parser("export", help="导出花名册")
        exp.add_argument("file", help="写入的 .xlsx 文件")
        exp.add_argument("--user", help="只导出该用户管理范围内的党员（身份证号按其权限遮挡）")

    def handle(self, *args: Any, **options: Any) -> None:
        user = self._user(options.get("user"))
        if options["action"] == "import":
            sys.exit(self._import(Path(options["file"]), user, options["dry_run"]))
        self._export(Path(options["file"]), user)

    def _user(self, username: str | None) -> Any:
        if not username:
            return None
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"没有用户“{username}”。") from None
        if not get_scope(user).is_officer:
            raise CommandError(f"用户“{username}”不是党务工作人员，不能导入或导出花名册。")
        return user

    def _import(self, path: Path, user: Any, dry_run: bool) -> int:
        if user is not None and not get_scope(user).can_write:
            self.stderr.write(f"用户“{user.get_username()}”的角色只能查看，不能导入。")
            return EXIT_REJECTED
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.stderr.write(f"无法读取文件 {path}：{exc.strerror or exc}")
            return EXIT_UNREADABLE
        report = import_roster(data, filename=path.name, user=user, dry_run=dry_run, via="cli")
        stream = self.stdout if report.ok else self.stderr
        for line in report.lines():
            stream.write(line)
        if report.unreadable:
            return EXIT_UNREADABLE
        return EXIT_OK if report.ok else EXIT_REJECTED

    def _export(self, path: Path, user: Any) -> None:
        members = restrict(Member.objects.all(), user)
        data = export_roster(members, user=user)
        path.write_bytes(data)
        count = members.count()
        # Personal data leaving the system is audited, from the CLI as from the web.
        audit.record_event(
            Member,
            "",
            "花名册",
            "导出花名册",
            {"文件": str(path), "人数": count},
            actor=user,
            via="cli",
        )
        self.stdout.write(f"已导出 {count:,} 名党员到 {path}。")
