"""The compliance evaluator: organization × rule × slot → done / missing / due / n/a.

A handful of set-based queries for the whole subtree, however many organizations it holds:
the organizations, the rules, the activity types, one grouped query over the activity credits
(organization × type × month, with the activity ids), the same for meetings that list the
党小组 taking part, one for the secretaries' lectures and one per year for talk coverage.
Statuses are worked out in Python from those grouped rows, cell by cell, only when asked for.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db import connection, transaction

from dangjian.compliance.choices import MATRIX_KINDS, CellStatus, Frequency, RuleKind
from dangjian.compliance.models import Rule
from dangjian.core.dates import today
from dangjian.core.period import Period
from dangjian.metrics import grids
from dangjian.metrics.base import scoped
from dangjian.metrics.sql import month_key, parse_ids
from dangjian.orgs.choices import OrgKind


@dataclass(frozen=True)
class OrgRow:
    """What the evaluator needs of an organization (read once, in tree order)."""

    id: int
    name: str
    kind: str
    path: str
    depth: int
    has_committee: bool
    established_on: datetime.date | None
    dissolved_on: datetime.date | None

    @property
    def kind_label(self) -> str:
        return OrgKind(self.kind).label


@dataclass
class RuleSpec:
    """All rows of one rule code, oldest first; the row valid at a slot's end governs the slot."""

    code: str
    rows: list[Rule]

    @cached_property
    def current(self) -> Rule:
        return self.rows[-1]

    @cached_property
    def name(self) -> str:
        return self.current.name

    @cached_property
    def kind(self) -> str:
        return self.current.kind

    @cached_property
    def frequency(self) -> str:
        return self.current.frequency

    def row_for(self, slot: Period) -> Rule | None:
        valid = [r for r in self.rows if r.is_valid_on(slot.end)]
        if valid:
            return valid[-1]
        # A rule that ended within the slot still governs it.
        inside = [
            r
            for r in self.rows
            if (r.valid_from or slot.start) <= slot.end and (r.valid_to or slot.end) >= slot.start
        ]
        return inside[-1] if inside else None

    @cached_property
    def kinds(self) -> frozenset[str]:
        return frozenset(k for r in self.rows for k in r.org_kinds)

    def applies_to_kind(self, kind: str) -> bool:
        return kind in self.kinds


@dataclass(frozen=True)
class Cell:
    """One organization × rule × slot judgement, with the activities that satisfied it."""

    org_id: int
    org_name: str
    rule_code: str
    slot: Period
    status: str
    evidence_text: str = ""  # "id,id,…" as grouped in SQL; parsed only when asked for
    count: int = 0
    minimum: int = 0
    reason: str = ""
    source: str = ""

    @property
    def evidence(self) -> tuple[int, ...]:
        """The ids of the activities counted in this cell, ascending."""
        return tuple(parse_ids(self.evidence_text))

    @property
    def status_label(self) -> str:
        return CellStatus(self.status).label

    @property
    def title(self) -> str:
        """The tooltip: slot, status, count and why."""
        text = f"{self.slot.label}：{self.status_label}"
        if self.status in (CellStatus.DONE, CellStatus.MISSING, CellStatus.DUE):
            text += f"（{self.count}/{self.minimum}）"
        return text + (f"，{self.reason}" if self.reason else "")

    def to_json(self) -> dict[str, Any]:
        return {
            "org": self.org_id,
            "org_name": self.org_name,
            "rule": self.rule_code,
            "slot": self.slot.code,
            "status": self.status,
            "evidence": list(self.evidence) if self.status == CellStatus.DONE else [],
        }


