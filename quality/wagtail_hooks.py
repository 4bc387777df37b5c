"""The content quality app in the admin: 内容安全 (the 错敏词 lists and their allow-list,
quality/word_admin.py) and the log's words for the decisions taken on findings and lists; the
报告 内容检查 and 失效链接 (quality/links_views.py), and what an editor opening a page is told of
its broken links."""

from django.urls import path, reverse
from django.utils.timezone import localtime
from wagtail import hooks
from wagtail.admin import messages as admin_messages
from wagtail.admin.menu import MenuItem

from quality import links
from quality.links_views import BrokenLinksView, check_now, may_check_links
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
