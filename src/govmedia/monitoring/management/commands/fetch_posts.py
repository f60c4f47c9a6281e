from django.core.management.base import BaseCommand, CommandError

from govmedia.monitoring import feeds
from govmedia.registry.models import Account


class Command(BaseCommand):
    help = "从各账号配置的内容来源（RSS/Atom、微信公众号、微博）抓取发布内容；失败的来源记录原因，不影响其他来源"

    def add_arguments(self, parser):
        parser.add_argument("--account", type=int, help="只抓取该账号（账号编号）的内容来源")

    def handle(self, *args, account=None, **options):
        if account is not None and not Account.objects.filter(pk=account).exists():
            raise CommandError(f"账号（编号 {account}）不存在")

        def progress(number: int, total: int, result: feeds.FetchResult) -> None:
            line = f"[{number}/{total}] {result.feed}：{result.summary()}"
            if result.ok:
                self.stdout.write(line)
            else:
                self.stderr.write(line)

        results = feeds.fetch_all(account_id=account, actor="命令行（fetch_posts）", progress=progress)
        if not results:
            self.stdout.write("没有启用的内容来源（只抓取运行中账号已启用的来源）。")
            return
        failed = sum(1 for r in results if not r.ok)
        created = sum(r.created for r in results)
        self.stdout.write(f"完成：{len(results)} 个来源，新增 {created} 条发布内容，{failed} 个来源失败。")
        if failed:
            raise CommandError(f"{failed} 个来源抓取失败，原因见上，并已记录在各来源的“上次错误”中")
