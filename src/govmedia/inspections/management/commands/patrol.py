from datetime import date

from django.core.management.base import BaseCommand, CommandError

from govmedia.inspections.patrol import PatrolResult, run_patrol
from govmedia.registry.models import Account


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"日期「{value}」格式不正确，应为 YYYY-MM-DD") from None


class Command(BaseCommand):
    help = "信息安全巡检（第九条）：用当前词库和白名单重新检查已发布内容，阻断问题下发整改"

    def add_arguments(self, parser):
        parser.add_argument("--since", type=_date, help="只检查该日期（含）以后发布的内容，YYYY-MM-DD")
        parser.add_argument("--account", type=int, help="只检查该账号（编号）")

    def handle(self, *args, since=None, account=None, **options):
        if account is not None and not Account.objects.filter(pk=account).exists():
            raise CommandError(f"账号（编号 {account}）不存在")

        def progress(result: PatrolResult) -> None:
            self.stdout.write(f"已检查 {result.posts} 条，发现阻断问题 {result.findings} 个，"
                              f"新下发整改 {len(result.opened)} 项")

        result = run_patrol(since=since, account_id=account, progress=progress)
        self.stdout.write(self.style.SUCCESS(
            f"巡检完成：检查 {result.posts} 条发布内容，发现阻断问题 {result.findings} 个，"
            f"新下发整改 {len(result.opened)} 项"))
