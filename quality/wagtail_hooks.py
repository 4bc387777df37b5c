"""The content quality app in the admin: 内容安全 (the 错敏词 lists and their allow-list,
quality/word_admin.py), the 检查错敏词 button of the page editor (quality/check_button.py), its
reports under 报告, the log's words for the decisions taken on findings, lists and dates,
栏目更新监测's dashboard panel and menu item (quality/freshness_report.py), and what an editor
opening a page is told of its broken links."""

from django.contrib import messages
from django.contrib.auth.models import Permission
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.timezone import localtime
from wagtail import hooks
from wagtail.admin import messages as admin_messages
from wagtail.admin.menu import MenuItem

from core import date_gate
from news.models import ArticlePage
from quality import date_changes, freshness_mail, links
from quality.check_button import CheckMenuItem, CheckView
from quality.date_report import DateChangesView, DateFindingsView, DateReportPermission
from quality.freshness_report import (
    FreshnessPanel,
    FreshnessReportMenuItem,
    FreshnessReportView,
    freshness_menu_item,
    has_news,
)
from quality.links_views import BrokenLinksView, check_now, may_check_links
from quality.overrides import ACTIONS as OVERRIDE_ACTIONS
from quality.scan_report import ScanFindingsView
from quality.stats_views import PublishingStatsView
from quality.word_admin import ACTIONS as WORD_LIST_ACTIONS
from quality.word_admin import ContentSafetyMenu

# 错敏词 -----------------------------------------------------------------------------------------


@hooks.register("register_log_actions")
def register_word_check_actions(actions):
    for action, label in OVERRIDE_ACTIONS.items():
        actions.register_action(action, label, label)


@hooks.register("register_log_actions")
def register_word_list_actions(actions):
    for action, label in WORD_LIST_ACTIONS.items():
        actions.register_action(action, label, label)


@hooks.register("register_admin_viewset")
def register_content_safety_menu():
    return ContentSafetyMenu()


# 检查错敏词 in the page editor (quality/check_button.py) ------------------------------------------


@hooks.register("register_admin_urls")
def register_check_urls():
    return [
        path("quality/check/<int:page_id>/", CheckView.as_view(), name="quality_check_page"),
        path(
            "quality/check/new/<slug:app_label>/<slug:model_name>/<int:parent_id>/",
            CheckView.as_view(),
            name="quality_check_new_page",
        ),
    ]


@hooks.register("register_page_action_menu_item")
def register_check_menu_item():
    return CheckMenuItem(order=60)


# 内容检查 ---------------------------------------------------------------------------------------


class ScanFindingsMenuItem(MenuItem):
    def is_shown(self, request):
        return ScanFindingsView.permission_policy.user_has_permission(request.user, "view")


