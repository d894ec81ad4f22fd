"""The roster (花名册) import: one engine for the web page, the background job and the CLI.

Import in two passes:

1. read and check every row — the sheet is read by ``core.sheets`` (title rows, header
   variants), each cell by ``core.cells`` (dates written five ways, full-width digits), the
   organization and cell resolved inside the user's scope, a ``Member`` built and
   ``full_clean()`` called so the per-record rules in ``Member.clean()`` apply — collecting
   every problem by row and column into a ``core.import_report.ImportReport``;
2. only when no row has a problem (and it is not a dry run) write everything in one
   transaction with ``bulk_create``/``bulk_update``, with audit rows for each record, the
   status history (``members.history``) and the fields other apps keep (the dues base,
   ``members.extensions``).

A row whose ID number is already on the roster updates that member; a row that changes nothing
writes nothing, so importing the same file twice is harmless.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation

from dangjian.core import audit
from dangjian.core.cells import (
    CellProblem,
    MonthOnly,
    clean_text,
    parse_date,
    parse_id_number,
    parse_name,
    sentence,
)
from dangjian.core.import_report import MAX_LISTED, ImportReport, Problem
from dangjian.core.scope import restrict
from dangjian.core.sheets import FileProblem, Row, Table, read_table
from dangjian.members import extensions
from dangjian.members.choices import DuesCategory, MemberStatus
from dangjian.members.history import record_status_changes, status_change
from dangjian.members.models import Member, StatusChange, pinyin_initials
from dangjian.members.roster_columns import (
    DATE_KEYS,
    EXAMPLE_MARK_NFKC,
    MEMBER_KEYS,
    PARSERS,
    column,
    columns,
)
from dangjian.members.validators import ID_ALREADY_REGISTERED, id_birth_date
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization

PROGRESS_EVERY = 500
IMPORT_VERB = "花名册导入"
ANALYZE_AFTER_ROWS = 1000
REQUIRED_NONEMPTY = ("name", "gender", "birth_date", "id_number", "organization")


@dataclasses.dataclass
class _Row:
    number: int
    member: Member
    is_new: bool
    changed: bool = False  # the Member row itself
    old_status: str = ""
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)  # registered fields' values that differ


class _OrgIndex:
    """Organizations the user may write to, found by exact name or short name."""

    def __init__(self, orgs: Iterable[Organization]) -> None:
        self.by_name: dict[str, list[Organization]] = {}
        self.cells: dict[tuple[int, str], Organization] = {}
        for org in orgs:
            for label in {org.name, org.short_name} - {""}:
                key = parse_name(label)
                if org.kind == OrgKind.CELL and org.parent_id:
                    self.cells.setdefault((org.parent_id, key), org)
                self.by_name.setdefault(key, []).append(org)

    def organization(self, text: str) -> Organization:
        found = self.by_name.get(text, [])
        not_cells = [o for o in found if o.kind != OrgKind.CELL]
        found = not_cells or found
        if not found:
            raise CellProblem(f"找不到党组织“{text}”，或它不在您的管理范围内。请填写党组织的全称或简称。")
        if len(found) > 1:
            raise CellProblem(f"有{len(found)}个党组织都叫“{text}”，请改填全称或简称以区分。")
        return found[0]

    def cell(self, org: Organization, text: str) -> Organization:
        found = self.cells.get((org.pk, text))
        if found is None:
            raise CellProblem(f"{org.name}下没有名为“{text}”的党小组。")
        return found


def import_roster(
    data: bytes,
    *,
    filename: str,
    user: Any = None,
    dry_run: bool = False,
    via: str = "web",
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Check every row of an .xlsx roster and, when all are good and not ``dry_run``, write them.

    ``user`` limits which organizations may be named and which members updated (None: the
    system, as the CLI without --user, reaches the whole agency). ``progress(done, total)`` is
    called every few hundred rows.
    """
    report = ImportReport(filename=filename, dry_run=dry_run)
    with translation.override(settings.LANGUAGE_CODE):
        try:
            _import(data, report, user=user, dry_run=dry_run, via=via, progress=progress)
        except FileProblem as exc:
            report.fail(str(exc))
    return report


