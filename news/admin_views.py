"""The admin's 文章 listing: every article with its column, date, source, status and click count;
and Wagtail's bulk actions on pages, for the people who work on pages only."""

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.db.models.functions import Coalesce
from wagtail.admin.auth import require_admin_access
from wagtail.admin.ui.tables import Column
from wagtail.admin.ui.tables.pages import (
    BulkActionsColumn,
    PageStatusColumn,
    PageTitleColumn,
    ParentPageColumn,
)
from wagtail.admin.views.bulk_action import index as bulk_action
from wagtail.admin.views.pages.listing import IndexView, PageFilterSet

from news.models import ArticlePage, NewsIndexPage
from news.roles import works_on_pages


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
    # Newest first, as the site lists them; Wagtail's default is the last edited first.
    default_ordering = "-published_at"

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


@require_admin_access
def page_bulk_action(request, action):
    """Wagtail's bulk action on pages (publish, unpublish, move, delete …). Its confirmation page
    names every page whose id is in the address, drafts included, whoever asks; contact staff,
    who have no pages to act on, get 403 instead of the titles."""
    if not works_on_pages(request.user):
        raise PermissionDenied
    return bulk_action(request, "wagtailcore", "page", action)
