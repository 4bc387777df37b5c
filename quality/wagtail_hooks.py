"""The admin of content quality: its reports under 报告, its entries in Wagtail's log, and what
an editor is told in the page editor."""

from django.urls import path, reverse
from django.utils.timezone import localtime
from wagtail import hooks
from wagtail.admin import messages as admin_messages
from wagtail.admin.menu import MenuItem

from quality import links
from quality.links_views import BrokenLinksView, check_now, may_check_links

# 失效链接 (quality/links.py, quality/links_views.py).

EDITOR_LINKS_SHOWN = 5


class BrokenLinksMenuItem(MenuItem):
    def is_shown(self, request):
        return may_check_links(request.user)


@hooks.register("register_admin_urls")
def register_broken_links_urls():
    return [
        path("reports/broken-links/", BrokenLinksView.as_view(), name="quality_broken_links"),
        path(
            "reports/broken-links/results/",
            BrokenLinksView.as_view(results_only=True),
            name="quality_broken_links_results",
        ),
        path("reports/broken-links/check/", check_now, name="quality_check_links"),
    ]


@hooks.register("register_reports_menu_item")
def register_broken_links_menu_item():
    return BrokenLinksMenuItem(
        "失效链接", reverse("quality_broken_links"), icon_name="warning", order=300
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
