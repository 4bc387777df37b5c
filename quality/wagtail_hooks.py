"""The content quality app in the admin: 内容安全 (the 错敏词 lists and their allow-list,
quality/word_admin.py) and the log's words for the decisions taken on findings and lists."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

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
