"""The organizations panel on the home page: branches in scope and terms due for re-election."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest

from dangjian.core.home import Panel
from dangjian.core.scope import get_scope, restrict
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization, Term, TermStatus


def orgs_panel(request: HttpRequest) -> Panel | None:
    scope = get_scope(request.user)
    if scope.reach not in ("all", "subtree"):
        return None
    counts = restrict(Organization.objects.active(), request.user).aggregate(
        branches=Count("pk", filter=Q(kind=OrgKind.BRANCH)),
        general=Count("pk", filter=Q(kind=OrgKind.GENERAL_BRANCH)),
        cells=Count("pk", filter=Q(kind=OrgKind.CELL)),
    )
    due = list(
        restrict(Term.objects.due_within(), request.user).select_related("organization").order_by("due_on")
    )
    for term in due:
        term.state = term.status()
    return Panel(
        order=20,
        template="orgs/panel_home.html",
        context={
            **counts,
            "due": due[:8],
            "due_count": len(due),
            "overdue_count": sum(1 for t in due if t.state == TermStatus.OVERDUE),
        },
    )
