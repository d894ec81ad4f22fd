from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "dangjian.orgs"
    label = "orgs"
    verbose_name = "党组织"

    def ready(self) -> None:
        from dangjian.core.home import NavItem, register_nav, register_panel
        from dangjian.orgs.panels import orgs_panel

        register_nav(NavItem(10, "党组织", "orgs:tree"))
        register_panel(orgs_panel)
