from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def sync_builtin_genres(sender: Any = None, **kwargs: Any) -> None:
    """Keep the built-in genres equal to the JSON files shipped with this version (after each migrate)."""
    from dangjian.reports.genres import all_builtin
    from dangjian.reports.models import Genre

    for body in all_builtin():
        Genre.objects.update_or_create(
            code=body["code"],
            defaults={
                "name": body["name"],
                "description": body.get("description", ""),
                "body": body,
                "is_builtin": True,
            },
        )


class ReportsConfig(AppConfig):
    name = "dangjian.reports"
    label = "reports"
    verbose_name = "报告"

    def ready(self) -> None:
        from dangjian.core.agenda import register_due_source
        from dangjian.core.home import NavItem, register_nav
        from dangjian.reports import jobs  # noqa: F401 - registers the report jobs
        from dangjian.reports.due import agenda_items

        register_due_source(agenda_items)
        register_nav(NavItem(60, "报告", "reports:list"))
        register_nav(NavItem(70, "公文校对", "reports:proofread"))
        post_migrate.connect(sync_builtin_genres, sender=self)
