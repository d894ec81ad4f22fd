from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "dangjian.compliance"
    label = "compliance"
    verbose_name = "合规检查"

    def ready(self) -> None:
        from dangjian.compliance.panels import register

        register()
