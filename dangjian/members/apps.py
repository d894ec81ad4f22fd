from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "dangjian.members"
    label = "members"
    verbose_name = "党员"

    def ready(self) -> None:
        from dangjian.core.home import NavItem, register_nav, register_panel
        from dangjian.core.scope import Audience
        from dangjian.members import jobs  # noqa: F401 - registers the roster import job
        from dangjian.members.panels import roster_panel, self_panel

        # An ordinary member reaches their own record from the home page, not a roster.
        register_nav(NavItem(20, "花名册", "members:list", Audience.OFFICERS))
        register_panel(roster_panel)
        register_panel(self_panel)
