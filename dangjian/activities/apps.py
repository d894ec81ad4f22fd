from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "dangjian.activities"
    label = "activities"
    verbose_name = "组织生活"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from dangjian.activities import due
        from dangjian.activities.defaults import sync_builtin_types
        from dangjian.activities.views import my_record_panel
        from dangjian.core.home import NavItem, register_nav, register_panel

        register_nav(NavItem(30, "组织生活", "activities:list"))
        register_panel(my_record_panel)
        due.register()
        post_migrate.connect(sync_builtin_types, sender=self)
