from django.core.management.base import BaseCommand, CommandError

from govmedia.org.actions import issue_token
from govmedia.org.models import Person


class Command(BaseCommand):
    help = "为用户签发新的接口令牌（只显示一次，库中仅保存其摘要）"

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        person = Person.objects.filter(username=username, is_active=True).first()
        if person is None:
            raise CommandError(f"用户「{username}」不存在或已停用")
        self.stdout.write(issue_token(person, actor="命令行"))
