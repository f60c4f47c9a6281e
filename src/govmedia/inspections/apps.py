from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "govmedia.inspections"
    verbose_name = "巡检与检查整改"
