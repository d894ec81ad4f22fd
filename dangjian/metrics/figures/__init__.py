"""Named figures: one number over an organization subtree and a period, with its records.

``Figure`` is what every page, warning and report shows; the modules of this package compute
them from the base reads (``metrics.base``), grouped by ledger: ``activities`` (meetings,
attendance, talks …), ``members`` (the roll by status on a day), ``orgs`` (organizations and
committee terms), ``dues`` and ``recruitment``. ``metrics.registry`` names and looks them up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet

Number = int | Decimal | float
# Evidence lists longer than this keep their first ids and the total (see Figure.evidence_json).
EVIDENCE_CAP = 20_000


@dataclass(frozen=True)
class Figure:
    """One named number with its unit and the ids of the records it was computed from."""

    key: str
    label: str
    value: Number
    unit: str
    evidence_model: str
    evidence_ids: list[int] = field(default_factory=list)
    # For rates: (numerator, denominator), so a report can say "95%（38/40人）" (money for dues).
    basis: tuple[Number, Number] | None = None
    # Set when the evidence is longer than EVIDENCE_CAP: how many records there are in all
    # (evidence_ids then holds the first EVIDENCE_CAP of them, by id).
    evidence_total: int | None = None
    # Named records behind the figure (meeting topics, honours) that a report may quote.
    names: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        value: Any = float(self.value) if isinstance(self.value, Decimal) else self.value
        return {
            "key": self.key,
            "label": self.label,
            "value": value,
            "unit": self.unit,
            "evidence": self.evidence_json(),
        }

    def evidence_json(self) -> dict[str, Any]:
        evidence: dict[str, Any] = {"model": self.evidence_model, "ids": list(self.evidence_ids)}
        if self.evidence_total is not None and self.evidence_total > len(self.evidence_ids):
            # Province-wide attendance runs to millions of rows: the draft keeps the first ids
            # and says how many there are, rather than a 40 MB list nobody can open.
            evidence["total"] = self.evidence_total
            evidence["truncated"] = True
        return evidence

    @property
    def display(self) -> str:
        """ "12次", "95.0%"."""
        return f"{self.value}{self.unit}"


def percent(part: Number, whole: Number) -> Decimal:
    """part/whole as a percentage with one decimal, half up (0 of 0 is 0)."""
    if not whole:
        return Decimal("0.0")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def capped_ids(qs: QuerySet[Any], total: int) -> tuple[list[int], int | None]:
    """The first EVIDENCE_CAP ids of ``qs`` and, when there are more, the total to record."""
    if total <= EVIDENCE_CAP:
        return sorted(qs.values_list("pk", flat=True)), None
    return list(qs.order_by("pk").values_list("pk", flat=True)[:EVIDENCE_CAP]), total


def combine(found: Iterable[Figure]) -> Figure:
    """One figure over several disjoint subtrees (a user whose reach has several top-level
    organizations): values and bases summed, a rate worked out again from the summed basis."""
    parts = list(found)
    first = parts[0]
    if len(parts) == 1:
        return first
    ids = sorted({pk for part in parts for pk in part.evidence_ids})
    basis = None
    if all(part.basis is not None for part in parts):
        basis = (sum(p.basis[0] for p in parts), sum(p.basis[1] for p in parts))  # type: ignore[index]
    value: Number = sum((part.value for part in parts), 0)
    if first.unit == "%":
        value = percent(*basis) if basis is not None else value
    totals = [part.evidence_total or len(part.evidence_ids) for part in parts]
    capped = any(part.evidence_total is not None for part in parts)
    return Figure(
        first.key,
        first.label,
        value,
        first.unit,
        first.evidence_model,
        ids,
        basis,
        sum(totals) if capped else None,
    )


class UnknownFigure(KeyError):
    """A figure key that is not registered (message in Chinese); here, below the registry, so a
    family of figures can refuse a key without importing the registry that calls it."""

    def __str__(self) -> str:
        return f"未知的统计指标“{self.args[0]}”。"
