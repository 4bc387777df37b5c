"""The content quality app in the admin: 内容安全 (the 错敏词 lists and their allow-list,
quality/word_admin.py), the 检查错敏词 button of the page editor (quality/check_button.py), its
reports under 报告, the log's words for the decisions taken on findings, lists and dates,
栏目更新监测's dashboard panel and menu item (quality/freshness_report.py), and what an editor
opening a page is told of its broken links."""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.models import Permission
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin import messages as admin_messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.reports import ReportView

from core import date_gate
from news.models import ArticlePage
from quality import date_changes, freshness_mail, links
from quality.check_button import CheckMenuItem, CheckView
from quality.date_report import DateChangesView, DateFindingsView
from quality.freshness_report import (
    FreshnessPanel,
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


# 发布时间 (quality/date_changes.py, quality/date_report.py) ----------------------------------------


@hooks.register("register_log_actions")
def register_date_actions(actions):
    for action, label in date_changes.ACTIONS.items():
        actions.register_action(action, label, label)


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


@hooks.register("before_copy_page")
def refuse_published_copies_of_unexplained_dates(request, page):
    """A copy kept live is first published now, with the original's 发布时间: a date more than
    the tolerance ahead would need a reason the copy cannot have yet, and a refusal from inside
    the copy could no longer undo it. So the copy is refused, named, before anything is made."""
    if request.method != "POST" or not date_gate.asks_reasons():
        return None
    checkbox = forms.CheckboxInput()
    if not checkbox.value_from_datadict(request.POST, None, "publish_copies"):
        return None
    if checkbox.value_from_datadict(request.POST, None, "alias"):
        return None  # an alias is the original itself in another column
    pages = [page]
    if checkbox.value_from_datadict(request.POST, None, "copy_subpages"):
        pages += list(page.get_descendants().live())
    now = timezone.now()
    refused = []
    for one in pages:
        if not one.live or not issubclass(one.specific_class or object, ArticlePage):
            continue
        article = one.specific
        when = article.published_at
        if date_gate.beyond_tolerance(when, now) and not date_changes.imported(article, when):
            refused.append(f"《{article.title}》{date_gate.in_words(when, now)}")
    if not refused:
        return None
    messages.error(
        request,
        "未复制：" + "；".join(refused) + "。请不勾选“发布副本”复制为草稿，"
        f"由审核人员在副本的编辑页面写明“{date_gate.REASON_LABEL}”后发布。",
    )
    return redirect(request.get_full_path())


# 失效链接 ---------------------------------------------------------------------------------------

EDITOR_LINKS_SHOWN = 5


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
        f"（{timezone.localtime(checked):%Y-%m-%d %H:%M} 检查）：{shown}{more}。请修改后重新发布。"
    )
    buttons = []
    if may_check_links(request.user):
        buttons.append(admin_messages.button(reverse("quality_broken_links"), "查看失效链接报告"))
    admin_messages.warning(request, text, buttons=buttons)
    return None


# 栏目更新监测 (quality/freshness.py) -------------------------------------------------------------
# 报告 → 栏目更新, the dashboard's panel and the 栏目更新预警（N） menu item (quality/freshness_report.py),
# and the daily job's warnings in each column's history (quality/freshness_mail.py).


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


# The reports under 报告 -------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    title: str
    address: str
    view: type
    name: str
    icon: str
    # The permission (of the quality app) that shows the report; its view refuses anyone else.
    permission: str


REPORTS = [
    Report(
        "内容检查 · 错敏词",
        "reports/content-check/words/",
        ScanFindingsView,
        "quality_scan_findings",
        "warning",
        "view_scanfinding",
    ),
    Report(
        "内容检查 · 发布时间",
        "reports/content-check/dates/",
        DateFindingsView,
        "quality_date_findings",
        "date",
        "view_datechange",
    ),
    Report(
        "栏目更新",
        "reports/freshness/",
        FreshnessReportView,
        "quality_freshness",
        "time",
        "view_freshness_report",
    ),
    Report(
        "失效链接",
        "reports/broken-links/",
        BrokenLinksView,
        "quality_broken_links",
        "link",
        "check_links",
    ),
    Report(
        "发稿统计",
        "reports/publishing/",
        PublishingStatsView,
        "quality_publishing_stats",
        "table",
        "view_publishingstats",
    ),
]
# Pages reached from a report rather than from the menu.
LINKED = [
    ("reports/content-check/date-changes/", DateChangesView, "quality_date_changes"),
]


def report_urls(address, view, name):
    urls = [path(address, view.as_view(), name=name)]
    if issubclass(view, ReportView):
        # The part of a listing Wagtail reloads when a filter changes.
        results = view.as_view(results_only=True)
        urls.append(path(f"{address}results/", results, name=f"{name}_results"))
    return urls


@hooks.register("register_admin_urls")
def register_report_urls():
    urls = [path("reports/broken-links/check/", check_now, name="quality_check_links")]
    for report in REPORTS:
        urls += report_urls(report.address, report.view, report.name)
    for address, view, name in LINKED:
        urls += report_urls(address, view, name)
    return urls


class ReportMenuItem(MenuItem):
    def __init__(self, report, order):
        super().__init__(report.title, reverse(report.name), icon_name=report.icon, order=order)
        self.permission = f"quality.{report.permission}"

    def is_shown(self, request):
        return request.user.is_active and request.user.has_perm(self.permission)


def menu_item_registrar(report, order):
    return lambda: ReportMenuItem(report, order)


for number, each in enumerate(REPORTS):
    hooks.register("register_reports_menu_item", menu_item_registrar(each, 110 + 10 * number))


@hooks.register("register_permissions")
def register_report_permissions():
    # The group form offers only registered permissions, and saving a group keeps only what it
    # offers: unregistered, 审核 would lose these at the next edit of the group, and an
    # administrator could not give them to another group (设置 → 用户组).
    return Permission.objects.filter(
        content_type__app_label="quality",
        codename__in=[report.permission for report in REPORTS],
    )
