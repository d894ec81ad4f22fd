from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def restore_rules_after_flush(sender: Any = None, **kwargs: Any) -> None:
    """A test database flush empties the rules seeded by the data migration: seed them again.

    Only when the table is empty, so rules an agency has changed are never overwritten.
    """
    import importlib

    from django.apps import apps

    from dangjian.compliance.models import Rule

    if not Rule.objects.exists():
        importlib.import_module("dangjian.compliance.migrations.0002_seed_rules").seed(apps, None)


class ComplianceConfig(AppConfig):
    name = "dangjian.compliance"
    label = "compliance"
    verbose_name = "合规检查"

    def ready(self) -> None:
        from dangjian.compliance import figures
        from dangjian.compliance.panels import register

        register()
        figures.register()  # the warning counts join metrics' catalogue
        post_migrate.connect(restore_rules_after_flush, sender=self)