@dataclass
class Matrix:
    """The evaluated subtree: organizations (tree order), matrix rules, slots and the grouped counts."""

    root: OrgRow
    period: Period
    on: datetime.date
    orgs: list[OrgRow]
    rules: list[RuleSpec]
    slots: dict[str, list[Period]]
    counts: dict[tuple[int, Any], dict[int, tuple[int, str]]]
    talk: dict[tuple[int, str], tuple[int, int]]
    type_ids: dict[str, int]
    query_count: int = 0
    _cache: dict[tuple[int, str, str], Cell] = field(default_factory=dict, repr=False)
    _rows: dict[tuple[str, str], Rule | None] = field(default_factory=dict, repr=False)

    def rule(self, code: str) -> RuleSpec:
        for spec in self.rules:
            if spec.code == code:
                return spec
        raise KeyError(code)

    def rules_for_kind(self, kind: str) -> list[RuleSpec]:
        return [spec for spec in self.rules if spec.applies_to_kind(kind)]

    def slots_for(self, spec: RuleSpec) -> list[Period]:
        return self.slots[spec.frequency]

    def org(self, org_id: int) -> OrgRow:
        for row in self.orgs:
            if row.id == org_id:
                return row
        raise KeyError(org_id)

    def _tally(self, org_id: int, key: Any, slot: Period, want_ids: bool) -> tuple[int, str]:
        by_month = self.counts.get((org_id, key))
        if not by_month:
            return 0, ""
        n, ids = 0, []
        for month in _month_keys(slot):
            got = by_month.get(month)
            if got:
                n += got[0]
                if want_ids:
                    ids.append(got[1])
        return n, ",".join(ids)

    def row_for(self, spec: RuleSpec, slot: Period) -> Rule | None:
        key = (spec.code, slot.code)
        if key not in self._rows:
            self._rows[key] = spec.row_for(slot)
        return self._rows[key]

    def cell(self, org: OrgRow, spec: RuleSpec, slot: Period) -> Cell:
        key = (org.id, spec.code, slot.code)
        found = self._cache.get(key)
        if found is None:
            rule = self.row_for(spec, slot)
            status, count, minimum, reason, ids = self._assess(org, spec, slot, rule, want_ids=True)
            found = self._cache[key] = Cell(
                org.id,
                org.name,
                spec.code,
                slot,
                status,
                ids,
                count,
                minimum,
                reason,
                rule.source if rule else "",
            )
        return found

    def _assess(
        self, org: OrgRow, spec: RuleSpec, slot: Period, rule: Rule | None, *, want_ids: bool
    ) -> tuple[str, int, int, str, str]:
        """(status, count, minimum, reason, evidence ids text) of one cell: the rules of issue 3."""
        na = CellStatus.NA
        if rule is None:
            return na, 0, 0, "该期间规则未生效", ""
        if org.kind not in rule.org_kinds:
            return na, 0, 0, f"不适用于{org.kind_label}", ""
        if rule.needs_committee and not org.has_committee:
            return na, 0, 0, "未设支部委员会", ""
        if org.established_on and org.established_on > slot.end:
            return na, 0, 0, "尚未成立", ""
        if org.dissolved_on and org.dissolved_on <= slot.start:
            return na, 0, 0, "已撤销", ""
        if slot.start > self.on:
            return na, 0, 0, "未到期", ""
        key = _KEYS.get(spec.kind) or self.type_ids.get(rule.activity_type_code)
        count, ids = self._tally(org.id, key, slot, want_ids)
        minimum, reason = rule.minimum, ""
        satisfied = count >= minimum
        if spec.kind == RuleKind.TALK_COVERAGE:
            covered, total = self.talk.get((org.id, slot.code), (0, 0))
            if total == 0:
                return na, 0, 0, "无在册党员", ""
            count, minimum, satisfied = covered, total, covered >= total
            reason = f"已谈{covered}人，在册{total}人"
        if satisfied:
            return CellStatus.DONE, count, minimum, reason, ids
        if (org.established_on and org.established_on > slot.start) or (
            org.dissolved_on and org.dissolved_on <= slot.end
        ):
            # Judged on whole slots only: the slot it was set up or dissolved in is not required.
            return na, count, minimum, "成立或撤销当期不作要求", ""
        if slot.end >= self.on:
            return CellStatus.DUE, count, minimum, reason, ""
        return CellStatus.MISSING, count, minimum, reason, ""

    def cells(self, *, include_kind_na: bool = True) -> Iterator[Cell]:
        """Every cell, organizations in tree order, then rules, then slots."""
        for org in self.orgs:
            for spec in self.rules if include_kind_na else self.rules_for_kind(org.kind):
                for slot in self.slots_for(spec):
                    yield self.cell(org, spec, slot)

    def summary(self) -> Counter[str]:
        """How many applicable cells are done / missing / due / n/a (no Cell objects built)."""
        counter: Counter[str] = Counter()
        for spec in self.rules:
            slots = self.slots_for(spec)
            rows = [self.row_for(spec, slot) for slot in slots]
            kinds = spec.kinds
            for org in self.orgs:
                if org.kind not in kinds:
                    continue
                for slot, rule in zip(slots, rows, strict=True):
                    counter[self._assess(org, spec, slot, rule, want_ids=False)[0]] += 1
        return counter

    def to_json(self) -> dict[str, Any]:
        return {
            "org": self.root.id,
            "period": self.period.code,
            "cells": [cell.to_json() for cell in self.cells()],
        }


