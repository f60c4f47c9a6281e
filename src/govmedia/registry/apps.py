from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "govmedia.registry"
    verbose_name = "账号台账"
