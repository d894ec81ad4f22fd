"""Figures over the admission pipeline: cases by status and stage on a day, and what falls due."""

from __future__ import annotations

import calendar
import datetime
from typing import Any

from dangjian.core.dates import today
from dangjian.core.period import Period
from dangjian.metrics.base import as_of, scoped, subtree_ids
from dangjian.metrics.figures import Figure


def _cases(org: Any, user: Any) -> Any:
    from dangjian.recruitment.models import Case

    return scoped(Case.objects.filter(organization_id__in=subtree_ids(org)), user).order_by()


def case_states(org: Any, day: datetime.date, user: Any = None) -> list[tuple[int, str, str]]:
    """(case id, status, stage) of each case of the subtree opened by ``day``, as it stood on it.

    Today that is the stored summary (``actions.refresh_case`` derives it from every step
    recorded so far); for an earlier day the steps dated by then are read (one query) and the
    rules build each case's timeline from them, as refresh_case does.
    """
    from dangjian.recruitment import rules
    from dangjian.recruitment.choices import CaseStatus, StepKind
    from dangjian.recruitment.models import Step

    cases = _cases(org, user).filter(opened_on__lte=day)
    if day >= today():
        return list(cases.values_list("pk", "status", "stage"))
    events: dict[int, list[rules.Event]] = {}
    for case_id, pk, number, date, kind, passed, months, special in (
        Step.objects.filter(case__in=cases.values("pk"), date__lte=day)
        .order_by("case_id", "date", "id")
        .values_list("case_id", "pk", "number", "date", "kind", "passed", "months", "special_case")
    ):
        events.setdefault(case_id, []).append(
            rules.Event(
                number=number, date=date, kind=kind, passed=passed, months=months, special=special, seq=pk
            )
        )
    states = []
    for pk in cases.values_list("pk", flat=True):
        timeline = rules.build(events.get(pk, []))
        status = CaseStatus.OPEN
        if timeline.closed_by is not None:
            cancelled = timeline.closed_by.kind == StepKind.CANCELLATION
            status = CaseStatus.CANCELLED if cancelled else CaseStatus.CLOSED
        elif rules.ARCHIVE in timeline.done:
            status = CaseStatus.COMPLETED
        states.append((pk, str(status), str(timeline.stage)))
    return states


def case_keys() -> list[str]:
    from dangjian.recruitment.choices import CaseStatus, Stage

    found = []
    for status in [*CaseStatus.values, "all"]:
        found.append(f"cases.{status}")
        found.extend(f"cases.{status}.{stage}" for stage in Stage.values)
    return found


def case_counts(org: Any, period: Period, user: Any = None) -> dict[str, Figure]:
    """ "cases.<status>.<stage>" and "cases.<status>" ("all" for every status): the subtree's
    admission cases at the period's end, by status and stage."""
    from dangjian.recruitment.choices import CaseStatus, Stage

    states = case_states(org, as_of(period), user)
    labels = {**dict(CaseStatus.choices), "all": "全部"}
    figures: dict[str, Figure] = {}
    for status, status_label in labels.items():
        mine = [(pk, stage) for pk, s, stage in states if status in ("all", s)]
        ids = sorted(pk for pk, _ in mine)
        figures[f"cases.{status}"] = Figure(
            f"cases.{status}", f"发展党员（{status_label}）", len(ids), "人", "recruitment.case", ids
        )
        for stage in Stage:
            in_stage = sorted(pk for pk, s in mine if s == stage)
            key = f"cases.{status}.{stage.value}"
            figures[key] = Figure(
                key, f"{stage.label}（{status_label}）", len(in_stage), "人", "recruitment.case", in_stage
            )
    return figures


DUE_KEYS = ("cases.items_due", "cases.items_overdue")


def case_items_due(org: Any, period: Period, user: Any = None) -> dict[str, Figure]:
    """What falls due for the subtree's open cases by the end of the month of the period's end
    ("cases.items_due", earlier items still undone included) and how many of those are already
    late ("cases.items_overdue"), from the cases' stored summaries (recruitment.due). Evidence:
    the cases concerned."""
    from dangjian.recruitment.due import due_items

    on = as_of(period)
    month_end = on.replace(day=calendar.monthrange(on.year, on.month)[1])
    items = due_items(_cases(org, user), month_end=month_end, on=on)
    due = sorted({item.case.pk for item in items})
    late = [item for item in items if item.overdue]
    return {
        "cases.items_due": Figure(
            "cases.items_due", "发展党员到期事项", len(items), "项", "recruitment.case", due
        ),
        "cases.items_overdue": Figure(
            "cases.items_overdue",
            "发展党员超期事项",
            len(late),
            "项",
            "recruitment.case",
            sorted({item.case.pk for item in late}),
        ),
    }
