"""Excel for the duties ledgers (and integrity's): a template with drop-downs, an export, and an
all-or-nothing import whose errors name the row and column.

Each ledger describes its sheet once (``SheetSpec``: the columns, how a row becomes an unsaved
record); the template, the export and the import all follow that description, so an export
re-imports. Rows are saved through the ledger's ``do_*`` action inside one transaction: any bad
row and nothing is written (``core.ledger_import.run_import``). The workbooks are the shared
ones (``core.ledger_xlsx``): dropdowns for coded columns, and exported text that Excel would run
as a formula kept as text.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

from dangjian.core import ledger_import
from dangjian.core.cells import CellProblem, choice_labels, choice_map, clean_text, parse_choice, parse_day
from dangjian.core.import_report import ImportReport
from dangjian.core.ledger_xlsx import TemplateSpec
from dangjian.core.ledger_xlsx import export_workbook as list_workbook
from dangjian.core.ledger_xlsx import template_workbook as spec_workbook
from dangjian.core.sheets import Column, Row, Table


@dataclass(frozen=True)
class Field:
    """One column: its key (the model field it fills, so errors land on it), header and parser."""

    key: str
    header: str
    # text | date | int | decimal | choice | year | org (one the user writes to) | member (of the
    # row's org) | leader (a 党组 member) | toporg (the 党组 or 机关党委)
    kind: str = "text"
    required: bool = False
    choices: Any = None  # a TextChoices for kind "choice"
    aliases: tuple[str, ...] = ()
    width: int = 14
    max_length: int = 0

    @property
    def column(self) -> Column:
        return Column(self.key, self.header, self.aliases, self.required, self.width)


@dataclass(frozen=True)
class SheetSpec:
    """A ledger's sheet: its name, columns, how a row becomes a record and how a record a row."""

    name: str  # 责任清单
    slug: str  # items
    fields: tuple[Field, ...]
    build: Callable[[dict[str, Any], Any], Any]  # (parsed values, user) -> unsaved record
    row: Callable[[Any], list[Any]]  # record -> export row (in field order)
    example: tuple[Any, ...]
    save: Callable[..., Any]  # save(record, acting_user=, via=)
    unit: str = "条"


def _org_lookup(name: str, orgs: Any) -> Any:
    # The cell reader makes full-width brackets half-width (NFKC); names keep their own.
    names = list(dict.fromkeys([name, name.replace("(", "（").replace(")", "）")]))
    found = list(orgs.filter(name__in=names)[:2]) or list(orgs.filter(short_name__in=names)[:2])
    if not found:
        raise CellProblem(f"“{name}”不是您可以登记的党组织")
    if len(found) > 1:
        raise CellProblem(f"有两个名为“{name}”的党组织，请写全称")
    return found[0]


def _member_lookup(name: str, members: Any, org: Any) -> Any:
    if org is not None:
        members = members.filter(organization__path__startswith=org.path)
    found = list(members.filter(name=name)[:2])
    if not found:
        raise CellProblem(f"“{name}”不在您管理的花名册中" + (f"（{org.name}）" if org is not None else ""))
    if len(found) > 1:
        raise CellProblem(f"花名册中有同名党员“{name}”，请在同一行写明所在党组织")
    return found[0]


def parse_cell(field: Field, table: Table, row: Row, context: dict[str, Any]) -> Any:
    raw = table.value(row, field.key)
    text = clean_text(raw)
    if not text and not isinstance(raw, int | float | datetime.date):
        if field.required:
            raise CellProblem("不能为空")
        return None
    if field.kind == "date":
        return parse_day(raw, field.header, table.number_format(row, field.key))
    if field.kind in ("int", "year"):
        try:
            value = int(Decimal(str(raw).strip()))
        except (InvalidOperation, ValueError):
            raise CellProblem(f"“{text}”不是整数") from None
        if value < 0:
            raise CellProblem("不能为负数")
        if field.kind == "year" and not 2000 <= value <= 2100:
            raise CellProblem(f"年度“{text}”不对，请写四位年份，如 2026")
        return value
    if field.kind == "decimal":
        try:
            value = Decimal(text.replace(",", "").replace("，", ""))
        except InvalidOperation:
            raise CellProblem(f"“{text}”不是数字") from None
        if not value.is_finite():
            raise CellProblem(f"“{text}”不是数字")
        return value
    if field.kind == "choice":
        return parse_choice(raw, choice_map(field.choices), field.header, choice_labels(field.choices))
    if field.kind == "org":
        return _org_lookup(text, context["orgs"])
    if field.kind == "member":
        return _member_lookup(text, context["members"], context.get("row_org"))
    if field.kind == "leader":
        return _member_lookup(text, context["leaders"], None)
    if field.kind == "toporg":
        return _org_lookup(text, context["toporgs"])
    if field.max_length and len(text) > field.max_length:
        raise CellProblem(f"不能超过{field.max_length}个字（现有{len(text)}个字）")
    return text


def import_sheet(
    spec: SheetSpec,
    upload: Any,
    *,
    user: Any,
    context: dict[str, Any],
    dry_run: bool = False,
    filename: str = "",
) -> ImportReport:
    """Read ``upload`` (a file, or its bytes) and save every row through ``spec.save`` in one
    transaction, or nothing."""
    columns = [f.column for f in spec.fields]
    org_key = next((f.key for f in spec.fields if f.kind == "org"), None)
    # The row's organization first: the people on the row are looked up inside it.
    ordered = sorted(spec.fields, key=lambda f: f.key != org_key)

    def handle(table: Table, row: Row) -> bool:
        row_context = {**context, "row_org": None}
        values: dict[str, Any] = {}
        errors: dict[str, list[str]] = {}
        for field in ordered:
            try:
                values[field.key] = parse_cell(field, table, row, row_context)
            except CellProblem as exc:
                errors.setdefault(field.key, []).append(str(exc))
                continue
            if field.key == org_key:
                row_context["row_org"] = values[field.key]
        if errors:
            raise ValidationError(errors)
        spec.save(spec.build(values, user), acting_user=user, via="import")
        return True

    sheet = ledger_import.LedgerSheet(
        columns, unit=spec.unit, anchor=spec.fields[0].key, named=[c.header for c in columns[:3]]
    )
    data = upload if isinstance(upload, bytes) else upload.read()
    return sheet.run(data, handle, filename=filename or getattr(upload, "name", "") or "", dry_run=dry_run)


def template_workbook(spec: SheetSpec, *, org_names: Sequence[str] = ()) -> bytes:
    """An empty sheet with the headers, one example row and drop-downs for coded columns."""
    choices: dict[str, list[str]] = {}
    for field in spec.fields:
        if field.kind == "choice":
            choices[field.key] = [str(label) for _v, label in field.choices.choices]
        elif field.kind == "org" and org_names:
            choices[field.key] = list(org_names)[:2000]
    return spec_workbook(
        TemplateSpec(
            title=spec.name,
            columns=[f.column for f in spec.fields],
            choices=choices,
            example=dict(zip([f.key for f in spec.fields], spec.example, strict=False)),
            date_keys=[f.key for f in spec.fields if f.kind == "date"],
        )
    )


def export_workbook(spec: SheetSpec, records: Any, *, title: str) -> bytes:
    """The records in the template's columns (so the export re-imports), with a title row above."""
    return list_workbook(
        spec.name,
        [f.header for f in spec.fields],
        (spec.row(record) for record in records),
        [f.width + 2 for f in spec.fields],
        heading=title,
    )
