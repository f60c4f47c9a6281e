from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "govmedia.security"
    verbose_name = "账号安全与人员"
