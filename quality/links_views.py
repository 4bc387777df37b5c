"""报告 → 失效链接: each link of a live page whose last check found a problem, with its page (a
link to edit it, for who may: quality/page_address.py), where on the page, the editor, the
outcome and when it was checked; filtered by outcome and kind, exported as XLSX or CSV; and 立即检查, which starts a check of the user's
sites in the background (quality/links.py) and returns at once."""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.timezone import localdate
from django.views.decorators.http import require_POST
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView

from core.spreadsheets import SafeSpreadsheetExportMixin
from core.staff_sites import sites_for
from news.admin_views import LocalDateTimeColumn
from quality import links
from quality.link_checker import OUTCOMES
from quality.links_models import KINDS, FoundLink
from quality.page_address import PageTitleColumn

PERMISSION = "quality.check_links"


def may_check_links(user):
    return user.is_active and user.has_perm(PERMISSION)


class BrokenLinkFilterSet(WagtailFilterSet):
    outcome = django_filters.ChoiceFilter(
        label="检查结果",
        field_name="target__outcome",
        choices=[(outcome, OUTCOMES[outcome]) for outcome in links.PROBLEMS],
        empty_label="全部问题",
    )
    kind = django_filters.ChoiceFilter(
        label="类型", field_name="target__kind", choices=list(KINDS.items()), empty_label="全部"
    )

    class Meta:
        model = FoundLink
        fields = []


class BrokenLinksView(SafeSpreadsheetExportMixin, ReportView):
    page_title = "失效链接"
    header_icon = "warning"
    index_url_name = "quality_broken_links"
    index_results_url_name = "quality_broken_links_results"
    results_template_name = "quality/admin/broken_links_results.html"
    filterset_class = BrokenLinkFilterSet
    paginate_by = 50
    model = FoundLink
    columns = [
        PageTitleColumn("page", label="页面", accessor="page.title"),
        Column("where", label="位置"),
        Column("shown_address", label="链接"),
        Column("text", label="链接文字"),
        Column("outcome_name", label="结果"),
        Column("detail", label="说明", accessor="target.detail"),
        Column("editor_name", label="编辑"),
        LocalDateTimeColumn("checked_at", label="上次检查", accessor="target.checked_at"),
    ]
    list_export = [
        "page.title",
        "page.url",
        "where",
        "shown_address",
        "text",
        "outcome_name",
        "target.status",
        "target.detail",
        "editor_name",
        "target.checked_at",
    ]
    export_headings = {
        "page.title": "页面",
        "page.url": "页面网址",
        "where": "位置",
        "shown_address": "链接",
        "text": "链接文字",
        "outcome_name": "结果",
        "target.status": "HTTP 状态",
        "target.detail": "说明",
        "editor_name": "编辑",
        "target.checked_at": "上次检查",
    }

    def dispatch(self, request, *args, **kwargs):
        if not may_check_links(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        sites = sites_for(self.request.user)
        return links.broken_links(FoundLink.objects.filter(site__in=sites)).order_by(
            "page__path", "pk"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sites = list(sites_for(self.request.user))
        context["runs"] = [
            {
                "site": site,
                "running": links.running(site),
                "last": links.last_run(site),
                # The counts of the rows below: links are judged again between checks.
                "now": links.summary(site),
            }
            for site in sites
        ]
        context["several_sites"] = len(sites) > 1
        return context

    def get_filename(self):
        return f"失效链接-{localdate():%Y%m%d}"


@require_POST
def check_now(request):
    """立即检查: a check of each of the user's sites starts in the background."""
    if not may_check_links(request.user):
        raise PermissionDenied
    started = [site for site in sites_for(request.user) if links.start_check(site, request.user)]
    if started:
        messages.success(request, "已开始检查链接。检查在后台进行，完成后刷新本页即可看到结果。")
    else:
        messages.info(request, "链接检查正在进行中，请稍后刷新本页查看结果。")
    return redirect("quality_broken_links")
