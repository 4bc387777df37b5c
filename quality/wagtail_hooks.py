"""The admin of content quality."""

from django.urls import path, reverse
from wagtail import hooks

from quality import freshness_mail
from quality.freshness_report import (
    FreshnessPanel,
    FreshnessReportMenuItem,
    FreshnessReportView,
    freshness_menu_item,
    has_news,
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
        "栏目更新", reverse("quality_freshness"), icon_name="time", order=110
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
