"""`manage.py quality_daily`: the content quality daily job now, for those who run it from cron
rather than in the serving processes (quality/nightly.py). Safe to run again the same day."""

from django.core.management.base import BaseCommand

from quality import nightly


class Command(BaseCommand):
    help = "运行内容质量每日任务"

    def handle(self, *args, **options):
        self.stdout.write(nightly.run())
