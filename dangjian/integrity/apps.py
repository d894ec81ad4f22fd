from django.apps import AppConfig


class IntegrityConfig(AppConfig):
    name = "dangjian.integrity"
    label = "integrity"
    verbose_name = "廉政建设"

    def ready(self) -> None:
        from dangjian.core.agenda import register_due_source
        from dangjian.core.home import NavItem, register_nav
        from dangjian.integrity.officers import missing_due

        register_nav(NavItem(56, "廉政建设", "integrity:overview"))
        register_due_source(missing_due)
