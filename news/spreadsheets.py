"""Spreadsheet exports (CSV and XLSX) that open correctly in Chinese Excel and cannot run formulas.

Wagtail's exports write CSV without a byte-order mark, which Excel in a Chinese Windows reads as
GBK (the titles come out garbled); they write times in UTC; and a cell beginning with = + - or @
is a formula to Excel, so a title such as "=HYPERLINK(…)" would run when opened. Here the CSV
starts with a UTF-8 BOM, times are the site's local time, and any text cell that a spreadsheet
would take for a formula (also after leading spaces) is prefixed with an apostrophe, which Excel
shows as plain text.
"""

import datetime

from django.utils import timezone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def neutralised(text):
    """Text a spreadsheet shows as text: prefixed with ' when it would start a formula."""
    if text.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + text
    return text


def local_time(value):
    """A time as the site's wall-clock time, without a zone (what Excel can show)."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None, microsecond=0)


class SafeSpreadsheetExportMixin:
    """For views with Wagtail's SpreadsheetExportMixin (reports, listings)."""

    def preprocess_field_value(self, field, value, export_format):
        if isinstance(value, datetime.datetime):
            value = local_time(value)
            return value if export_format == self.FORMAT_XLSX else f"{value:%Y-%m-%d %H:%M}"
        value = super().preprocess_field_value(field, value, export_format)
        return neutralised(value) if isinstance(value, str) else value

    def stream_csv(self, queryset):
        rows = super().stream_csv(queryset)
        yield BOM.encode() + next(rows)  # Wagtail's rows are UTF-8 bytes
        yield from rows

    def write_csv_response(self, queryset):
        response = super().write_csv_response(queryset)
        response["Content-Type"] = "text/csv; charset=utf-8"
        return response
