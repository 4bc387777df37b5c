"""Spreadsheet exports (CSV and XLSX) that open correctly in Chinese Excel and cannot run formulas.

Wagtail's exports write CSV without a byte-order mark, which Excel in a Chinese Windows reads as
GBK (the titles come out garbled); they write times in UTC; and a cell beginning with = + - or @
is a formula to Excel, so a title such as "=HYPERLINK(…)" would run when opened. Here the CSV
starts with a UTF-8 BOM, times are the site's local time, and any text cell that a spreadsheet
would take for a formula (also after leading spaces) is prefixed with an apostrophe, which Excel
shows as plain text. Control characters, which an XLSX cannot hold (openpyxl refuses the whole
file), are left out of every text cell.
"""

import csv
import datetime
import io

from django.http import HttpResponse
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from core.beijing_time import beijing_time

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def neutralised(text):
    """Text a spreadsheet shows as text: prefixed with ' when it would start a formula, without
    the control characters a title or a name may carry."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if text.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + text
    return text


def local_time(value):
    """A time as the site's wall-clock time, without a zone (what Excel can show)."""
    return beijing_time(value).replace(tzinfo=None, microsecond=0)


class SafeSpreadsheetExportMixin:
    """For views with Wagtail's SpreadsheetExportMixin (reports, listings): local times, and text
    cells neutralised in XLSX as in CSV. (SafeAdminCsvMiddleware below does every admin CSV.)"""

    def preprocess_field_value(self, field, value, export_format):
        if isinstance(value, datetime.datetime):
            value = local_time(value)
            return value if export_format == self.FORMAT_XLSX else f"{value:%Y-%m-%d %H:%M}"
        value = super().preprocess_field_value(field, value, export_format)
        return neutralised(value) if isinstance(value, str) else value


class SafeAdminCsvMiddleware:
    """Every CSV the admin sends (Wagtail's own exports, such as 网站历史, as well as ours) is
    rewritten the same way: formula-like cells neutralised, a UTF-8 byte-order mark in front."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path_info.startswith("/admin/") or not response.get(
            "Content-Type", ""
        ).startswith("text/csv"):
            return response
        content = b"".join(response.streaming_content) if response.streaming else response.content
        rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
        out = io.StringIO()
        writer = csv.writer(out)
        for row in rows:
            writer.writerow([neutralised(cell) for cell in row])
        safe = HttpResponse((BOM + out.getvalue()).encode(), content_type="text/csv; charset=utf-8")
        for name in ("Content-Disposition", "Cache-Control"):
            if response.has_header(name):
                safe[name] = response[name]
        return safe
