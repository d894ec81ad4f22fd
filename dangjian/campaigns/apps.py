from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "dangjian.campaigns"
    label = "campaigns"
    verbose_name = "专题活动"

    def ready(self) -> None:
        from dangjian.activities.panels import register_detail_panel
        from dangjian.campaigns.due import overdue_pledges, plan_items_behind
        from dangjian.campaigns.views import activity_panel, self_panel
        from dangjian.core.agenda import register_due_source
        from dangjian.core.home import NavItem, register_nav
        from dangjian.members.panels import register_self_panel

        register_nav(NavItem(45, "专题活动", "campaigns:list"))
        register_due_source(overdue_pledges)
        register_due_source(plan_items_behind)
        register_detail_panel(activity_panel)
        register_self_panel(self_panel)
