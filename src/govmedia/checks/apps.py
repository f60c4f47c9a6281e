from django.apps import AppConfig


class ChecksConfig(AppConfig):
    name = "govmedia.checks"
    verbose_name = "文件检查与脱敏"
