"""报告 → 内容检查: what the nightly re-scan (quality/rescan.py) found on live pages of the sites the
user works on, the findings that must be fixed first; each with its page (a link to edit it, for
who may: quality/page_address.py), the words around it, the right form, its effect (须改正, 已放行
for a 规范表述 a reviewer kept, 提醒) and the editor who last saved the page. Exported as CSV or
XLSX. Seen by the 内容安全管理 role, the reviewers and superusers (the `view_scanfinding`
permission, quality/safety_roles.py)."""

import django_filters
from django.utils.timezone import localdate
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from core.content_gate import KIND_NAMES
from core.spreadsheets import SafeSpreadsheetExportMixin
from core.staff_sites import sites_for
from news.admin_views import LocalDateTimeColumn
from quality.page_address import PageTitleColumn
from quality.scan_findings import ScanFinding


class ScanFindingFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label="类型", choices=list(KIND_NAMES.items()))

    class Meta:
        model = ScanFinding
        fields = ["kind"]


class ScanFindingsView(SafeSpreadsheetExportMixin, ReportView):
    page_title = "内容检查 · 错敏词"
    header_icon = "warning"
    index_url_name = "quality_scan_findings"
    index_results_url_name = "quality_scan_findings_results"
    filterset_class = ScanFindingFilterSet
    paginate_by = 50
    model = ScanFinding
    permission_policy = ModelPermissionPolicy(ScanFinding)
    any_permission_required = ["view"]
    columns = [
        PageTitleColumn("page_title", label="页面"),
        Column("kind_name", label="类型"),
        Column("effect", label="影响"),
        Column("word", label="词语"),
        Column("right", label="正确形式"),
        Column("where", label="位置"),
        Column("context", label="上下文"),
        Column("editor_name", label="编辑"),
        LocalDateTimeColumn("found_at", label="检查时间"),
    ]
    list_export = [
        "page_title",
        "page_url",
        "kind_name",
        "effect",
        "word",
        "right",
        "where",
        "context",
    ]
    list_export += ["editor_name", "found_at"]
    export_headings = {
        "page_title": "页面",
        "page_url": "网址",
        "kind_name": "类型",
        "effect": "影响",
        "word": "词语",
        "right": "正确形式",
        "where": "位置",
        "context": "上下文",
        "editor_name": "编辑",
        "found_at": "检查时间",
    }

    def get_queryset(self):
        findings = ScanFinding.objects.filter(site__in=sites_for(self.request.user))
        return findings.select_related("page", "editor").order_by(*ScanFinding._meta.ordering)

    def get_filename(self):
        return f"内容检查-{localdate():%Y%m%d}"
