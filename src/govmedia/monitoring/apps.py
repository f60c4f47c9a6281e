from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "govmedia.monitoring"
    verbose_name = "常态化监管"
