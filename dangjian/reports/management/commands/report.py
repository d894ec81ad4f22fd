"""``dangjian report GENRE --org ORG --period PERIOD --format docx|txt|json|pdf --out FILE``.

``--date`` is the 成文日期 under the signature (today when not given). While the draft still
holds 【待补充：…】 prompts, each is named on stderr; ``--strict`` then refuses to write the file
and exits non-zero, for scripts that must not pass an unfinished report on.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangjian.core.cells import CellProblem, parse_day
from dangjian.core.dates import today
from dangjian.core.period import Period, PeriodError
from dangjian.orgs.models import Organization
from dangjian.reports.build import build
from dangjian.reports.layout import chinese_date
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
        parser.add_argument("--date", help="成文日期，如 2026-11-29 或 2026年11月29日；默认今天")
        parser.add_argument(
            "--strict", action="store_true", help="仍有【待补充】内容时不输出文件，以非零状态退出"
        )
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
        try:
            issued = parse_day(options["date"], "成文日期") if options["date"] else today()
        except CellProblem as exc:
            raise CommandError(f"--date：{exc}") from exc
        person = find_person(options["person"], org) if options.get("person") else None
        built = build(genre.body, org, period, genre_code=genre.code, person=person)
        places = built.document.prompt_places()
        if places:
            self.stderr.write(
                f"注意：本稿还有{len(places)}处【待补充】内容，台账中没有对应数据，请补写后再使用："
            )
            for place in places:
                self.stderr.write(f"  {place.where}：{place.text}")
            if options["strict"]:
                raise CommandError(f"--strict：仍有{len(places)}处【待补充】，未输出文件。")
        fmt = options["format"]
        if fmt == "json":
            data = built.to_json(genre=genre.code, org=org, period=period)
            data.update(signer=org.name, date=issued.isoformat(), prompts=len(places))
            payload = (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        elif fmt == "txt":
            payload = built.document.signed_text([org.name], chinese_date(issued)).encode("utf-8")
        else:
            payload = render_docx(built.document, signer=org.name, date=issued, unit=org.name)
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
        note = f"，其中{len(places)}处【待补充】需人工填写" if places else ""
        self.stderr.write(
            f"已生成 {options['out']}（{len(built.figures_json())}项台账数字{note}；成文日期{chinese_date(issued)}）"
        )
