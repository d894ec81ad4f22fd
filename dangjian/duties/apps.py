from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "dangjian.duties"
    label = "duties"
    verbose_name = "责任体系"

    def ready(self) -> None:
        from dangjian.core.agenda import register_due_source
        from dangjian.core.home import NavItem, register_nav, register_panel
        from dangjian.duties import due, panels
        from dangjian.duties.views import home_panel

        register_nav(NavItem(55, "责任体系", "duties:overview"))
        register_panel(home_panel)
        for source in due.SOURCES:
            register_due_source(source)
        panels.register()
