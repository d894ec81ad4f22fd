from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "dangjian.metrics"
    label = "metrics"
    verbose_name = "统计指标"
