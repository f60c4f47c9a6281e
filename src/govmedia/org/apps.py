from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "govmedia.org"
    verbose_name = "单位与人员"
