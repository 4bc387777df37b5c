"""The content quality admin: its entries in Wagtail's log and its reports under 报告."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from quality import date_changes
from quality.date_report import DateChangesView, DateFindingsView, DateReportPermission

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
