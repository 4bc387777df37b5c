"""The admin's 文章 listing: every article with its column, date, source, status and click count."""

import django_filters
from django.db.models import F
from django.db.models.functions import Coalesce
from wagtail.admin.ui.tables import Column
from wagtail.admin.ui.tables.pages import (
    BulkActionsColumn,
    PageStatusColumn,
    PageTitleColumn,
    ParentPageColumn,
)
from wagtail.admin.views.pages.listing import IndexView, PageFilterSet

from news.models import ArticlePage, NewsIndexPage


class ArticleFilterSet(PageFilterSet):
    column = django_filters.ModelChoiceFilter(
        label="栏目",
        queryset=NewsIndexPage.objects.all(),
        method="filter_column",
        empty_label="全部栏目",
    )

    class Meta(PageFilterSet.Meta):
        model = ArticlePage

    def filter_column(self, queryset, name, value):
        return queryset.child_of(value) if value else queryset


class LocalDateTimeColumn(Column):
    """A date and time as it reads on the site (2024-03-15 10:30, Beijing time), not "3 天前"."""

    cell_template_name = "news/admin/datetime_cell.html"


class ArticleIndexView(IndexView):
    def get_base_queryset(self):
        # A copy published into another column (一稿多发) shows its original's count, the one
        # count they share.
        views = Coalesce(F("alias_of__hit_count__hits"), F("hit_count__hits"))
        return super().get_base_queryset().annotate(views=views)


ARTICLE_COLUMNS = [
    BulkActionsColumn("bulk_actions"),
    PageTitleColumn("title", label="标题", classname="title"),
    ParentPageColumn("parent", label="栏目"),
    LocalDateTimeColumn("published_at", label="发布时间", sort_key="published_at"),
    Column("source", label="来源"),
    PageStatusColumn("status", label="状态", sort_key="live"),
    Column("views", label="点击数", sort_key="views"),
]
