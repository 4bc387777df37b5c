"""Wagtail's admin words that no catalogue reaches, applied when the app starts (core/apps.py):

- the sites list's column headings, which Wagtail makes from field names ("Port", "Site name",
  "Root page"), in English whatever the language: given the fields' own verbose names, which
  Wagtail's catalogue translates;
- the revision comparison's values of dates, numbers and yes/no fields, which Wagtail writes as
  Python does ("None", "True", "2024-05-01 10:30:45.737000+08:00"): written as the admin's
  forms show them, and 未设置 for none.
"""

from datetime import datetime

from django.db import models
from django.utils.dateformat import format as format_date
from django.utils.html import escape
from django.utils.text import capfirst
from django.utils.timezone import is_aware, localtime
from wagtail.admin.compare import FieldComparison, TextDiff, register_comparison_class

UNSET = "未设置"


def readable(value):
    if value is None or value == "":
        return UNSET
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return format_date(localtime(value) if is_aware(value) else value, "Y-m-d H:i")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


class ReadableFieldComparison(FieldComparison):
    def htmldiff(self):
        before, after = readable(self.val_a), readable(self.val_b)
        if self.val_a != self.val_b:
            return TextDiff([("deletion", before), ("addition", after)], separator=" ").to_html()
        return escape(before)


def label_site_columns():
    from wagtail.models import Site
    from wagtail.sites.views import IndexView

    for column in IndexView.columns:
        if column.name in ("port", "site_name", "root_page"):
            column.label = capfirst(Site._meta.get_field(column.name).verbose_name)


def compare_readably():
    for field_class in (models.DateField, models.BooleanField, models.IntegerField):
        register_comparison_class(field_class, comparison_class=ReadableFieldComparison)
