"""The all-or-nothing import of a ledger sheet, shared by every ledger's Excel import.

A ledger says how one row becomes a record (``handle``: parse the cells, call the ledger's
``do_*`` action, say whether it created a record); ``LedgerSheet.run`` does the rest the same
way for all of them: the shared reader (``core.sheets.read_table``, with its size and row
limits), every row in a savepoint inside one transaction, each problem named "第3行 B列（级别）",
and a rollback of everything when any row is wrong or the run is a dry run. The cell helpers turn the parsers'
``CellProblem`` into a ``ValidationError`` on the column's key, so a row's problems land on
their column whether a parser, ``Model.clean`` or an action raised them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from dangjian.core.cells import CellProblem, choice_labels, clean_text, parse_choice, parse_day, sentence
from dangjian.core.import_report import ImportReport, Problem
from dangjian.core.sheets import Column, FileProblem, Row, Table, read_table

EXAMPLE_MARK = "（示例）"  # a template's example row starts its anchor cell with this; imports skip it
# handle(table, row) -> True when the row created a record, False when it met one already there.
RowHandler = Callable[[Table, Row], bool]


class Rollback(Exception):
    """Raised inside the import's transaction to undo it (a bad row, or a dry run)."""


def cell(key: str, parse: Callable[[], Any]) -> Any:
    """``parse()``, its ``CellProblem`` turned into a ``ValidationError`` on column ``key``."""
    try:
        return parse()
    except CellProblem as exc:
        raise ValidationError({key: str(exc)}) from None


def is_example(table: Table, row: Row, key: str) -> bool:
    """Whether ``row`` is a template's example, left in by the officer: its ``key`` cell starts with
    （示例）. Read as typed: clean_text would make the full-width brackets half-width."""
    return text(table, row, key).startswith(EXAMPLE_MARK)


def row_problems(
    exc: ValidationError,
    table: Table,
    row: Row,
    headers: Mapping[str, str],
    field_columns: Mapping[str, str] | None = None,
) -> list[Problem]:
    """A row's ``ValidationError`` as problems naming the row and, where known, the column.

    An error on a model field lands on the column of the same key, or the one ``field_columns``
    names (the dues lists' 姓名 column fills the field ``member``).
    """
    if not hasattr(exc, "error_dict"):
        return [Problem(sentence(m), row.number) for m in exc.messages]
    out = []
    for name, messages in exc.message_dict.items():
        key = (field_columns or {}).get(name, name)
        letter = table.letter(key) if key in headers else ""
        out.extend(Problem(sentence(m), row.number, letter, headers[key] if letter else "") for m in messages)
    return out


def text(table: Table, row: Row, key: str, header: str = "", *, required: bool = False) -> str:
    """The cell as text, its Chinese punctuation kept; with ``required`` an empty cell is
    "<header>不能为空。".

    ``clean_text`` makes full-width characters half-width (right for digits and ID numbers), which
    would turn "关于（某某）的报告" into "关于(某某)的报告": a re-imported export would then miss the
    record it came from and add it again. Free text keeps its own characters; only runs of
    spaces and line breaks are folded.
    """
    raw = table.value(row, key)
    if isinstance(raw, str):
        value = re.sub(r"\s+", " ", raw.replace("\u3000", " ")).strip()
    else:
        value = clean_text(raw)
    if required and not value:
        raise ValidationError({key: f"{header}不能为空。"})
    return value


def day(table: Table, row: Row, key: str, header: str, *, required: bool = False) -> Any:
    """The cell as a date (written any of the ways ``parse_day`` reads), or None when empty."""
    value = cell(key, lambda: parse_day(table.value(row, key), header, table.number_format(row, key)))
    if value is None and required:
        raise ValidationError({key: f"{header}不能为空。"})
    return value


def choice(
    table: Table,
    row: Row,
    key: str,
    header: str,
    values: Mapping[str, str],
    choices: Any,
    *,
    required: bool = False,
) -> str:
    """The cell as a coded value: a label, the code or a known variant (``values``, from
    ``choice_map``); "" when empty, unless ``required``."""
    value = cell(key, lambda: parse_choice(table.value(row, key), values, header, choice_labels(choices)))
    if required and not value:
        raise ValidationError({key: f"{header}不能为空。"})
    return value


def number(table: Table, row: Row, key: str, *, integer: bool) -> Any:
    """The cell as a non-negative int or a Decimal to the cent (None when empty)."""
    raw = table.value(row, key)
    value_text = (
        clean_text(raw).replace(",", "").replace("，", "").replace(" ", "") if raw is not None else ""
    )
    if value_text == "":
        return None
    try:
        value = Decimal(value_text)
    except InvalidOperation:
        raise ValidationError({key: f"“{value_text}”不是数字。"}) from None
    if not value.is_finite():
        raise ValidationError({key: f"“{value_text}”不是数字。"})
    if value < 0:
        raise ValidationError({key: "不能为负数。"})
    if integer:
        if value != value.to_integral_value():
            raise ValidationError({key: f"“{value_text}”应为整数。"})
        return int(value)
    return value.quantize(Decimal("0.01"))


