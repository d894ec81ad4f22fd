"""Figures over the responsibility system: list items, hearings, liaison visits, letters, key tasks
and business results.

Key-task people, days and money and business results are typed in by officers from documents,
not derived from records: their labels say “录入” and their evidence is the entered records, so a
report can name who entered them and from which document.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from dangjian.core.period import Period
from dangjian.metrics.base import as_of, scoped, subtree_ids
from dangjian.metrics.figures import Figure

OPEN = ("planned", "in_progress")


def _years(period: Period) -> list[int]:
    return list(range(period.start.year, period.end.year + 1))


def _ids(qs: Any) -> list[int]:
    return sorted(qs.values_list("pk", flat=True))


def _count(key: str, label: str, qs: Any, unit: str, model: str) -> Figure:
    ids = _ids(qs)
    return Figure(key, label, len(ids), unit, model, ids)


ITEM_KEYS = (
    "duties.items",
    "duties.items.done",
    "duties.items.open",
    "duties.items.overdue",
    "duties.items.reopened",
)


def item_counts(org: Any, period: Period, user: Any = None) -> dict[str, Figure]:
    """The subtree's responsibility-list items of the period's years: all, done, open, overdue at
    the period's end (open past their deadline), and ever sent back."""
    from dangjian.duties.models import ResponsibilityItem

    items = scoped(
        ResponsibilityItem.objects.filter(organization_id__in=subtree_ids(org), year__in=_years(period)), user
    ).order_by()
    day = as_of(period)
    m = "duties.responsibilityitem"
    return {
        "duties.items": _count("duties.items", "责任清单事项", items, "项", m),
        "duties.items.done": _count(
            "duties.items.done", "责任清单已完成事项", items.filter(status="done"), "项", m
        ),
        "duties.items.open": _count(
            "duties.items.open", "责任清单未完成事项", items.filter(status__in=OPEN), "项", m
        ),
        "duties.items.overdue": _count(
            "duties.items.overdue",
            "责任清单逾期事项",
            items.filter(status__in=OPEN, deadline__lt=day),
            "项",
            m,
        ),
        "duties.items.reopened": _count(
            "duties.items.reopened", "责任清单退回重办事项", items.filter(reopened_count__gt=0), "项", m
        ),
    }


def _type_ids(*codes: str) -> list[int]:
    from dangjian.activities.models import ActivityType

    return list(ActivityType.objects.filter(code__in=codes).values_list("pk", flat=True))


def _held_of_type(org: Any, period: Period, user: Any, code: str) -> Any:
    """Held activities of the subtree whose own type is ``code`` (these types are never counted
    "as well" by another type's meeting). The type's id, not a join on its code, lets SQLite
    use the (activity_type, held_on) index: a join on the credits scanned every visit of the
    province once per 党组."""
    from dangjian.activities.models import Activity

    qs = (
        Activity.objects.held()
        .within(period.start, period.end)
        .filter(organization_id__in=subtree_ids(org), activity_type_id__in=_type_ids(code))
    )
    return scoped(qs, user).order_by()


def hearings(org: Any, period: Period, user: Any = None) -> Figure:
    """Branch reports heard by the 党组 (``report_hearing`` activities of a 党组 in the subtree)."""
    qs = _held_of_type(org, period, user, "report_hearing").filter(organization__kind="leading_group")
    return _count("duties.hearings", "党组听取党支部党建工作汇报", qs, "次", "activities.activity")


def liaison_visits(org: Any, period: Period, user: Any = None) -> Figure:
    """Leaders' liaison visits to branches (``liaison_visit`` activities held in the subtree)."""
    qs = _held_of_type(org, period, user, "liaison_visit")
    return _count("duties.liaison_visits", "班子成员到挂点支部联系指导", qs, "次", "activities.activity")


LETTER_KEYS = ("duties.letters.responsibility", "duties.letters.pledge", "duties.letters.unsigned")


