"""Wagtail hooks of the newsroom: the admin article listing, the 阅读排行 report, the dashboard, what each role's menus and choosers offer, and the editor's word on what pasting drops."""

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.log_actions import LogFormatter

from news.admin_views import ARTICLE_COLUMNS, ArticleFilterSet, ArticleIndexView
from news.bulk_publish_check import refuse_blocked_pages
from news.dashboard import AwaitingReviewPanel, can_review
from news.go_live_check import (
    GO_LIVE_REFUSED,
    GO_LIVE_REFUSED_LABEL,
    RefusedGoLivePanel,
    refused_go_lives,
)
from news.hits.reports import MostReadPanel, MostReadView
from news.importing.views import ImportArticlesView, ImportJobView, can_import
from news.library import deletion
from news.models import ArticlePage
from news.review import (
    SET_SCHEDULE,
    confirmation,
    describe_schedule,
    replace_last_success_message,
)
from news.roles import works_on_pages


class PageWorkMenuItem(MenuItem):
    """A menu item for the people who work on pages, as Wagtail's own page reports are."""

    def is_shown(self, request):
        return works_on_pages(request.user)


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
    menu_item_class = PageWorkMenuItem


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
        path("import-articles/<int:pk>/", ImportJobView.as_view(), name="news_import_job"),
        path("reports/most-read/", MostReadView.as_view(), name="news_most_read"),
        path(
            "reports/most-read/results/",
            MostReadView.as_view(results_only=True),
            name="news_most_read_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_most_read_report_menu_item():
    return PageWorkMenuItem("阅读排行", reverse("news_most_read"), icon_name="pick", order=100)


@hooks.register("construct_homepage_panels")
def add_newsroom_panels(request, panels):
    # 待审核的稿件 takes the place of Wagtail's "awaiting your review", which lists the same
    # tasks; contact staff see Wagtail's own dashboard.
    panels[:] = [panel for panel in panels if panel.name != "workflow_objects_to_moderate"]
    if can_review(request.user):
        panels.append(AwaitingReviewPanel())
    if works_on_pages(request.user):
        panels.append(MostReadPanel())
        if refused := refused_go_lives():
            panels.append(RefusedGoLivePanel(refused))


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def say_what_the_review_action_did(request, page):
    # Wagtail confirms a reviewer's decision with "页面…已被更新。"; say what happened instead.
    if isinstance(page.specific_deferred, ArticlePage) and (text := confirmation(request, page)):
        replace_last_success_message(request, text)


@hooks.register("register_log_actions")
def register_schedule_log_action(actions):
    @actions.register_action(SET_SCHEDULE)
    class SetScheduleFormatter(LogFormatter):
        label = "设置发布计划"

        def format_message(self, log_entry):
            return f"设置发布计划（{describe_schedule(log_entry.revision)}）"


@hooks.register("register_log_actions")
def register_go_live_refused_log_action(actions):
    @actions.register_action(GO_LIVE_REFUSED)
    class GoLiveRefusedFormatter(LogFormatter):
        label = GO_LIVE_REFUSED_LABEL

        def format_message(self, log_entry):
            findings = "；".join(log_entry.data.get("findings", []))
            return f"定时发布未能上线，发布计划已取消（错敏词：{findings}）"


@hooks.register("construct_page_chooser_queryset")
def only_published_pages_for_non_editors(pages, request):
    # Contact staff may link to a page, but have no business seeing titles of unpublished drafts.
    if works_on_pages(request.user):
        return pages
    return pages.live()


@hooks.register("construct_reports_menu")
def page_type_report_for_administrators_only(request, menu_items):
    # A table of model names (news.articlepage…) that tells editors nothing.
    if not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name != "page-types-usage"]


@hooks.register("insert_editor_js")
def editor_scripts():
    # paste-check: says what pasting from Word dropped; save-once: a click during an autosave of
    # a new page waits for it instead of creating the page twice; checks-in-turn: the preview's
    # checks, started again on each reload, wait for the one running instead of failing;
    # picker-escape: Esc closes a date picker without closing the dialog around it.
    scripts = [
        "js/admin/paste-check.js",
        "js/admin/save-once.js",
        "js/admin/checks-in-turn.js",
        "js/admin/picker-escape.js",
    ]
    return format_html_join(
        "", '<script src="{}" defer></script>', ((static(path),) for path in scripts)
    )


@hooks.register("insert_global_admin_js")
def upload_checks():
    # The image and document libraries' file fields refuse a file over the size limit before it
    # is sent, and forget a refused file's message when another is chosen (news/library/uploads.py).
    return format_html('<script src="{}" defer></script>', static("js/admin/upload-checks.js"))


# Deleting, or moving to another collection, a picture or document a live page shows is for
# reviewers, as replacing its file is (news/library/deletion.py). Listed before Wagtail's own
# image and document pages (this app comes first), so these answer their addresses.
hooks.register("register_admin_urls", deletion.delete_urls)
hooks.register("before_bulk_action", deletion.refuse_bulk_action)
# Bulk 发布 leaves out the pages the 错敏词 check blocks, and says which (news/bulk_publish_check.py).
hooks.register("before_bulk_action", refuse_blocked_pages)
