from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Builds the fictional demo bureau; sits above every app so it may use them all."""

    name = "dangjian.demo"
    label = "demo"
    verbose_name = "演示数据"
