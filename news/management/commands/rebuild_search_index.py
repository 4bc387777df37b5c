"""manage.py rebuild_search_index: the public search's table (news/search/entries.py) built afresh
from the live articles, and Wagtail's index (the admin's search) with it."""

import time

from django.core.management.base import BaseCommand

from news.search import indexing
from news.search.backend import rebuild_index


class Command(BaseCommand):
    help = "重建站内搜索索引（公众搜索的检索表与后台搜索索引）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--public-only", action="store_true", help="只重建公众搜索的检索表，不重建后台索引"
        )

    def handle(self, *args, public_only, **options):
        started = time.monotonic()
        written = indexing.rebuild(stdout=self.stdout)
        self.stdout.write(
            f"公众搜索已索引 {written} 篇文章，用时 {time.monotonic() - started:.1f} 秒。"
        )
        if not public_only:
            rebuild_index(stdout=self.stdout)
            self.stdout.write("后台搜索索引已重建。")
