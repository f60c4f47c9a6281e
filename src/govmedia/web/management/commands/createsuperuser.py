"""Replaces Django's createsuperuser: the platform has no superuser (等保 2.0 三权分立)."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "本平台不设超级用户：系统管理员、安全管理员和审计员由不同人员分别担任。"

    def add_arguments(self, parser):
        # Django's own options are accepted and ignored, so scripts that call it fail here with the reason.
        parser.add_argument("args", nargs="*")
        parser.add_argument("--username")
        parser.add_argument("--email")
        parser.add_argument("--noinput", "--no-input", action="store_true")
        parser.add_argument("--database")

    def handle(self, *args, **options):
        raise CommandError(
            "本平台不设超级用户（等保2.0 三权分立）：系统管理员、安全管理员和审计员须由不同人员分别担任，"
            "请创建普通人员并授予相应角色。"
        )
