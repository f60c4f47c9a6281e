from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "govmedia.web"
    verbose_name = "页面"
