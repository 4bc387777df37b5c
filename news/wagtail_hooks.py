"""Wagtail hooks of the newsroom: pages served for reading only, marking the article a request
serves, the admin article listing, and the 阅读排行 report."""

from django.http import HttpResponse, HttpResponseNotAllowed
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.permission_policies.pages import PagePermissionPolicy

from .admin_views import ARTICLE_COLUMNS, ArticleFilterSet, ArticleIndexView, MostReadView
from .dashboard import AwaitingReviewPanel, MostReadPanel
from .hits import COUNTABLE_PAGE_ATTR
from .import_views import ImportArticlesView, can_import
from .models import ArticlePage

READ_METHODS = ("GET", "HEAD")


@hooks.register("before_serve_page")
def only_reading(page, request, serve_args, serve_kwargs):
    """Pages are for reading: anything but GET and HEAD gets 405 (OPTIONS says what is allowed)."""
    if request.method in READ_METHODS:
        return None
    if request.method == "OPTIONS":
        response = HttpResponse()
        response["Allow"] = ", ".join([*READ_METHODS, "OPTIONS"])
        return response
    return HttpResponseNotAllowed(READ_METHODS)


@hooks.register("before_serve_page")
def mark_countable_article(page, request, serve_args, serve_kwargs):
    # The counter identifies the article by the page actually served, never by parsing the URL.
    if (
        isinstance(page, ArticlePage)
        and page.live
        and not serve_kwargs.get("redirect_to_canonical")
    ):
        setattr(request, COUNTABLE_PAGE_ATTR, page.pk)


class ArticleListingViewSet(PageListingViewSet):
    """文章: every article in one listing, with its column, date, source, status and click count."""

    model = ArticlePage
    name = "articles"
    icon = "doc-full"
    menu_label = "文章"
    menu_order = 150
    add_to_admin_menu = True
    index_view_class = ArticleIndexView
    columns = ARTICLE_COLUMNS
    filterset_class = ArticleFilterSet


@hooks.register("register_admin_viewset")
def register_article_listing():
    return ArticleListingViewSet()


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_import(request.user)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        "导入文章", reverse("news_import_articles"), icon_name="upload", order=160
    )


@hooks.register("register_admin_urls")
def register_most_read_report_urls():
    return [
        path("import-articles/", ImportArticlesView.as_view(), name="news_import_articles"),
        path("reports/most-read/", MostReadView.as_view(), name="news_most_read"),
        path(
            "reports/most-read/results/",
            MostReadView.as_view(results_only=True),
            name="news_most_read_results",
        ),
    ]


class PageReportMenuItem(MenuItem):
    """Shown to the people who work on pages, as Wagtail's own page reports are."""

    def is_shown(self, request):
        return PagePermissionPolicy().user_has_any_permission(
            request.user, {"add", "change", "publish"}
        )


@hooks.register("register_reports_menu_item")
def register_most_read_report_menu_item():
    return PageReportMenuItem("阅读排行", reverse("news_most_read"), icon_name="pick", order=100)


@hooks.register("construct_homepage_panels")
def add_newsroom_panels(request, panels):
    # Only for the people who work on articles; contact staff see Wagtail's own dashboard.
    if PagePermissionPolicy().user_has_any_permission(request.user, {"add", "change", "publish"}):
        panels.extend([AwaitingReviewPanel(), MostReadPanel()])
