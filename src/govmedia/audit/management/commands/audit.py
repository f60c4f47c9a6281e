"""`govmedia audit verify`: check the audit log's hash chain; exit 1 on any problem."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from govmedia.audit.verify import verify_chain


class Command(BaseCommand):
    help = "审计日志：verify 校验哈希链，报告被修改、插入或删除的记录"

    def add_arguments(self, parser):
        parser.add_argument("subcommand", choices=["verify"])

    def handle(self, *args, **options):
        checked, problems = verify_chain()
        for problem in problems:
            self.stderr.write(problem.message)
        if problems:
            self.stderr.write(f"审计日志校验失败：共检查{checked}条，发现{len(problems)}处问题")
            sys.exit(1)
        self.stdout.write(f"审计日志完整：共{checked}条记录，哈希链无误")
