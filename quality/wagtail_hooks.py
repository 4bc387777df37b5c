"""The content quality app in the admin: 内容安全 (the 错敏词 lists and their allow-list,
quality/word_admin.py), the log's words for the decisions taken on findings and lists, 报告 →
内容检查, and 栏目更新监测 (quality/freshness_report.py)."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from quality import freshness_mail
from quality.freshness_report import (
    FreshnessPanel,
    FreshnessReportMenuItem,
    FreshnessReportView,
    freshness_menu_item,
    has_news,
)
from quality.overrides import ACTIONS as OVERRIDE_ACTIONS
from quality.scan_report import ScanFindingsView
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
        "内容检查", reverse("quality_scan_findings"), icon_name="warning", order=110
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