@hooks.register("register_admin_urls")
def register_scan_findings_urls():
    return [
        path("quality/content-check/", ScanFindingsView.as_view(), name="quality_scan_findings"),
        path(
            "quality/content-check/results/",
            ScanFindingsView.as_view(results_only=True),
            name="quality_scan_findings_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_scan_findings_menu_item():
    return ScanFindingsMenuItem(
        "内容检查 · 错敏词", reverse("quality_scan_findings"), icon_name="warning", order=110
    )


# 发布时间 (quality/date_changes.py, quality/date_report.py) ----------------------------------------


@hooks.register("register_log_actions")
def register_date_actions(actions):
    for action, label in date_changes.ACTIONS.items():
        actions.register_action(action, label, label)


@hooks.register("register_admin_urls")
def register_date_report_urls():
    return [
        path(
            "reports/content-check/dates/", DateFindingsView.as_view(), name="quality_date_findings"
        ),
        path(
            "reports/content-check/dates/results/",
            DateFindingsView.as_view(results_only=True),
            name="quality_date_findings_results",
        ),
        path(
            "reports/content-check/date-changes/",
            DateChangesView.as_view(),
            name="quality_date_changes",
        ),
        path(
            "reports/content-check/date-changes/results/",
            DateChangesView.as_view(results_only=True),
            name="quality_date_changes_results",
        ),
    ]


class DateReportMenuItem(MenuItem):
    def is_shown(self, request):
        permission = DateReportPermission
        return permission.permission_policy.user_has_any_permission(
            request.user, permission.any_permission_required
        )


@hooks.register("register_reports_menu_item")
def register_date_report_menu_item():
    return DateReportMenuItem(
        "内容检查 · 发布时间", reverse("quality_date_findings"), icon_name="date", order=300
    )


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_of_unexplained_dates(request, action_type, objects, action):
    """Bulk publishing has no form to ask for a reason: articles whose 发布时间 needs one stop
    the whole action, named, before anything is published."""
    if action_type != "publish":
        return None
    pages = list(objects)
    if request.POST.get("include_descendants"):
        for page in list(pages):
            pages.extend(page.get_descendants().not_live())
    refused = []
    for page in pages:
        if not issubclass(page.specific_class or object, ArticlePage):
            continue
        draft = page.specific.get_latest_revision_as_object()
        refusal = date_gate.reason_needed(draft, draft.published_at, draft.go_live_at)
        if refusal is not None:
            refused.append(f"《{draft.title}》{refusal}")
    if not refused:
        return None
    messages.error(
        request,
        "未发布任何页面："
        + "；".join(refused)
        + f"。须由审核人员在各文章的编辑页面写明“{date_gate.REASON_LABEL}”后发布。",
    )
    return redirect(action.next_url)


# 发稿统计 -------------------------------------------------------------------------------------


class PublishingStatsMenuItem(MenuItem):
    """Shown to those who may read it (the view refuses everyone else as well)."""

    def is_shown(self, request):
        return request.user.has_perm("quality.view_publishingstats")


@hooks.register("register_admin_urls")
def register_publishing_stats_urls():
    return [
        path("reports/publishing/", PublishingStatsView.as_view(), name="quality_publishing_stats")
    ]


@hooks.register("register_reports_menu_item")
def register_publishing_stats_menu_item():
    return PublishingStatsMenuItem(
        "发稿统计", reverse("quality_publishing_stats"), icon_name="table", order=110
    )


# 失效链接 ---------------------------------------------------------------------------------------

EDITOR_LINKS_SHOWN = 5


class BrokenLinksMenuItem(MenuItem):
    def is_shown(self, request):
        return may_check_links(request.user)


@hooks.register("register_admin_urls")
def register_broken_links_urls():
    return [
        path("quality/broken-links/", BrokenLinksView.as_view(), name="quality_broken_links"),
        path(
            "quality/broken-links/results/",
            BrokenLinksView.as_view(results_only=True),
            name="quality_broken_links_results",
        ),
        path("quality/broken-links/check/", check_now, name="quality_check_links"),
    ]


@hooks.register("register_reports_menu_item")
def register_broken_links_menu_item():
    return BrokenLinksMenuItem(
        "失效链接", reverse("quality_broken_links"), icon_name="link", order=120
    )


@hooks.register("register_log_actions")
def register_link_check_action(actions):
    actions.register_action(links.CHECKED, "检查失效链接", "检查失效链接")


@hooks.register("before_edit_page")
def tell_the_editor_of_broken_links(request, page):
    """The editor opening a page sees, above its form, the links of its live version that the
    last check found broken, and where they are."""
    if request.method != "GET":
        return None
    found = list(links.broken_links_of(page))
    if not found:
        return None
    checked = max(link.target.checked_at for link in found)
    shown = "；".join(link.described for link in found[:EDITOR_LINKS_SHOWN])
    more = f"等 {len(found)} 处" if len(found) > EDITOR_LINKS_SHOWN else ""
    text = (
        f"本页已发布的版本中有 {len(found)} 个链接有问题"
        f"（{localtime(checked):%Y-%m-%d %H:%M} 检查）：{shown}{more}。请修改后重新发布。"
    )
    buttons = []
    if may_check_links(request.user):
        buttons.append(admin_messages.button(reverse("quality_broken_links"), "查看失效链接报告"))
    admin_messages.warning(request, text, buttons=buttons)
    return None


# Every report's permission --------------------------------------------------------------------

REPORT_PERMISSIONS = [
    "view_scanfinding",
    "view_datechange",
    "view_publishingstats",
    "view_freshness_report",
    "check_links",
]


@hooks.register("register_permissions")
def register_report_permissions():
    # The group form offers only registered permissions, and saving a group keeps only what it
    # offers: unregistered, 审核 would lose these at the next edit of the group, and an
    # administrator could not give them to another group (设置 → 用户组).
    return Permission.objects.filter(
        content_type__app_label="quality", codename__in=REPORT_PERMISSIONS
    )


# 栏目更新监测 (quality/freshness.py) -------------------------------------------------------------
# 报告 → 栏目更新, the dashboard's panel and the 栏目更新预警（N） menu item (quality/freshness_report.py),
# and the daily job's warnings in each column's history (quality/freshness_mail.py).


@hooks.register("register_admin_urls")
def register_freshness_urls():
    return [
        path("reports/freshness/", FreshnessReportView.as_view(), name="quality_freshness"),
        path(
            "reports/freshness/results/",
            FreshnessReportView.as_view(results_only=True),
            name="quality_freshness_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_freshness_report_menu_item():
    return FreshnessReportMenuItem(
        "栏目更新", reverse("quality_freshness"), icon_name="time", order=120
    )


@hooks.register("construct_homepage_panels")
def add_freshness_panel(request, panels):
    if has_news(request):
        panels.append(FreshnessPanel())


@hooks.register("register_admin_menu_item")
def register_freshness_menu_item():
    return freshness_menu_item()


@hooks.register("register_log_actions")
def register_freshness_actions(actions):
    actions.register_action(freshness_mail.ACTION, "栏目更新预警", "发出栏目更新预警")