def organization(name: str, orgs: Mapping[str, Any], key: str, header: str) -> Any:
    """The organization named ``name`` among ``orgs`` (those the user may write to, by name).

    Names hold full-width brackets ("机关第一党支部（办公室）"); a sheet may have either kind.
    """
    if not name:
        raise ValidationError({key: f"{header}不能为空。"})
    for variant in (
        name,
        name.replace("(", "（").replace(")", "）"),
        name.replace("（", "(").replace("）", ")"),
    ):
        if variant in orgs:
            return orgs[variant]
    raise ValidationError({key: f"“{name}”不是您可以登记的党组织。"})


def member(value: str, members: Any, key: str, *, within: Any = None) -> Any:
    """The member a cell names: "张三", or "张三（第一党支部）" where two share a name.

    ``members`` is the roster the user may see; with ``within`` (an organization) a name shared
    with someone elsewhere is taken to mean the one inside it.
    """
    name, _, where = value.replace("(", "（").replace(")", "）").partition("（")
    name, where = name.strip(), where.rstrip("）").strip()
    found = members.filter(name=name)
    if where:
        found = found.filter(organization__name=where)
    matches = list(found.select_related("organization")[:10])
    if len(matches) > 1 and within is not None:
        inside = [m for m in matches if m.organization.path.startswith(within.path)]
        matches = inside or matches
    if not matches:
        raise ValidationError({key: f"“{value}”不在您管理的花名册中。"})
    if len(matches) > 1:
        raise ValidationError(
            {key: f"花名册中有{len(matches)}名党员叫“{name}”，请写成“{name}（所在党组织）”区分。"}
        )
    return matches[0]


@dataclass(frozen=True)
class LedgerSheet:
    """How a ledger's import sheet is read and counted.

    ``anchor`` is the column whose header marks the header row, ``named`` the headers the "no
    header found" message gives as examples; ``existing`` is the report count a row that met a
    record already there goes to ("unchanged" where such a row is left alone, "updated" where it
    changes the record). A row whose anchor cell starts with （示例） is a template's example and is
    passed over.
    """

    columns: Sequence[Column]
    unit: str
    anchor: str
    named: Sequence[str] = ()
    existing: str = "unchanged"
    field_columns: Mapping[str, str] = field(default_factory=dict)
    max_rows: int | None = None  # None: the shared IMPORT_MAX_ROWS

    def run(self, data: bytes, handle: RowHandler, *, filename: str, dry_run: bool = False) -> ImportReport:
        """Read ``data`` and run ``handle`` on every row in one transaction: all rows, or nothing."""
        report, table = self.read(data, filename=filename, dry_run=dry_run)
        return report if table is None else self.write(report, table, handle, dry_run=dry_run)

    def read(self, data: bytes, *, filename: str, dry_run: bool = False) -> tuple[ImportReport, Table | None]:
        """The sheet's report so far and its rows (None: the file could not be read).

        Reading writes nothing, so a background job reads before it opens its write transaction.
        """
        report = ImportReport(filename=filename, dry_run=dry_run, unit=self.unit)
        try:
            table = read_table(
                data, self.columns, anchor=self.anchor, named=self.named, max_rows=self.max_rows
            )
        except FileProblem as exc:
            report.fail(str(exc))
            return report, None
        report.sheet, report.header_row, report.rows = table.sheet, table.header_row, len(table.rows)
        if table.ignored:
            report.notes.append(f"以下列未读取：{'、'.join(table.ignored)}。")
        return report, table

    def write(self, report: ImportReport, table: Table, handle: RowHandler, *, dry_run: bool) -> ImportReport:
        """Run ``handle`` on every row of ``table`` in one transaction, rolled back on any error or
        in a dry run; the counts and problems go to ``report``."""
        headers = {c.key: c.header for c in self.columns}
        try:
            with transaction.atomic():
                for row in table.rows:
                    if is_example(table, row, self.anchor):
                        continue
                    try:
                        # A savepoint a row: a row that fails half-way leaves nothing behind, and
                        # the next rows are still checked so that every bad row is reported at once.
                        with transaction.atomic():
                            created = handle(table, row)
                    except ValidationError as exc:
                        for problem in row_problems(exc, table, row, headers, self.field_columns):
                            report.add_error(problem)
                        continue
                    if created:
                        report.created += 1
                    else:
                        setattr(report, self.existing, getattr(report, self.existing) + 1)
                if report.error_count or dry_run:
                    raise Rollback
        except Rollback:
            if report.error_count:
                report.reject()
        report.imported = report.ok and not dry_run
        return report
