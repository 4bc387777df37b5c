"""manage.py setup_site: the page tree, a search index built the current way, a private database
file, with --demo the demo content when there are no articles yet, and 相关阅读's key words
(manage.py rebuild_related) when the demo was loaded or they were never built."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from wagtail.models import Site

from core.signal_handlers import demo_content_loaded
from news.importing.demo import load_demo_content
from news.models import ArticlePage
from news.related.models import IndexedArticle
from news.search import indexing
from news.search.backend import index_is_current, rebuild_index
from news.sitetree import ensure_site_tree


class Command(BaseCommand):
    help = (
        "建立站点结构（首页、栏目、联系我们页面）；加 --demo 时在没有文章的数据库中载入示例内容。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="数据库中没有文章时载入示例内容")

    def handle(self, *args, demo, **options):
        keep_the_database_file_private()
        site = ensure_site_tree()
        loaded = False
        if demo and not ArticlePage.objects.exists():
            loaded = True
            load_demo_content(site)
            # The demo content of the apps news may not import (互动交流).
            demo_content_loaded.send(sender=Site, site=site)
            self.stdout.write(demo_summary())
        if not index_is_current():
            # A new site, or one whose index was built another way (Chinese titles as whole
            # words, entities as words).
            rebuild_index(stdout=self.stdout)
            self.stdout.write("已重建搜索索引。")
        if loaded or (not IndexedArticle.objects.exists() and ArticlePage.objects.live().exists()):
            # Published one by one, the demo's first articles were weighed among few others.
            call_command("rebuild_related", stdout=self.stdout)
        if not indexing.is_current():
            # The public search's own table (news/search/entries.py), built another way or never.
            indexing.rebuild(stdout=self.stdout)
            self.stdout.write("已重建公众搜索的检索表。")
        self.stdout.write("站点结构已就绪。")


def demo_summary():
    """How many articles the demo gave, as a reader counts them: an article published into a
    second column (一稿多发) is one article, not two."""
    articles = ArticlePage.objects.live()
    copies = articles.exclude(alias_of__isnull=True).count()
    message = f"已载入示例内容：{articles.originals().count()} 篇文章"
    if copies:
        message += f"（其中 {copies} 篇同时发布在另一个栏目）"
    return message + "。"


def keep_the_database_file_private():
    """An SQLite database (and its -wal and -shm files, which SQLite creates with the database's
    own mode) readable by its owner only: it holds every account's password hash."""
    if connection.vendor != "sqlite":
        return
    path = Path(connection.settings_dict["NAME"])
    for file in [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]:
        if file.exists():
            file.chmod(0o600)
