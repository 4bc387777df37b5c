"""Where staff see the counts: 报告 → 阅读排行 (rank, title, column, publication time and the
views of the chosen period, exported as CSV or XLSX) and the dashboard's most-read panel."""

import django_filters
from django.db.models import F, OuterRef, Subquery, Window
from django.db.models.functions import Length, RowNumber, Substr
from django.utils.timezone import localdate
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from core.spreadsheets import SafeSpreadsheetExportMixin
from news.admin_views import LocalDateTimeColumn
from news.hits.ranking import DEFAULT_PERIOD, PERIODS, most_read, period_start
from news.models import ArticlePage

PANEL_ITEMS = 8


class PeriodFilterSet(WagtailFilterSet):
    period = django_filters.ChoiceFilter(
        label="时间范围", choices=list(PERIODS.items()), empty_label=None, method="keep"
    )

    def keep(self, queryset, name, value):
        return queryset  # the period shapes the ranking itself, in MostReadView.get_queryset

    class Meta:
        model = ArticlePage
        fields = []


def with_column_title(articles):
    """Annotate each article with its column's title in the same query (the parent's path is the
    article's path less one tree step)."""
    step = ArticlePage.steplen
    parents = Page.objects.filter(path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - step))
    return articles.annotate(column_title=Subquery(parents.values("title")[:1]))


class MostReadView(SafeSpreadsheetExportMixin, ReportView):
    """阅读排行: rank, title, column, publication time and the views in the chosen period."""

    page_title = "阅读排行"
    header_icon = "pick"
    index_url_name = "news_most_read"
    index_results_url_name = "news_most_read_results"
    results_template_name = "news/admin/most_read_results.html"
    filterset_class = PeriodFilterSet
    paginate_by = 50
    model = ArticlePage
    permission_policy = PagePermissionPolicy()
    any_permission_required = ["add", "change", "publish"]
    columns = [
        Column("rank", label="排名", width="8%"),
        TitleColumn("title", label="标题", url_name="wagtailadmin_pages:edit"),
        Column("column_title", label="栏目"),
        LocalDateTimeColumn("published_at", label="发布时间"),
        Column("views", label="点击数"),
    ]
    list_export = ["rank", "title", "column_title", "full_url", "published_at", "views"]
    export_headings = {
        "rank": "排名",
        "title": "标题",
        "column_title": "栏目",
        "full_url": "网址",
        "published_at": "发布时间",
        "views": "点击数",
    }

    @property
    def period(self):
        period = self.request.GET.get("period")
        return period if period in PERIODS else DEFAULT_PERIOD

    def get_filterset_kwargs(self):
        # The select shows the period the ranking is for, also when none was chosen.
        kwargs = super().get_filterset_kwargs()
        kwargs["data"] = {**kwargs["data"].dict(), "period": self.period}
        return kwargs

    def get_queryset(self):
        ranked = most_read(self.period).annotate(
            rank=Window(RowNumber(), order_by=[F("views").desc(), F("published_at").desc()])
        )
        return with_column_title(ranked)

    def get_filtered_queryset(self):
        return self.get_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        start = period_start(self.period)
        context["period_label"] = PERIODS[self.period]
        context["period_since"] = start
        return context

    def get_filename(self):
        return f"阅读排行-{PERIODS[self.period]}-{localdate():%Y%m%d}"


class MostReadPanel(Component):
    name = "news_most_read"
    order = 95
    template_name = "news/admin/panel_most_read.html"

    def get_context_data(self, parent_context):
        return {"articles": most_read("week")[:PANEL_ITEMS]}