def _rule_specs(period_start: datetime.date, period_end: datetime.date) -> tuple[list[RuleSpec], list[Rule]]:
    rows = list(
        Rule.objects.active().valid_during(period_start, period_end).order_by("order", "code", "valid_from")
    )
    specs: dict[str, RuleSpec] = {}
    others: list[Rule] = []
    for row in rows:
        if row.kind in MATRIX_KINDS:
            specs.setdefault(row.code, RuleSpec(row.code, [])).rows.append(row)
        else:
            others.append(row)
    for spec in specs.values():
        spec.rows.sort(key=lambda r: r.valid_from or datetime.date.min)
    return list(specs.values()), others


def load_orgs(root: Any, user: Any = None) -> list[OrgRow]:
    from dangjian.orgs.models import Organization

    qs = scoped(Organization.objects.subtree(root), user).order_by("path")
    fields = [
        "id",
        "name",
        "kind",
        "path",
        "depth",
        "has_committee",
        "established_on",
        "dissolved_on",
        "order",
    ]
    order: dict[int, int] = {}
    rows = []
    for *values, position in qs.values_list(*fields):
        rows.append(OrgRow(*values))
        order[values[0]] = position
    # Tree order: depth first, siblings by their order then name; the path sorts ids as text,
    # so sort by the sequence of (order, name) along each path instead.
    names = {r.id: r.name for r in rows}

    def sort_key(row: OrgRow) -> list[tuple[int, str]]:
        return [(order.get(int(p), 0), names.get(int(p), "")) for p in row.path.strip("/").split("/")]

    return sorted(rows, key=sort_key)


