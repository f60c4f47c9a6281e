from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "govmedia.web"
    verbose_name = "页面"

    def ready(self):
        from govmedia.web import checks  # noqa: F401 — registers the deployment check against superusers
