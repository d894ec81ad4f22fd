"""Figures over integrity work: integrity talks by kind, branches without a 纪检委员/联络员, unit
rules issued, and the 三公经费 the finance officer entered (labelled as entered)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from dangjian.core.period import Period
from dangjian.metrics.base import as_of, scoped
from dangjian.metrics.figures import Figure
from dangjian.metrics.figures.duties import org_ids

TALK_KINDS = {"integrity_talk": "廉政谈话", "reminder_talk": "提醒谈话", "admonishment_talk": "诫勉谈话"}
TALK_KEYS = ("integrity.talks", *(f"integrity.talks.{code}" for code in TALK_KINDS))


def talk_counts(org: Any, period: Period, user: Any = None) -> dict[str, Figure]:
    """Held talks of the integrity kinds in the subtree (by their primary type), and all three."""
    from dangjian.activities.models import Activity, ActivityType

    # By the types' ids (not a join on their code), so SQLite reads the (type, held_on) index.
    types = dict(ActivityType.objects.filter(code__in=list(TALK_KINDS)).values_list("pk", "code"))
    rows = list(
        scoped(
            Activity.objects.held()
            .within(period.start, period.end)
            .filter(organization_id__in=org_ids(org), activity_type_id__in=list(types)),
            user,
        )
        .order_by()
        .values_list("pk", "activity_type_id")
    )
    rows = [(pk, types[type_id]) for pk, type_id in rows]
    found = {
        "integrity.talks": Figure(
            "integrity.talks",
            "廉政类谈话合计",
            len(rows),
            "次",
            "activities.activity",
            sorted(p for p, _c in rows),
        )
    }
    for code, label in TALK_KINDS.items():
        ids = sorted(p for p, c in rows if c == code)
        found[f"integrity.talks.{code}"] = Figure(
            f"integrity.talks.{code}", label, len(ids), "次", "activities.activity", ids
        )
    return found


def branches_without_officers(org: Any, period: Period, user: Any = None) -> Figure:
    """Active branches of the subtree with no current 纪检委员 or 纪检联络员 at the period's end."""
    from dangjian.members.models import Post
    from dangjian.orgs.models import Organization

    day = as_of(period)
    branches = scoped(
        Organization.objects.active(day).filter(
            path__startswith=org.path, kind__in=("branch", "general_branch")
        ),
        user,
    )
    staffed = (
        Post.objects.current(day)
        .filter(kind__in=("discipline_commissioner", "discipline_liaison"))
        .values("organization_id")
    )
    ids = sorted(branches.exclude(pk__in=staffed).values_list("pk", flat=True))
    return Figure(
        "integrity.branches_without_officers",
        "未配备纪检委员（联络员）的党支部",
        len(ids),
        "个",
        "orgs.organization",
        ids,
    )


def rules_issued(org: Any, period: Period, user: Any = None) -> Figure:
    from dangjian.integrity.models import UnitRule

    qs = scoped(
        UnitRule.objects.filter(
            organization_id__in=org_ids(org), issued_on__gte=period.start, issued_on__lte=period.end
        ),
        user,
    )
    ids = sorted(qs.values_list("pk", flat=True))
    return Figure("integrity.rules", "制定修订制度", len(ids), "项", "integrity.unitrule", ids)


def public_expense(org: Any, period: Period, user: Any = None) -> Figure:
    """三公经费 of the period's years as the finance officer entered it (万元; entered, not computed)."""
    from dangjian.integrity.models import PublicExpense

    rows = list(
        scoped(
            PublicExpense.objects.filter(
                organization_id__in=org_ids(org), year__gte=period.start.year, year__lte=period.end.year
            ),
            user,
        ).values_list("pk", "travel_abroad", "vehicles", "reception")
    )
    total = sum((a + b + c for _pk, a, b, c in rows), Decimal("0.00"))
    return Figure(
        "integrity.public_expense",
        "三公经费（财务人员录入）",
        total,
        "万元",
        "integrity.publicexpense",
        sorted(r[0] for r in rows),
    )
