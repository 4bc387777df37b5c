"""The content quality app in the admin: 内容安全 (the 错敏词 lists and their allow-list,
quality/word_admin.py), its reports under 报告, and the log's words for the decisions taken on
findings, lists and dates."""

from django import forms
from django.contrib import messages
from django.contrib.auth.models import Permission
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from core import date_gate
from news.models import ArticlePage
from quality import date_changes
from quality.date_report import DateChangesView, DateFindingsView, DateReportPermission
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


# Every report's permission --------------------------------------------------------------------

REPORT_PERMISSIONS = ["view_scanfinding", "view_datechange", "view_publishingstats"]


@hooks.register("register_permissions")
def register_report_permissions():
    # The group form offers only registered permissions, and saving a group keeps only what it
    # offers: unregistered, 审核 would lose these at the next edit of the group, and an
    # administrator could not give them to another group (设置 → 用户组).
    return Permission.objects.filter(
        content_type__app_label="quality", codename__in=REPORT_PERMISSIONS
    )
