from django.core.management.base import BaseCommand

from govmedia.demo import DEMO_PASSWORD, USERS, load_demo


class Command(BaseCommand):
    help = "载入演示单位（苏州市吴江区人力资源和社会保障局）；已载入则不做任何改动"

    def handle(self, *args, **options):
        if load_demo():
            self.stdout.write("已载入演示单位。")
        else:
            self.stdout.write("演示单位已存在，未做改动。")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, full_name, _section, roles in USERS:
            self.stdout.write(f"  {username:<9}{full_name}  {'、'.join(r.label for r in roles)}")
