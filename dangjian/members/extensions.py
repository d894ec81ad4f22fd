"""Member fields whose home is another app: declared here, implemented and registered by that app.

The dues base (交纳基数) is the case in point. Officers keep it on the roster — a column of the
花名册 import and export, a field of the member form, a line on the member page — but its one
home is the dues module's dated base records (``DuesBase``): a base has an effective month and a
history, and the monthly standard is computed from it. ``members`` sits below ``dues`` in the
import arrows (ARCHITECTURE.md) and cannot read a ``DuesBase``, so dues registers a
``MemberField`` from its ``AppConfig.ready()`` and members reaches the value only through it.

Why a field the owning app contributes, rather than a hook the roster import calls after
writing: with a hook, the column would still be defined, parsed and checked in members, and the
export, the form and the member page would each need a hook of their own to show the value —
the value would live in two places again. A contributed field keeps the cell parser, the rule
(a farmer's amount 0.2–1 元 …), the current value and the bulk write in one class beside
``DuesBase``, and members handles every registered field the same way.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from dangjian.core.sheets import Column
from dangjian.members.models import Member


class MemberField(ABC):
    """A member attribute kept by another app; subclasses implement the reading and writing."""

    key: str  # the form field's name and the roster column's key
    label: str  # the form's and the member page's label
    column: Column  # the roster column: header, aliases, width, hint
    after: str  # the roster column (and form field) it follows
    number_format: str = "General"  # the export cell's Excel format
    example: Any = None  # the import template's example value

    @abstractmethod
    def parse_cell(self, raw: Any) -> Any:
        """The value of a roster cell (None when empty); raises ``core.cells.CellProblem``."""

    @abstractmethod
    def form_field(self) -> forms.Field:
        """The edit form's field for this value."""

    def check(self, member: Member, value: Any) -> str | None:
        """A rule about ``value`` given the member's other fields: the problem in Chinese, or None."""
        return None

    @abstractmethod
    def current(self, members: Sequence[Member]) -> dict[int, Any]:
        """What the owning app holds now for each member (by pk; absent when nothing), in one query."""

    def shown(self, state: Any) -> Any:
        """The value as the export, the form and the member page show it, from ``current()``'s state."""
        return state

    def differs(self, member: Member, value: Any, state: Any) -> bool:
        """Whether writing ``value`` would change what the owning app holds."""
        return value != self.shown(state)

    @abstractmethod
    def write(self, items: Sequence[tuple[Member, Any]], *, acting_user: Any, via: str) -> None:
        """Store values for saved members, inside the caller's transaction (checks its own permission)."""


_REGISTRY: dict[str, MemberField] = {}


def register(field: MemberField) -> None:
    """Called from the owning app's ``AppConfig.ready()``."""
    _REGISTRY[field.key] = field


def registered() -> tuple[MemberField, ...]:
    return tuple(_REGISTRY.values())


def split(fields: dict[str, Any]) -> dict[str, Any]:
    """Take the registered fields out of ``fields`` (a form's cleaned data or an action's kwargs)."""
    return {key: fields.pop(key) for key in list(fields) if key in _REGISTRY}


def save(member: Member, values: dict[str, Any], *, acting_user: Any, via: str) -> None:
    """Write a saved member's registered fields that were given (None: left as they are) and differ."""
    for key, value in values.items():
        if value is None:
            continue
        field = _REGISTRY[key]
        problem = field.check(member, value)
        if problem:
            raise ValidationError({key: problem})
        if field.differs(member, value, field.current([member]).get(member.pk)):
            field.write([(member, value)], acting_user=acting_user, via=via)


def shown(member: Member) -> list[tuple[MemberField, Any]]:
    """Each registered field with the member's current value, for the member page and the form."""
    return [(field, field.shown(field.current([member]).get(member.pk))) for field in _REGISTRY.values()]
