from django.apps import AppConfig


class CounterfeitConfig(AppConfig):
    name = "govmedia.counterfeit"
    verbose_name = "假冒账号处置"
