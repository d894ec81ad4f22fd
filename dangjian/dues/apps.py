from django.apps import AppConfig


class DuesConfig(AppConfig):
    name = "dangjian.dues"
    label = "dues"
    verbose_name = "党费"

    def ready(self) -> None:
        from dangjian.core.home import NavItem, register_nav, register_panel
        from dangjian.dues import jobs  # noqa: F401 - registers the dues run job
        from dangjian.dues.roster_field import DuesBaseField
        from dangjian.dues.views import home_panel
        from dangjian.members.extensions import register

        register_nav(NavItem(40, "党费", "dues:index"))
        register_panel(home_panel)
        # The roster's 交纳基数 column and the member form's base are kept as DuesBase rows.
        register(DuesBaseField())
