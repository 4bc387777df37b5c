"""Where staff see 栏目更新监测 (quality/freshness.py): 报告 → 栏目更新, every column of a site with
its update class, last update, days left and state, the home page's last update and the three
veto counters, exported as CSV or XLSX; the dashboard's panel of the columns that are stale,
blank or go stale within FRESHNESS_WARN_DAYS; and the 栏目更新预警（N） menu item while there are
some: the notice in the admin for those the daily job's mail does not reach."""

import django_filters
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.timezone import localdate
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.sidebar import LinkMenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.models import Site

from core.spreadsheets import SafeSpreadsheetExportMixin
from core.staff_sites import sites_for
from quality.freshness import STALE, may_read, measure
from quality.page_address import editable_ids

PANEL_ID = "quality-freshness"


class SiteFilterSet(WagtailFilterSet):
    site = django_filters.ChoiceFilter(label="站点", empty_label=None, method="keep")

    class Meta:
        model = Site
        fields = []

    def __init__(self, *args, sites=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["site"].extra["choices"] = [
            (str(s.pk), s.site_name or s.hostname) for s in sites
        ]

    def keep(self, queryset, name, value):
        return queryset  # the site chooses what is measured, in FreshnessReportView


class TitleColumn(Column):
    """The column's name, linked to its pages in the admin for who may edit the column, else to
    the column as readers see it (the admin would refuse the rest: quality/page_address.py)."""

    cell_template_name = "quality/admin/freshness_title_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        editable = getattr(parent_context["request"], "quality_editable_pages", ())
        if instance.page_id in editable:
            context["link_url"] = reverse("wagtailadmin_explore", args=[instance.page_id])
        else:
            context["link_url"] = instance.url
        return context


class StatusColumn(Column):
    """The state, in bold red when it counts against the site (stale or blank)."""

    cell_template_name = "quality/admin/freshness_status_cell.html"


class FreshnessReportView(SafeSpreadsheetExportMixin, ReportView):
    """栏目更新: a site's columns, most urgent first."""

    page_title = "栏目更新"
    header_icon = "time"
    index_url_name = "quality_freshness"
    index_results_url_name = "quality_freshness_results"
    results_template_name = "quality/admin/freshness_results.html"
    filterset_class = SiteFilterSet
    paginate_by = None
    model = Site
    columns = [
        TitleColumn("title", label="栏目"),
        Column("class_name", label="更新要求"),
        Column("last_day_label", label="最近更新"),
        Column("count", label="公开文章数"),
        Column("days_left_label", label="剩余天数"),
        StatusColumn("status_label", label="状况"),
    ]
    list_export = [
        "title",
        "url",
        "class_name",
        "last_day",
        "age",
        "days_remaining",
        "days_late",
        "count",
        "status_label",
    ]
    export_headings = {
        "title": "栏目",
        "url": "网址",
        "class_name": "更新要求",
        "last_day": "最近更新",
        "age": "距今天数",
        "days_remaining": "剩余天数",
        "days_late": "超期天数",
        "count": "公开文章数",
        "status_label": "状况",
    }

    def dispatch(self, request, *args, **kwargs):
        if not may_read(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def sites(self):
        return list(sites_for(self.request.user))

    @property
    def site(self):
        sites = self.sites()
        chosen = self.request.GET.get("site", "")
        return next((s for s in sites if str(s.pk) == chosen), sites[0] if sites else None)

    def get_filterset_kwargs(self):
        # The select shows the site the report is for, also when none was chosen.
        kwargs = super().get_filterset_kwargs()
        site = self.site
        kwargs["data"] = {**kwargs["data"].dict(), "site": str(site.pk) if site else ""}
        kwargs["sites"] = self.sites()
        return kwargs

    def measured(self):
        if not hasattr(self, "_measured"):
            site = self.site
            self._measured = measure([site])[0] if site is not None else None
        return self._measured

    def get_queryset(self):
        measured = self.measured()
        if measured is None:
            return []
        # A spreadsheet sent on carries the home page's last update too, as its first row.
        return [measured.home, *measured.columns] if self.is_export else list(measured.columns)

    def get_filtered_queryset(self):
        return self.get_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["freshness"] = measured = self.measured()
        # Read by TitleColumn for each row: one query for the whole table.
        self.request.quality_editable_pages = editable_ids(
            self.request.user, [column.page_id for column in measured.columns] if measured else []
        )
        return context

    def get_filename(self):
        return f"栏目更新-{localdate():%Y%m%d}"

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        # A blank column's last update is no date; a spreadsheet shows an empty cell.
        return {key: "" if value is None else value for key, value in row.items()}


def _warnings(request):
    """The columns to warn the user about, measured once per request (the menu asks whether to
    show its item, then for its label; the dashboard asks for the panel)."""
    if not hasattr(request, "_quality_freshness"):
        user = request.user
        request._quality_freshness = measure(sites_for(user)) if may_read(user) else []
    return request._quality_freshness


class FreshnessPanel(Component):
    name = "quality_freshness"
    # Beside the deadlines of 互动交流: a stale column costs the site its inspection too.
    order = 55
    template_name = "quality/admin/panel_freshness.html"

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        measured = _warnings(request)
        warned = [column.page_id for m in measured for column in m.warnings]
        return {
            # Who may not edit a column is sent to it as readers see it (quality/page_address.py).
            "editable": editable_ids(request.user, warned),
            "panel_id": PANEL_ID,
            "sites": [m for m in measured if m.warnings or m.alarms],
            "several_sites": len(measured) > 1,
            "stale": STALE,
        }


def has_news(request):
    """Whether the panel has something to say: a column to warn about or a veto reached."""
    return any(m.warnings or m.alarms for m in _warnings(request))


def warning_count(request):
    return sum(len(m.warnings) for m in _warnings(request))


class FreshnessMenuItem(MenuItem):
    """栏目更新预警（N）: shown while N columns (or home pages) are stale, blank or about to be."""

    def is_shown(self, request):
        return warning_count(request) > 0

    def render_component(self, request):
        return LinkMenuItem(
            self.name,
            f"栏目更新预警（{warning_count(request)}）",
            self.url,
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )


def freshness_menu_item():
    return FreshnessMenuItem(
        "栏目更新预警",
        reverse("quality_freshness"),
        name="quality-freshness-warnings",
        icon_name="warning",
        order=6,
    )
