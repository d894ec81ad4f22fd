"""``dangjian report GENRE --org ORG --period PERIOD --format docx|txt|json|pdf --out FILE``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangjian.core.period import Period, PeriodError
from dangjian.orgs.models import Organization
from dangjian.reports.build import build
from dangjian.reports.models import Genre
from dangjian.reports.render_docx import render_docx
from dangjian.reports.render_pdf import PdfUnavailable, docx_to_pdf


def find_org(text: str) -> Organization:
    """An organization by id or exact name (or short name); a clear error when none or several match."""
    if text.isdigit():
        org = Organization.objects.filter(pk=int(text)).first()
        if org:
            return org
    matches = list(Organization.objects.filter(name=text)) or list(
        Organization.objects.filter(short_name=text)
    )
    if not matches:
        raise CommandError(f"找不到党组织“{text}”（可填编号或完整名称）。")
    if len(matches) > 1:
        raise CommandError(
            f"名称“{text}”对应多个党组织（编号 {', '.join(str(o.pk) for o in matches)}），请改用编号。"
        )
    return matches[0]


def find_person(text: str, org: Organization) -> Any:
    """A 述职人 by member id or name among the organization's post holders and members."""
    from dangjian.members.models import Member

    if text.isdigit():
        found = Member.objects.filter(pk=int(text)).first()
        if found:
            return found
    matches = list(Member.objects.filter(name=text))
    if not matches:
        raise CommandError(f"找不到党员“{text}”（可填编号或姓名）。")
    if len(matches) > 1:
        raise CommandError(
            f"姓名“{text}”对应多名党员（编号 {', '.join(str(m.pk) for m in matches)}），请改用编号。"
        )
    return matches[0]


class Command(BaseCommand):
    help = "根据台账生成报告初稿并导出（docx、txt、json 或 pdf）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("genre", help="文体代码，如 work_summary")
        parser.add_argument("--org", required=True, help="党组织编号或完整名称")
        parser.add_argument("--period", required=True, help="期间，如 2022、2022H1、2022Q3、2022-05")
        parser.add_argument("--format", choices=["docx", "txt", "json", "pdf"], default="docx")
        parser.add_argument("--out", required=True, help="输出文件；- 表示标准输出（txt/json）")
        parser.add_argument("--person", help="述职人（党员编号或姓名），默认该党组织书记")

    def handle(self, *args: Any, **options: Any) -> None:
        genre = Genre.objects.filter(code=options["genre"]).first()
        if genre is None:
            codes = "、".join(Genre.objects.values_list("code", flat=True))
            raise CommandError(f"未知文体“{options['genre']}”。可用：{codes}")
        org = find_org(options["org"])
        try:
            period = Period.parse(options["period"])
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        person = find_person(options["person"], org) if options.get("person") else None
        built = build(genre.body, org, period, genre_code=genre.code, person=person)
        fmt = options["format"]
        if fmt == "json":
            data = json.dumps(
                built.to_json(genre=genre.code, org=org, period=period), ensure_ascii=False, indent=2
            )
            payload = (data + "\n").encode("utf-8")
        elif fmt == "txt":
            payload = built.document.plain_text().encode("utf-8")
        else:
            payload = render_docx(built.document, signer=org.name)
            if fmt == "pdf":
                try:
                    payload = docx_to_pdf(payload)
                except PdfUnavailable as exc:
                    raise CommandError(str(exc)) from exc
        if options["out"] == "-":
            sys.stdout.buffer.write(payload)
            sys.stdout.flush()
            return
        Path(options["out"]).write_bytes(payload)
        prompts = len(built.document.prompts())
        note = f"，其中{prompts}处【待补充】需人工填写" if prompts else ""
        self.stderr.write(f"已生成 {options['out']}（{len(built.figures_json())}项台账数字{note}）")
