from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "govmedia.reports"
    verbose_name = "监测看板与报表"