def evaluate(org: Any, period: Period, *, user: Any = None, on: datetime.date | None = None) -> Matrix:
    """Judge every organization of ``org``'s subtree against every matrix rule over ``period``."""
    from dangjian.activities.models import ActivityType
    from dangjian.orgs.models import Organization

    if not isinstance(period, Period):
        raise TypeError(f"period must be a Period, not {type(period).__name__}")
    on = on or today()
    counter = _QueryCounter()
    with transaction.atomic(), connection.execute_wrapper(counter):
        if connection.vendor == "postgresql":
            # The grouped read sorts half a million rows at province scale: give it memory
            # instead of spilling to disk, and skip JIT compilation, which costs more than it
            # saves on a query that runs once (both only for this transaction).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '64MB'; SET LOCAL jit = off")
        orgs = load_orgs(org, user)
        root = next((o for o in orgs if o.id == org.pk), None) or OrgRow(
            org.pk,
            org.name,
            org.kind,
            org.path,
            org.depth,
            org.has_committee,
            org.established_on,
            org.dissolved_on,
        )
        # Slots cover whole calendar months/quarters/years overlapping the period; the query
        # range is their union.
        all_slots = {f: period.slots(f) for f in Frequency.values}
        span_start = min(s[0].start for s in all_slots.values())
        span_end = max(s[-1].end for s in all_slots.values())
        specs, _others = _rule_specs(span_start, span_end)
        used = {f for f in (s.frequency for s in specs)}
        slots = {f: all_slots[f] for f in Frequency.values if f in used}
        if specs:
            span_start = min(s[0].start for s in slots.values())
            span_end = max(s[-1].end for s in slots.values())
        codes = {
            r.activity_type_code for s in specs for r in s.rows if r.activity_type_code and s.kind in COUNTED
        }
        wants_talk = any(s.kind == RuleKind.TALK_COVERAGE for s in specs)
        type_ids = dict(ActivityType.objects.filter(code__in=codes | {"talk"}).values_list("code", "id"))
        talk_type = type_ids.get("talk") if wants_talk else None
        if "talk" not in codes:
            type_ids.pop("talk", None)  # talks are read with their parties, not in the grid
        counts: dict[tuple[int, Any], dict[int, tuple[int, str]]] = {}

        def put(key: tuple[int, Any], month: int, n: int, ids: str) -> None:
            bucket = counts.get(key)
            if bucket is None:
                counts[key] = {month: (n, ids)}
            elif month in bucket:
                old = bucket[month]
                bucket[month] = (old[0] + n, f"{old[1]},{ids}")
            else:
                bucket[month] = (n, ids)

        def add(rows: list[grids.GridRow]) -> None:
            for org_id, type_id, month, n, ids in rows:
                put((org_id, type_id), month, n, ids)

        talk: dict[tuple[int, str], tuple[int, int]] = {}
        if orgs and specs and type_ids:
            whole_tree = (
                org.depth == 0 and not Organization.objects.filter(depth=0).exclude(pk=org.pk).exists()
            )
            lecture = type_ids.get("party_lecture")
            flag = lecture is not None and any(s.kind == RuleKind.SECRETARY_LECTURE for s in specs)
            for row in grids.activity_grid(
                org,
                span_start,
                span_end,
                type_ids.values(),
                user,
                whole_tree=whole_tree,
                split_secretary=flag,
            ):
                org_id, type_id, month, n, ids = row[:5]
                put((org_id, type_id), month, n, ids)
                if flag and row[5] and type_id == lecture:
                    put((org_id, "secretary_lecture"), month, n, ids)
            cell_types = [
                type_ids[r.activity_type_code]
                for s in specs
                for r in s.rows
                if OrgKind.CELL in r.org_kinds and r.activity_type_code in type_ids
            ]
            if cell_types and any(o.kind == OrgKind.CELL for o in orgs):
                add(grids.cell_grid(org, span_start, span_end, cell_types, user))
            for spec in specs:
                if spec.kind != RuleKind.TALK_COVERAGE:
                    continue
                for slot in slots[spec.frequency]:
                    if slot.start > on:
                        continue
                    for org_id, (covered, total, ids) in grids.talk_coverage_by_org(
                        org, slot, talk_type, user, on
                    ).items():
                        talk[(org_id, slot.code)] = (covered, total)
                        if ids:
                            put(
                                (org_id, "talk"),
                                month_key(slot.start.year, slot.start.month),
                                len(ids.split(",")),
                                ids,
                            )
    matrix = Matrix(root, period, on, orgs, specs, slots, counts, talk, type_ids, counter.count)
    return matrix


_MONTH_KEYS: dict[str, tuple[int, ...]] = {}
# Rules read from buckets of their own rather than an activity type's.
_KEYS = {RuleKind.SECRETARY_LECTURE: "secretary_lecture", RuleKind.TALK_COVERAGE: "talk"}
COUNTED = (RuleKind.COUNT, RuleKind.SECRETARY_LECTURE)


def _month_keys(slot: Period) -> tuple[int, ...]:
    found = _MONTH_KEYS.get(slot.code)
    if found is None:
        found = _MONTH_KEYS[slot.code] = tuple(slot.month_keys())
    return found


class _QueryCounter:
    """Counts the SQL statements run inside ``evaluate`` (reported by the CLI and the bench)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)
