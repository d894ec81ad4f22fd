from django.apps import AppConfig


class RectificationConfig(AppConfig):
    name = "dangjian.rectification"
    label = "rectification"
    verbose_name = "整改台账"

    def ready(self) -> None:
        from dangjian.activities.panels import register_detail_panel
        from dangjian.core.agenda import register_due_source
        from dangjian.core.home import NavItem, register_nav
        from dangjian.members.panels import register_self_panel
        from dangjian.rectification.due import due_findings
        from dangjian.rectification.panels import meeting_panel, own_findings_panel

        register_nav(NavItem(55, "整改台账", "rectification:list"))
        register_due_source(due_findings)  # shown on the home page by core's 待办事项 panel
        register_detail_panel(meeting_panel)
        register_self_panel(own_findings_panel)
