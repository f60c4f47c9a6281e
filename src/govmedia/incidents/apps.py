from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "govmedia.incidents"
    verbose_name = "突发事件与应急"
