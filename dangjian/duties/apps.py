from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "dangjian.duties"
    label = "duties"
    verbose_name = "责任体系"
