from django.apps import AppConfig


class WorkcalConfig(AppConfig):
    name = "govmedia.workcal"
    verbose_name = "工作日历"
