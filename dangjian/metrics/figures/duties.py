"""Figures over the responsibility system: list items, hearings, liaison visits, letters, key tasks
and business results.

Key-task people, days and money and business results are typed in by officers from documents,
not derived from records: their labels say “录入” and their evidence is the entered records, so a
report can name who entered them and from which document.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from django.db.models import F

from dangjian.core.period import Period
from dangjian.metrics.base import as_of, scoped
from dangjian.metrics.figures import Figure

OPEN = ("planned", "in_progress")


def org_ids(org: Any) -> list[int]:
    """The subtree's ids as a list: with a short literal list SQLite picks the (organization,
    date) index, where with the subquery it walked a type's or a year's whole province."""
    from dangjian.orgs.models import Organization

    # "/1/4/" ≤ path < "/1/40" is "path starts with /1/4/" ("0" follows "/"), as a range the
    # path index serves; SQLite's LIKE with ESCAPE never uses it.
    upper = org.path[:-1] + "0"
    return list(Organization.objects.filter(path__gte=org.path, path__lt=upper).values_list("pk", flat=True))


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
        ResponsibilityItem.objects.filter(organization_id__in=org_ids(org), year__in=_years(period)), user
    ).order_by()
    day = as_of(period)
    # One read of the few columns, split here: five queries per 党组 cost five subtree scans.
    rows = list(items.values_list("pk", "status", "deadline", "reopened_count"))
    m = "duties.responsibilityitem"

    def fig(key: str, label: str, keep: Any) -> Figure:
        ids = sorted(pk for pk, status, deadline, reopened in rows if keep(status, deadline, reopened))
        return Figure(key, label, len(ids), "项", m, ids)

    return {
        "duties.items": fig("duties.items", "责任清单事项", lambda s, d, r: True),
        "duties.items.done": fig("duties.items.done", "责任清单已完成事项", lambda s, d, r: s == "done"),
        "duties.items.open": fig("duties.items.open", "责任清单未完成事项", lambda s, d, r: s in OPEN),
        "duties.items.overdue": fig(
            "duties.items.overdue",
            "责任清单逾期事项",
            lambda s, d, r: s in OPEN and d is not None and d < day,
        ),
        "duties.items.reopened": fig("duties.items.reopened", "责任清单退回重办事项", lambda s, d, r: r > 0),
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

    # "type + 0" keeps SQLite off the (type, held_on) index, which reads every visit of the
    # province in the year for each 党组; the (organization, held_on) index reads the subtree's.
    qs = (
        Activity.objects.held()
        .within(period.start, period.end)
        .filter(organization_id__in=org_ids(org))
        .alias(type_plain=F("activity_type_id") + 0)
        .filter(type_plain__in=_type_ids(code))
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
        Letter.objects.filter(signer__organization_id__in=org_ids(org), year__in=_years(period)), user
    ).order_by()
    day = as_of(period)
    ids = org_ids(org)
    posts = Post.objects.current(day).filter(organization_id__in=ids)
    obliged = posts.filter(
        organization__kind="leading_group", kind__in=("secretary", "deputy_secretary", "leading_group_member")
    ) | posts.filter(organization__kind__in=("branch", "general_branch"), kind="secretary")
    obliged = scoped(obliged, user)
    holders = set(obliged.values_list("member_id", flat=True))
    signed = set(
        Letter.objects.filter(year=day.year, kind="responsibility", signer_id__in=holders).values_list(
            "signer_id", flat=True
        )
    )
    unsigned = sorted(holders - signed)
    rows = list(letters.values_list("pk", "kind"))
    responsibility = sorted(pk for pk, kind in rows if kind == "responsibility")
    pledge = sorted(pk for pk, kind in rows if kind == "pledge")
    return {
        "duties.letters.responsibility": Figure(
            "duties.letters.responsibility",
            "签订责任书",
            len(responsibility),
            "份",
            "duties.letter",
            responsibility,
        ),
        "duties.letters.pledge": Figure(
            "duties.letters.pledge", "签订承诺书", len(pledge), "份", "duties.letter", pledge
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
    "duties.results.sources",
)


def _result_words(name: str, value: Any, unit: str) -> str:
    """An entered result as a report states it: "政府采购节约资金1260.5万元", a ranking as
    "全市绩效考评排名第3名"."""
    if unit == "名" and name.endswith("排名"):
        return f"{name}第{_number(value)}名"
    return f"{name}{_number(value)}{unit}"


def _number(value: Any) -> str:
    """An entered value as typed: "6.8", "1260.5", "3" (no trailing zeros of the decimal field)."""
    text = f"{Decimal(value).normalize():f}"
    return text


def key_task_figures(org: Any, period: Period, user: Any = None) -> dict[str, Figure]:
    """Key tasks begun in the period and their entered people, person-days and money; business
    results whose period ends in it. All entered by officers (labels say so)."""
    from dangjian.duties.models import BusinessResult, KeyTask

    tasks = scoped(
        KeyTask.objects.filter(
            organization_id__in=org_ids(org), started_on__gte=period.start, started_on__lte=period.end
        ),
        user,
    ).order_by()
    rows = list(tasks.values_list("pk", "people", "person_days", "amount"))
    ids = sorted(pk for pk, *_ in rows)
    task_names = tuple(dict.fromkeys(tasks.order_by("started_on", "pk").values_list("name", flat=True)))
    results = scoped(
        BusinessResult.objects.filter(
            organization_id__in=org_ids(org), period_end__gte=period.start, period_end__lte=period.end
        ),
        user,
    ).order_by()
    m = "duties.keytask"
    result_rows = list(results.order_by("period_end", "name").values_list("name", "value", "unit"))
    return {
        "duties.key_tasks": Figure(
            "duties.key_tasks", "中心工作（录入）", len(ids), "项", m, ids, names=task_names
        ),
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
        "duties.results": dataclasses.replace(
            _count("duties.results", "业务成果（经办人录入）", results, "条", "duties.businessresult"),
            # each result as entered: "政府采购节约资金1260.5万元"
            names=tuple(_result_words(name, value, unit) for name, value, unit in result_rows),
        ),
        # The documents the results were entered from, with who entered them: a report cites the
        # source of a figure it did not compute.
        "duties.results.sources": dataclasses.replace(
            _count("duties.results.sources", "业务成果来源文件", results, "条", "duties.businessresult"),
            names=tuple(
                dict.fromkeys(
                    source
                    for source in results.order_by("period_end", "name").values_list(
                        "source_document", flat=True
                    )
                )
            ),
        ),
    }


def _person(user: Any) -> str:
    """A user as a report names them: their name, else their member record's, else the login."""
    if user is None:
        return ""
    member = getattr(getattr(user, "role", None), "member", None)
    return user.get_full_name() or (member.name if member else "") or user.get_username()


def entered_results(org: Any, period: Period, user: Any = None) -> list[dict[str, Any]]:
    """The business results of the period as a report cites them: value, unit, period, the
    source document and who entered them (they are entered, not computed)."""
    from dangjian.duties.models import BusinessResult

    rows = scoped(
        BusinessResult.objects.filter(
            organization_id__in=org_ids(org), period_end__gte=period.start, period_end__lte=period.end
        ),
        user,
    ).select_related("entered_by__role__member", "organization")
    return [
        {
            "id": r.pk,
            "name": r.name,
            "value": r.value,
            "unit": r.unit,
            "period": r.period.label,
            "source": r.source_document,
            "entered_by": _person(r.entered_by),
            "note": f"（经办人录入，来源：{r.source_document}）",
        }
        for r in rows.order_by("period_end", "name")
    ]
