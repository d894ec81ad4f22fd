"""The home-page panel (the user's warnings) and the nav item, registered in AppConfig.ready()."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest

from dangjian.core.agenda import DueItem, register_due_source
from dangjian.core.home import NavItem, Panel, register_nav, register_panel
from dangjian.core.scope import get_scope


def warnings_panel(request: HttpRequest) -> Panel | None:
    from dangjian.compliance.warnings import warnings_for_user

    # The warnings are for the roles that look after organizations, as the compliance pages are.
    if not get_scope(request.user).is_officer:
        return None
    found = warnings_for_user(request.user)
    if found is None:
        return None
    return Panel(order=20, template="compliance/panel_warnings.html", context=found)


def register() -> None:
    register_panel(warnings_panel)
    register_due_source(agenda_items)
    register_nav(NavItem(40, "合规检查", "compliance:dashboard"))


def agenda_items(user: Any, on: datetime.date, until: datetime.date) -> list[DueItem]:
    """The user's compliance warnings coming due by ``until`` (临近期限), for the to-do list.

    Already-missed slots stay on the warnings panel beside it; the to-do list holds what can
    still be done in time. Read from the same per-day cache as the panel, so both agree.
    """
    from dangjian.compliance.warnings import warnings_for_user

    if not get_scope(user).is_officer:
        return []
    found = warnings_for_user(user, on) or {}
    dashboard = found.get("dashboard_url", "")
    return [
        DueItem(
            "compliance",
            "合规预警",
            w.text,
            w.org_name,
            w.due_on,
            False,
            w.url or dashboard,
            w.source,
            "warn",
        )
        for w in found.get("coming_due", [])
        if w.due_on <= until
    ]
