from django.apps import AppConfig


class RecruitmentConfig(AppConfig):
    name = "dangjian.recruitment"
    label = "recruitment"
    verbose_name = "发展党员"

    def ready(self) -> None:
        from dangjian.core.agenda import register_due_source
        from dangjian.core.home import NavItem, register_nav, register_panel
        from dangjian.recruitment.due import agenda_items
        from dangjian.recruitment.views import home_panel

        register_nav(NavItem(40, "发展党员", "recruitment:list"))
        register_panel(home_panel)
        register_due_source(agenda_items)
