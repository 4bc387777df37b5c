"""报告 → 发稿统计: the figures of quality/publishing_stats.py for a period and a site, as tables,
a bar chart of the months (quality/stats_chart.py) and spreadsheets (XLSX, and CSV that Chinese
Excel opens, formulas neutralised as core/spreadsheets.py does).

Who may see it: whoever holds 可以查看发稿统计 (quality/stats_models.py: 审核 and 内容安全管理 by
quality/safety_roles.py) and superusers; anyone else is refused (Wagtail sends them back to the
dashboard with its message) and the refusal is audited (security/audit_middleware.py). Each
sees only the sites core/staff_sites.py gives them. Every input is checked: a date that is no
date, a period backwards, longer than MAX_YEARS or outside the years the site can have published
in is answered with the form and a Chinese message, never an error page.
"""

import csv
import io
import logging
from datetime import date

from django import forms
from django.http import HttpResponse, QueryDict
from django.utils.http import content_disposition_header
from django.utils.timezone import localdate
from django.views.generic import TemplateView
from openpyxl import Workbook
from openpyxl.styles import Font
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.models import Site
from wagtail.permission_policies import ModelPermissionPolicy

from core.spreadsheets import BOM, neutralised
from core.staff_sites import sites_for
from news.hits import store
from quality.publishing_stats import Period, publishing_figures
from quality.stats_chart import chart, description
from quality.stats_models import PublishingStats

logger = logging.getLogger(__name__)

MAX_YEARS = 10
EARLIEST = date(1990, 1, 1)
LATEST = date(2099, 12, 31)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def flush_buffered_views():
    """Views still buffered in Redis go to the database first, so that the totals are the
    counts the articles show; should Redis fail now, the report is shown all the same, as much
    as a few seconds behind."""
    try:
        store.flush()
    except Exception:
        logger.exception("Buffered views could not be flushed before 发稿统计")


def year_start(day):
    return day.replace(month=1, day=1)


def quick_periods(today):
    """(label, first day, last day) of the periods offered as links."""
    month_start = today.replace(day=1)
    last_month_end = month_start.fromordinal(month_start.toordinal() - 1)
    last_year = today.year - 1
    return [
        ("本月", month_start, today),
        ("上月", last_month_end.replace(day=1), last_month_end),
        ("今年", year_start(today), today),
        ("去年", date(last_year, 1, 1), date(last_year, 12, 31)),
    ]


class PeriodForm(forms.Form):
    site = forms.TypedChoiceField(label="站点", coerce=int)
    first = forms.DateField(
        label="开始日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "开始日期应为有效的日期，例如 2026-01-01。"},
    )
    last = forms.DateField(
        label="结束日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "结束日期应为有效的日期，例如 2026-12-31。"},
    )
    without_imports = forms.BooleanField(label="不含导入的文章", required=False)

    def __init__(self, data, sites):
        super().__init__(data)
        self.sites = {site.pk: site for site in sites}
        self.fields["site"].choices = [(site.pk, site.site_name or site.hostname) for site in sites]
        if len(sites) < 2:
            self.fields["site"].widget = forms.HiddenInput()

    def clean_first(self):
        return self.within_years(self.cleaned_data["first"])

    def clean_last(self):
        return self.within_years(self.cleaned_data["last"])

    def within_years(self, day):
        if not EARLIEST <= day <= LATEST:
            raise forms.ValidationError(f"日期应在 {EARLIEST.year} 年至 {LATEST.year} 年之间。")
        return day

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first"), cleaned.get("last")
        if first and last:
            if first > last:
                raise forms.ValidationError("开始日期不能晚于结束日期。")
            if last.year - first.year > MAX_YEARS or (
                last.year - first.year == MAX_YEARS and last >= first.replace(year=last.year)
            ):
                raise forms.ValidationError(f"统计时间最长 {MAX_YEARS} 年，请缩短时间范围。")
        return cleaned

    @property
    def chosen_site(self):
        return self.sites[self.cleaned_data["site"]]

    @property
    def period(self):
        return Period(self.cleaned_data["first"], self.cleaned_data["last"])