def _import(
    data: bytes,
    report: ImportReport,
    *,
    user: Any,
    dry_run: bool,
    via: str,
    progress: Callable[[int, int], None] | None,
) -> None:
    table = read_table(data, columns(), anchor="name", named=("姓名", "身份证号", "所在支部"))
    report.sheet, report.header_row, report.rows = table.sheet, table.header_row, len(table.rows)
    if table.ignored:
        report.notes.append(f"以下列不属于花名册，未导入：{'、'.join(table.ignored)}。")
    if not table.has("status"):
        report.notes.append("表中没有“党员状态”列：有转正时间的按正式党员，没有转正时间的按预备党员。")

    org_qs = Organization.objects.all()
    if user is not None:
        org_qs = restrict(org_qs, user, "change")
    checker = _Checker(
        table, report, _OrgIndex(org_qs.only("id", "name", "short_name", "kind", "parent_id", "path"))
    )
    checker.load_existing(user)

    rows: list[_Row] = []
    total = len(table.rows)
    for done, row in enumerate(table.rows, start=1):
        if clean_text(table.value(row, "name")).startswith(EXAMPLE_MARK_NFKC):
            report.notes.append(f"第{row.number}行是模板中的示例行，已跳过。")
            continue
        parsed = checker.check(row)
        if parsed is not None:
            rows.append(parsed)
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, total)
    if progress:
        progress(total, total)
    if checker.month_only_rows:
        numbers = checker.month_only_rows
        shown = "、".join(str(n) for n in numbers[:10]) + ("等" if len(numbers) > 10 else "")
        report.notes.append(
            f"{len(numbers):,} 行的出生日期只写到月（第{shown}行）：日取自身份证号；"
            f"年月与身份证号不符时取1日，并会报“出生日期与身份证号不一致”。"
        )

    report.created = sum(1 for r in rows if r.is_new)
    report.updated = sum(1 for r in rows if not r.is_new and (r.changed or r.extra))
    report.unchanged = sum(1 for r in rows if not r.is_new and not (r.changed or r.extra))
    if not report.error_count:
        report.changes = [
            {
                "row": r.number,
                "name": r.member.name,
                "org": r.member.organization.name if r.member.organization_id else "",
                "action": "新增" if r.is_new else "更新",
            }
            for r in rows
            if r.is_new or r.changed or r.extra
        ][:MAX_LISTED]
    if report.error_count or dry_run:
        return
    try:
        _write(rows, user=user, via=via)
    except IntegrityError:
        # Someone added one of these ID numbers between our check and our write.
        report.reject()
        raise FileProblem(
            "导入时花名册被其他人同时修改（身份证号冲突），没有写入任何数据，请重新导入。"
        ) from None
    report.imported = True


# A rule in Member.clean() about the key field that reads the other fields: when one of those
# could not be read, its own message says it all.
_DEPENDS_ON: dict[str, set[str]] = {
    "confirmation_date": {"admission_date"},
    "admission_date": {"birth_date"},
    "birth_date": {"id_number"},
    "cell": {"organization"},
}


