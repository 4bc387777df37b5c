"""manage.py setup_site: the page tree, a search index that segments Chinese, and with --demo the
demo content when there are no articles yet."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from news.models import ArticlePage
from news.search_backend import index_is_segmented
from news.sitetree import ensure_site_tree, load_demo_content


class Command(BaseCommand):
    help = "建立站点结构(首页、栏目、联系我们页面);加 --demo 时在没有文章的数据库中载入示例内容。"

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="数据库中没有文章时载入示例内容")

    def handle(self, *args, demo, **options):
        site = ensure_site_tree()
        if demo and not ArticlePage.objects.exists():
            load_demo_content(site)
            self.stdout.write(f"已载入示例内容:{ArticlePage.objects.count()} 篇文章。")
        if not index_is_segmented():
            # A site upgraded from a version that indexed Chinese titles as whole words.
            call_command("update_index", stdout=self.stdout)
            self.stdout.write("已重建搜索索引,中文词语可在标题中找到。")
        self.stdout.write("站点结构已就绪。")