class PublishingStatsView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    page_title = "发稿统计"
    header_icon = "table"
    template_name = "quality/admin/publishing_stats.html"
    permission_policy = ModelPermissionPolicy(PublishingStats)
    permission_required = "view"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get(self, request, *args, **kwargs):
        self.sites = sites_for(request.user)
        self.form = PeriodForm(self.form_data(), self.sites) if self.sites else None
        self.figures = None
        if self.form is not None and self.form.is_valid():
            flush_buffered_views()
            self.figures = publishing_figures(
                self.form.chosen_site,
                self.form.period,
                with_imports=not self.form.cleaned_data["without_imports"],
            )
            export = request.GET.get("export")
            if export == "xlsx":
                return self.xlsx()
            if export == "csv":
                return self.csv()
        return super().get(request, *args, **kwargs)

    def form_data(self):
        """What was asked, with this year so far and the site of the admin's address (or the
        user's first) where nothing was."""
        data = self.request.GET.dict()
        if "first" not in data and "last" not in data:
            today = localdate()
            data.update(first=year_start(today).isoformat(), last=today.isoformat())
        if not data.get("site"):
            site = next(
                (site for site in self.sites if site.pk == self.request_site_id()), self.sites[0]
            )
            data["site"] = str(site.pk)
        return data

    def request_site_id(self):
        # The admin may be reached at any of the sites' addresses: that site comes first.
        site = Site.find_for_request(self.request)
        return getattr(site, "pk", None)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        figures = self.figures
        context.update(
            form=self.form,
            figures=figures,
            quick_periods=[
                (label, first, last, self.query_for(first, last))
                for label, first, last in quick_periods(localdate())
            ],
        )
        if figures is not None:
            context.update(
                chart=chart(figures.months),
                chart_description=description(figures),
                export_query=self.figures_query(),
            )
        return context

    def figures_query(self):
        """The query of the figures shown, whichever defaults filled it in."""
        figures = self.figures
        query = QueryDict(mutable=True)
        query.update(
            {
                "site": str(figures.site.pk),
                "first": figures.period.first.isoformat(),
                "last": figures.period.last.isoformat(),
            }
        )
        if not figures.with_imports:
            query["without_imports"] = "on"
        return query.urlencode()

    def query_for(self, first, last):
        query = self.request.GET.copy()
        query.pop("export", None)
        query["first"] = first.isoformat()
        query["last"] = last.isoformat()
        if self.form is not None and self.form.is_valid():
            query["site"] = str(self.form.chosen_site.pk)
        return query.urlencode()

    # Spreadsheets ------------------------------------------------------------------------------

    def filename(self, extension):
        period = self.figures.period
        return f"发稿统计-{period.first:%Y%m%d}-{period.last:%Y%m%d}.{extension}"

    def attachment(self, content, content_type, extension):
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=self.filename(extension)
        )
        return response

    def xlsx(self):
        workbook = Workbook()
        workbook.remove(workbook.active)
        for title, rows in spreadsheet_tables(self.figures):
            sheet = workbook.create_sheet(title)
            for number, row in enumerate(rows):
                sheet.append([neutralised(cell) if isinstance(cell, str) else cell for cell in row])
                if number == 0 or row[0] == "合计":
                    for cell in sheet[sheet.max_row]:
                        cell.font = Font(bold=True)
            sheet.column_dimensions["A"].width = 24
        out = io.BytesIO()
        workbook.save(out)
        return self.attachment(out.getvalue(), XLSX_TYPE, "xlsx")

    def csv(self):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([neutralised(summary_line(self.figures))])
        for title, rows in spreadsheet_tables(self.figures):
            writer.writerow([])
            writer.writerow([title])
            for row in rows:
                writer.writerow(
                    [neutralised(cell) if isinstance(cell, str) else cell for cell in row]
                )
        return self.attachment((BOM + out.getvalue()).encode(), "text/csv; charset=utf-8", "csv")


def summary_line(figures):
    imports = "，不含导入的文章" if not figures.with_imports else ""
    name = figures.site.site_name or figures.site.hostname
    return f"{name} 发稿统计：{figures.period}{imports}"


def spreadsheet_tables(figures):
    """(sheet title, rows with a heading row first and a total row last) of the figures."""
    article_tables = [
        ("按编辑", "编辑", figures.editors),
        ("按栏目", "栏目", figures.columns),
        ("按月份", "月份", figures.months),
    ]
    summary = [
        ["项目", "内容"],
        ["站点", figures.site.site_name or figures.site.hostname],
        ["统计时间", str(figures.period)],
        ["导入的文章", "含" if figures.with_imports else "不含"],
        ["首次发布的文章", figures.articles],
        ["点击数", figures.hits],
        ["审核通过", figures.approved],
        ["审核退回", figures.rejected],
    ]
    tables = [("概况", summary)]
    for title, heading, rows in article_tables:
        table = [[heading, "文章数", "点击数"]]
        table += [[row.label, row.articles, row.hits] for row in rows]
        if title != "按栏目":
            table.append(["合计", figures.articles, figures.hits])
        tables.append((title, table))
    reviews = [["审核人员", "通过", "退回"]]
    reviews += [[row.label, row.approved, row.rejected] for row in figures.reviewers]
    reviews.append(["合计", figures.approved, figures.rejected])
    tables.append(("审核", reviews))
    return tables
