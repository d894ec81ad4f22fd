from django.apps import AppConfig


class HonoursConfig(AppConfig):
    name = "dangjian.honours"
    label = "honours"
    verbose_name = "表彰荣誉"

    def ready(self) -> None:
        from dangjian.core.home import NavItem, register_nav
        from dangjian.honours.panels import own_honours_panel
        from dangjian.members.panels import register_self_panel

        register_nav(NavItem(56, "表彰荣誉", "honours:list"))
        register_self_panel(own_honours_panel)
