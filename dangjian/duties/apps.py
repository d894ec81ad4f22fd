from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "dangjian.duties"
    label = "duties"
    verbose_name = "责任体系"

    def ready(self) -> None:
        from dangjian.core.agenda import register_due_source
        from dangjian.core.home import NavItem, register_nav
        from dangjian.duties import due, panels

        # Due items reach the home page through the agenda (core's 待办事项 panel), not a panel
        # of our own: one list, so the same item never shows twice.
        register_nav(NavItem(55, "责任体系", "duties:overview"))
        for source in due.SOURCES:
            register_due_source(source)
        panels.register()
