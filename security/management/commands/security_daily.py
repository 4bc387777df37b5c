"""`manage.py security_daily`: the security app's daily job now, for those who run it from cron
rather than in the serving processes (security/daily.py)."""

from django.core.management.base import BaseCommand

from security import daily


class Command(BaseCommand):
    help = "运行安全每日任务：校验并导出审计日志、停用长期未用账号、清理过期记录"

    def handle(self, *args, **options):
        self.stdout.write(daily.run())