class _Checker:
    """Checks the rows of one file: what they share (organizations, known members, IDs seen)."""

    def __init__(self, table: Table, report: ImportReport, orgs: _OrgIndex) -> None:
        self.table = table
        self.report = report
        self.orgs = orgs
        self.fields = [f for f in extensions.registered() if table.has(f.key)]
        self.existing: dict[str, Member | None] = {}
        self.states: dict[str, dict[int, Any]] = {}
        self.seen_ids: dict[str, int] = {}
        self.month_only_rows: list[int] = []

    def load_existing(self, user: Any) -> None:
        """Members already on the roster by ID number (None for those outside the user's reach),
        and what other apps hold for them: a query per 500 ID numbers, not one per row."""
        ids: set[str] = set()
        for row in self.table.rows:
            try:
                # Only to look members up: a wrong check digit finds no one and is reported by check().
                ids.add(parse_id_number(self.table.value(row, "id_number"), check=False))
            except CellProblem:
                pass
        ids.discard("")
        id_list = sorted(ids)
        for start in range(0, len(id_list), 500):
            chunk = id_list[start : start + 500]
            members = list(Member.objects.filter(id_number__in=chunk).select_related("organization", "cell"))
            writable = {m.pk for m in members}
            if user is not None and members:
                writable = set(
                    restrict(Member.objects.filter(pk__in=writable), user, "change").values_list(
                        "pk", flat=True
                    )
                )
            for member in members:
                self.existing[member.id_number] = member if member.pk in writable else None
        known = [m for m in self.existing.values() if m is not None]
        for field in self.fields:
            self.states[field.key] = {}
            for start in range(0, len(known), 500):
                self.states[field.key].update(field.current(known[start : start + 500]))

    def check(self, row: Row) -> _Row | None:
        table, number = self.table, row.number
        problems: dict[str, str] = {}
        row_problems: list[str] = []
        values: dict[str, Any] = {}

        def raw(key: str) -> Any:
            return table.value(row, key)

        for key, parser in PARSERS.items():
            if table.has(key):
                try:
                    values[key] = parser(raw(key))
                except CellProblem as exc:
                    problems[key] = str(exc)
        extra: dict[str, Any] = {}
        for field in self.fields:
            try:
                extra[field.key] = field.parse_cell(raw(field.key))
            except CellProblem as exc:
                problems[field.key] = str(exc)
        for key in DATE_KEYS:
            if not table.has(key):
                continue
            try:
                values[key] = parse_date(raw(key), table.number_format(row, key))
            except CellProblem as exc:
                problems[key] = str(exc)
                continue
            if isinstance(values[key], MonthOnly):
                if key != "birth_date":
                    problems[key] = f"{column(key).header}须写到日，如 2010年7月1日。"
                    continue
                values[key] = _birth_from_month(values[key], values.get("id_number", ""))
                self.month_only_rows.append(number)

        for key in REQUIRED_NONEMPTY:
            if key not in problems and not clean_text(raw(key)):
                problems[key] = f"{column(key).header}不能为空。"

        org = cell = None
        org_text = parse_name(raw("organization"))
        if org_text and "organization" not in problems:
            try:
                org = self.orgs.organization(org_text)
            except CellProblem as exc:
                problems["organization"] = str(exc)
        cell_text = parse_name(raw("cell")) if table.has("cell") else ""
        if cell_text and org is not None:
            try:
                cell = self.orgs.cell(org, cell_text)
            except CellProblem as exc:
                problems["cell"] = str(exc)

        id_number = values.get("id_number", "")
        member: Member | None = None
        is_new = True
        if id_number and "id_number" not in problems:
            if id_number in self.seen_ids:
                problems["id_number"] = f"与第{self.seen_ids[id_number]}行的身份证号重复。"
            else:
                self.seen_ids[id_number] = number
            if id_number in self.existing:
                member = self.existing[id_number]
                is_new = False
                if member is None:
                    problems["id_number"] = ID_ALREADY_REGISTERED

        if table.has("status"):
            if not values.get("status") and "status" not in problems:
                problems["status"] = "党员状态不能为空，应填写 预备党员 或 正式党员。"
        elif member is None:
            # Named in the report's notes: without a status column, the confirmation date decides.
            values["status"] = (
                MemberStatus.FULL if values.get("confirmation_date") else MemberStatus.PROBATIONARY
            )

        if member is None:
            member = Member()
        old_status = member.status if not is_new else ""
        before = audit_snapshot(member) if not is_new else {}
        for key, value in values.items():
            if key in problems:
                continue
            if key == "ethnicity" and not value:
                value = "汉族"
            if key == "dues_category" and not value:
                value = DuesCategory.IN_SERVICE
            if key == "id_number":
                value = value or None
            setattr(member, key, value)
        if org is not None:
            member.organization = org
        if table.has("cell") and "cell" not in problems:
            member.cell = cell
        member.pinyin_initials = pinyin_initials(member.name or "")

        # Per-record rules live in Member.clean(); fields that failed to parse are left out so a
        # bad cell is reported once, in its own words. Uniqueness and foreign keys were checked
        # above in bulk (one query per row would make a 10,000-row file slow).
        exclude = {"organization", "cell", "user", *problems}
        try:
            member.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                if key in problems or _DEPENDS_ON.get(key, set()) & problems.keys():
                    continue  # already reported, or only a knock-on effect of a cell that was unreadable
                if key in MEMBER_KEYS and table.has(key):
                    problems[key] = " ".join(messages)
                elif key == "__all__" or key not in MEMBER_KEYS:
                    row_problems.extend(messages)
                else:
                    # A rule about a column the sheet does not have (e.g. 转正时间 missing entirely).
                    row_problems.append(f"{column(key).header}：{' '.join(messages)}")

        changed_extra: dict[str, Any] = {}
        for field in self.fields:
            value = extra.get(field.key)
            if value is None or field.key in problems:
                continue
            if "dues_category" not in problems:
                problem = field.check(member, value)
                if problem:
                    problems[field.key] = problem
                    continue
            state = None if is_new else self.states[field.key].get(member.pk)
            if field.differs(member, value, state):
                changed_extra[field.key] = value

        if problems or row_problems:
            for col in columns():
                if col.key in problems:
                    letter = table.letter(col.key)
                    self.report.add_error(
                        Problem(sentence(problems[col.key]), number, letter, col.header if letter else "")
                    )
            for message in row_problems:
                self.report.add_error(Problem(sentence(message), number))
            return None
        changed = is_new or audit_snapshot(member) != before
        return _Row(number, member, is_new, changed, old_status, changed_extra)


