from django.apps import AppConfig


class DuesConfig(AppConfig):
    name = "dangjian.dues"
    label = "dues"
    verbose_name = "党费"

    def ready(self) -> None:
        from dangjian.core.home import NavItem, register_nav, register_panel
        from dangjian.dues import jobs  # noqa: F401 - registers the dues run job
        from dangjian.dues.views import home_panel

        register_nav(NavItem(40, "党费", "dues:index"))
        register_panel(home_panel)
