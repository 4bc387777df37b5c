"""manage.py rebuild_related: every live article's key words for 相关阅读 weighed again over the
whole site (news/related/upkeep.py), and the sites' pages refreshed. setup_site runs it when it
loads the demo content or finds the key words never built."""

from django.core.management.base import BaseCommand

from core import generation
from news.related.upkeep import rebuild


class Command(BaseCommand):
    help = "重新计算所有文章的“相关阅读”关键词（发布文章时会自动更新；批量导入后可运行一次）。"

    def handle(self, *args, **options):
        articles = rebuild()
        # Every article's 相关阅读 may have changed: cached ones are left behind.
        generation.bump(generation.ARTICLES)
        self.stdout.write(f"已为 {articles} 篇文章重建相关阅读关键词。")
