"""The home-page panel (the user's warnings) and the nav item, registered in AppConfig.ready()."""

from __future__ import annotations

from django.http import HttpRequest

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
    register_nav(NavItem(40, "合规检查", "compliance:dashboard"))