def letter_counts(org: Any, period: Period, user: Any = None) -> dict[str, Figure]:
    """Letters of the period's years signed by members of the subtree, by kind; and the leaders
    and branch secretaries of the subtree (posts current at the period's end) who have signed no
    responsibility letter for the year of that day (evidence: their member records)."""
    from dangjian.duties.models import Letter
    from dangjian.members.models import Post

    letters = scoped(
        Letter.objects.filter(signer__organization_id__in=subtree_ids(org), year__in=_years(period)), user
    ).order_by()
    day = as_of(period)
    posts = Post.objects.current(day).filter(organization_id__in=subtree_ids(org))
    obliged = posts.filter(
        organization__kind="leading_group", kind__in=("secretary", "deputy_secretary", "leading_group_member")
    ) | posts.filter(organization__kind__in=("branch", "general_branch"), kind="secretary")
    obliged = scoped(obliged, user)
    signed = Letter.objects.filter(year=day.year, kind="responsibility").values("signer_id")
    unsigned = sorted(set(obliged.exclude(member_id__in=signed).values_list("member_id", flat=True)))
    return {
        "duties.letters.responsibility": _count(
            "duties.letters.responsibility",
            "签订责任书",
            letters.filter(kind="responsibility"),
            "份",
            "duties.letter",
        ),
        "duties.letters.pledge": _count(
            "duties.letters.pledge", "签订承诺书", letters.filter(kind="pledge"), "份", "duties.letter"
        ),
        "duties.letters.unsigned": Figure(
            "duties.letters.unsigned", "应签未签责任书", len(unsigned), "人", "members.member", unsigned
        ),
    }


TASK_KEYS = (
    "duties.key_tasks",
    "duties.key_tasks.people",
    "duties.key_tasks.person_days",
    "duties.key_tasks.amount",
    "duties.results",
)


def key_task_figures(org: Any, period: Period, user: Any = None) -> dict[str, Figure]:
    """Key tasks begun in the period and their entered people, person-days and money; business
    results whose period ends in it. All entered by officers (labels say so)."""
    from dangjian.duties.models import BusinessResult, KeyTask

    tasks = scoped(
        KeyTask.objects.filter(
            organization_id__in=subtree_ids(org), started_on__gte=period.start, started_on__lte=period.end
        ),
        user,
    ).order_by()
    rows = list(tasks.values_list("pk", "people", "person_days", "amount"))
    ids = sorted(pk for pk, *_ in rows)
    results = scoped(
        BusinessResult.objects.filter(
            organization_id__in=subtree_ids(org), period_end__gte=period.start, period_end__lte=period.end
        ),
        user,
    ).order_by()
    m = "duties.keytask"
    return {
        "duties.key_tasks": Figure("duties.key_tasks", "中心工作（录入）", len(ids), "项", m, ids),
        "duties.key_tasks.people": Figure(
            "duties.key_tasks.people", "中心工作参与人数（录入）", sum(r[1] for r in rows), "人次", m, ids
        ),
        "duties.key_tasks.person_days": Figure(
            "duties.key_tasks.person_days",
            "中心工作投入人天（录入）",
            sum(r[2] for r in rows),
            "人·天",
            m,
            ids,
        ),
        "duties.key_tasks.amount": Figure(
            "duties.key_tasks.amount",
            "中心工作涉及资金（录入）",
            sum((r[3] for r in rows if r[3] is not None), Decimal("0.00")),
            "万元",
            m,
            sorted(pk for pk, _p, _d, amount in rows if amount is not None),
        ),
        "duties.results": _count(
            "duties.results", "业务成果（经办人录入）", results, "条", "duties.businessresult"
        ),
    }


def entered_results(org: Any, period: Period, user: Any = None) -> list[dict[str, Any]]:
    """The business results of the period as a report cites them: value, unit, period, the
    source document and who entered them (they are entered, not computed)."""
    from dangjian.duties.models import BusinessResult

    rows = scoped(
        BusinessResult.objects.filter(
            organization_id__in=subtree_ids(org), period_end__gte=period.start, period_end__lte=period.end
        ),
        user,
    ).select_related("entered_by", "organization")
    return [
        {
            "id": r.pk,
            "name": r.name,
            "value": r.value,
            "unit": r.unit,
            "period": r.period.label,
            "source": r.source_document,
            "entered_by": r.entered_by.get_username() if r.entered_by else "",
            "note": f"（经办人录入，来源：{r.source_document}）",
        }
        for r in rows.order_by("period_end", "name")
    ]
