"""`manage.py interaction_daily`: the 互动交流 daily job now, for those who run it from cron
rather than in the serving processes (interaction/daily_job.py). Safe to run again the same day."""

from django.core.management.base import BaseCommand

from interaction import daily_job


class Command(BaseCommand):
    help = "运行互动交流每日任务：发送来信到期提醒、删除保存期满的联系信息"

    def handle(self, *args, **options):
        self.stdout.write(daily_job.run())
