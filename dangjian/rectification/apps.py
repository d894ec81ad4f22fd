from django.apps import AppConfig


class RectificationConfig(AppConfig):
    name = "dangjian.rectification"
    label = "rectification"
    verbose_name = "整改台账"
