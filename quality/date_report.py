"""报告 → 内容检查 · 发布时间: the live articles whose 发布时间 is later than their first publication
beyond the tolerance with no reason on record (quality/date_changes.py date_findings), each with a
link to fix it; and 发布时间变更记录, every recorded change (old, new, who, when, reason). Both
export to CSV and XLSX. A view of their own, so that the 内容检查 page of the 错敏词 re-scan can
link to or include them. Each lists the sites the user is tied to (core/staff_sites.py)."""

from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy

from core import date_gate
from core.spreadsheets import SafeSpreadsheetExportMixin
from core.staff_sites import sites_for
from news.admin_views import LocalDateTimeColumn
from news.hits.reports import with_column_title
from news.models import ArticlePage
from quality.date_changes import date_findings
from quality.date_models import DateChange
from quality.page_address import PageTitleColumn


def days_later(article):
    days = (article.published_at - article.first_published_at).total_seconds() / 86400
    return f"{days:.1f}"


def person(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


class DateReportPermission:
    """Who reads the date reports: whoever may view the change records (内容安全管理, quality/
    roles.py) and superusers."""

    permission_policy = ModelPermissionPolicy(DateChange)
    any_permission_required = ["view"]


class DateFindingsView(DateReportPermission, SafeSpreadsheetExportMixin, ReportView):
    page_title = "内容检查 · 发布时间"
    header_icon = "date"
    index_url_name = "quality_date_findings"
    index_results_url_name = "quality_date_findings_results"
    paginate_by = 50
    model = ArticlePage
    columns = [
        PageTitleColumn("title", label="文章", page_accessor=None),
        Column("column_title", label="栏目"),
        LocalDateTimeColumn("published_at", label="发布时间"),
        LocalDateTimeColumn("first_published_at", label="首次发布"),
        Column("days_later", label="晚于首次发布（天）", accessor=days_later),
        Column("editor", label="责任编辑"),
        Column("last_editor", label="最后修改人", accessor=lambda a: person(last_user(a))),
    ]
    list_export = [
        "title",
        "column_title",
        "full_url",
        "published_at",
        "first_published_at",
        "editor",
        "latest_revision.user",
    ]
    export_headings = {
        "title": "标题",
        "column_title": "栏目",
        "full_url": "网址",
        "published_at": "发布时间",
        "first_published_at": "首次发布",
        "editor": "责任编辑",
        "latest_revision.user": "最后修改人",
    }

    @property
    def header_buttons(self):
        return [
            HeaderButton("发布时间变更记录", reverse("quality_date_changes"), icon_name="history")
        ]

    def get_queryset(self):
        found = [article.pk for article in date_findings(sites_for(self.request.user))]
        articles = ArticlePage.objects.filter(pk__in=found).select_related("latest_revision__user")
        return with_column_title(articles).order_by("-published_at", "-pk")

    def get_filtered_queryset(self):
        return self.get_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tolerance_days"] = date_gate.tolerance().days
        return context

    def get_filename(self):
        return f"内容检查-发布时间-{timezone.localdate():%Y%m%d}"


def last_user(article):
    revision = article.latest_revision
    return revision.user if revision is not None else None


class DateChangesView(DateReportPermission, SafeSpreadsheetExportMixin, ReportView):
    page_title = "发布时间变更记录"
    header_icon = "history"
    index_url_name = "quality_date_changes"
    index_results_url_name = "quality_date_changes_results"
    paginate_by = 50
    model = DateChange
    columns = [
        PageTitleColumn("title", label="文章"),
        LocalDateTimeColumn("old", label="原发布时间"),
        LocalDateTimeColumn("new", label="新发布时间"),
        LocalDateTimeColumn("first_published_at", label="首次发布"),
        Column("origin", label="来源", accessor=lambda c: c.get_origin_display()),
        Column("changed_by", label="修改人", accessor=lambda c: person(c.changed_by)),
        Column("published_by", label="发布人", accessor=lambda c: person(c.published_by)),
        LocalDateTimeColumn("at", label="时间"),
        Column("reason", label="理由"),
        Column("reason_by", label="理由填写人", accessor=lambda c: person(c.reason_by)),
    ]
    list_export = [
        "title",
        "old",
        "new",
        "first_published_at",
        "get_origin_display",
        "changed_by",
        "published_by",
        "at",
        "reason",
        "reason_by",
    ]
    export_headings = {
        "title": "文章",
        "old": "原发布时间",
        "new": "新发布时间",
        "first_published_at": "首次发布",
        "get_origin_display": "来源",
        "changed_by": "修改人",
        "published_by": "发布人",
        "at": "时间",
        "reason": "理由",
        "reason_by": "理由填写人",
    }

    @property
    def header_buttons(self):
        return [
            HeaderButton("内容检查 · 发布时间", reverse("quality_date_findings"), icon_name="date")
        ]

    def get_queryset(self):
        changes = DateChange.objects.filter(site__in=sites_for(self.request.user))
        return changes.select_related("page", "changed_by", "published_by", "reason_by")

    def get_filename(self):
        return f"发布时间变更记录-{timezone.localdate():%Y%m%d}"
