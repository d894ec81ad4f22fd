"""The agency-wide "due this month" list, built from the stored case summaries in one query."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from dangjian.core.agenda import DueItem as AgendaItem
from dangjian.recruitment import rules
from dangjian.recruitment.choices import DueReason
from dangjian.recruitment.models import Case

APPROVAL_STEPS = (rules.COMMITTEE_TALK, rules.APPROVAL, rules.CONFIRMATION_APPROVAL)


@dataclass(frozen=True)
class DueCase:
    """The few fields of a case the list shows (plain values: thousands of model instances are slow)."""

    pk: int
    name: str
    organization_name: str


@dataclass(frozen=True)
class DueItem:
    """One thing falling due for one case: why, by when, and whether it is already late."""

    case: DueCase
    reason: DueReason
    date: datetime.date
    what: str
    overdue: bool


def due_items(cases: QuerySet[Case], *, month_end: datetime.date, on: datetime.date) -> list[DueItem]:
    """Items due on or before ``month_end`` (earlier ones are overdue and stay listed until done)."""
    rows = cases.due_by(month_end).values_list(
        "id", "name", "organization__name", "next_number", "next_earliest", "next_deadline", "review_due"
    )
    items: list[DueItem] = []
    for pk, name, org_name, number, earliest, deadline, review in rows:
        case = DueCase(pk, name, org_name)
        if deadline and deadline <= month_end and number:
            reason = (
                DueReason.TALK
                if number == rules.TALK
                else DueReason.APPROVAL
                if number in APPROVAL_STEPS
                else DueReason.DEADLINE
            )
            items.append(DueItem(case, reason, deadline, rules.step_label(number), deadline < on))
        if review and review <= month_end:
            items.append(
                DueItem(case, DueReason.REVIEW, review, "入党积极分子半年考察（细则第十一条）", review < on)
            )
        if number in rules.CONFIRMATION_STEPS[:2] and earliest and earliest <= month_end:
            items.append(
                DueItem(
                    case, DueReason.PROBATION_END, earliest, f"预备期满，{rules.step_label(number)}", False
                )
            )
    items.sort(key=lambda i: (i.date, i.case.name, i.case.pk))
    return items


AGENDA_BASIS = "《中国共产党发展党员工作细则》"


def agenda_items(user: Any, on: datetime.date, until: datetime.date) -> list[AgendaItem]:
    """The admission steps due by ``until`` (or overdue) in the cases the user may write, for the to-do list."""
    from django.urls import reverse

    from dangjian.core.scope import get_scope, restrict

    scope = get_scope(user)
    if not (scope.is_officer and scope.can_write):
        return []
    found = due_items(restrict(Case.objects.all(), user), month_end=until, on=on)
    return [
        AgendaItem(
            "recruitment",
            f"发展党员·{item.reason.label}",
            f"{item.case.name}：{item.what}",
            item.case.organization_name,
            item.date,
            item.overdue,
            reverse("recruitment:detail", args=[item.case.pk]),
            AGENDA_BASIS,
            "danger" if item.overdue else "warn",
        )
        for item in found
    ]