def _birth_from_month(month: MonthOnly, id_number: str) -> datetime.date:
    born = id_birth_date(id_number) if len(id_number) == 18 else None
    if born and (born.year, born.month) == (month.year, month.month):
        return born
    return datetime.date(month.year, month.month, 1)


def audit_snapshot(member: Member) -> dict[str, Any]:
    snap = {key: getattr(member, key) for key in MEMBER_KEYS if key not in ("organization", "cell")}
    snap["organization_id"] = member.organization_id
    snap["cell_id"] = member.cell_id
    snap["id_number"] = member.id_number or None
    return snap


_UPDATE_FIELDS = [
    *(k for k in MEMBER_KEYS if k not in ("organization", "cell")),
    "organization",
    "cell",
    "pinyin_initials",
    "status_since",
    "updated_at",
]


@transaction.atomic
def _write(rows: list[_Row], *, user: Any, via: str) -> None:
    new = [r.member for r in rows if r.is_new]
    changed = [r for r in rows if not r.is_new and r.changed]
    now = timezone.now()
    with audit.acting(user, via):
        # One dating rule for every history row (members.history); status_since follows it.
        history: list[StatusChange] = [
            status_change(m, m.status, from_status="", reason=IMPORT_VERB) for m in new
        ]
        for r in changed:
            r.member.updated_at = now
            if r.member.status != r.old_status:
                history.append(
                    status_change(r.member, r.member.status, from_status=r.old_status, reason=IMPORT_VERB)
                )
        Member.objects.bulk_create(new, batch_size=1000)
        audit.record_bulk_create(new, IMPORT_VERB)
        members = [r.member for r in changed]
        Member.objects.bulk_update(members, _UPDATE_FIELDS, batch_size=500)
        audit.record_bulk_update(members, IMPORT_VERB)
        record_status_changes(history, IMPORT_VERB)
        for field in extensions.registered():
            items = [(r.member, r.extra[field.key]) for r in rows if field.key in r.extra]
            if items:
                field.write(items, acting_user=user, via=via)
    if connection.vendor == "sqlite" and len(new) + len(changed) >= ANALYZE_AFTER_ROWS:
        # SQLite keeps no statistics by itself: without them the roster page's join sorts all
        # members (60 ms at 50,000) instead of walking the organization path index (<1 ms).
        transaction.on_commit(_analyze)


def _analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
