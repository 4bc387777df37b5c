"""manage.py flush_hits: move click counts buffered in Redis into the database (for cron, if wanted)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from news.hits.store import flush


class Command(BaseCommand):
    help = "把 Redis 中缓冲的点击数写入数据库。站点有访问时会自动进行；也可以由 cron 定时运行。"

    def handle(self, *args, **options):
        if not settings.REDIS_URL:
            self.stdout.write("未设置 REDIS_URL：点击数直接写入数据库，无需写入。")
            return
        applied = flush()
        self.stdout.write(f"已写入 {applied} 次点击。")
