from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "dangjian.metrics"
    label = "metrics"
    verbose_name = "统计指标"

    def ready(self) -> None:
        from dangjian.core import numbers
        from dangjian.metrics import grids, registry

        # The pages of apps below metrics read its figures through core.numbers.
        numbers.provide(
            numbers.Source(
                compute=registry.compute,
                in_reach=registry.compute_in_reach,
                per_org=grids.per_org,
                values_each=registry.values_each,
            )
        )
