from django.apps import AppConfig


class VendorsConfig(AppConfig):
    name = "govmedia.vendors"
    verbose_name = "外包服务管理"
