"""The organizations panel on the home page: branches in scope and terms due for re-election."""

from __future__ import annotations

from django.http import HttpRequest

from dangjian.core import numbers
from dangjian.core.home import Panel
from dangjian.core.scope import get_scope, restrict
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Term

# The panel's numbers are metrics' figures for the user's reach on this day (core.numbers).
KEYS = {
    "branches": f"orgs.count.{OrgKind.BRANCH}",
    "general": f"orgs.count.{OrgKind.GENERAL_BRANCH}",
    "cells": f"orgs.count.{OrgKind.CELL}",
    "due_count": "terms.due",
    "overdue_count": "terms.overdue",
}


def orgs_panel(request: HttpRequest) -> Panel | None:
    scope = get_scope(request.user)
    if not scope.is_officer:
        return None
    from dangjian.orgs.models import Organization

    if not Organization.objects.exists():
        # A fresh install: nothing to count yet, the first step instead.
        return Panel(order=1, template="orgs/panel_first_run.html", context={"is_admin": scope.is_admin})
    found = numbers.in_reach(KEYS.values(), numbers.on_day(), request.user)
    due = list(
        restrict(Term.objects.due_within(), request.user)
        .select_related("organization")
        .order_by("due_on")[:8]
    )
    for term in due:
        term.state = term.status()
    return Panel(
        order=20,
        template="orgs/panel_home.html",
        context={**{name: found[key].value for name, key in KEYS.items()}, "due": due},
    )
