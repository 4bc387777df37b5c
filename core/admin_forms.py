"""Admin forms that answer a value they cannot read with a form error, never a 500.

Wagtail's rich-text editor posts its content as Draftail JSON, and its widget decodes that while
the form reads its data, before any validation: a hand-made post with anything else in a rich-text
field (also inside a StreamField) raised out of the form. A chooser's id that is not a number
raised when the form was shown again, and a date before year 1 in UTC when it was saved. Here
such a field keeps the value it had, the form says what went wrong beside it, and nothing is
saved. What a form's own pieces cannot catch (a related row's id that is not a number, in an
inline panel's rows) is answered by UnreadablePostMiddleware with a Chinese 400 page.

Nothing typed is changed behind the editor's back either: a text longer than its field is kept
and answered with a message (the browser's `maxlength` would cut a pasted title silently), and
the date picker leaves a typed date as it is (its lenient parsing turned 2024-02-30 into
2024-03-01, and text it could not read into the current time, when the field lost focus); the
form then says what is wrong with the date."""

import calendar
import logging
import re

from django.core.exceptions import ValidationError
from django.forms import CharField, DateField, DateTimeField, Form, ModelChoiceField
from django.http import HttpResponseBadRequest
from draftjs_exporter.error import ExporterException
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput

from core.errors import render_error
from core.plain_pages import PLAIN_400

logger = logging.getLogger(__name__)

UNREADABLE = "提交的内容格式有误，无法读取。请刷新页面后重新编辑这一项。"
OUT_OF_RANGE = "日期超出范围：请填写 1900 年至 2999 年之间的日期。"
TOO_LONG = "最多 %(limit_value)d 个字，现在有 %(show_value)d 个，请删减后再保存。"
NO_SUCH_MONTH = "日期不存在：没有 {month} 月。"
NO_SUCH_DAY = "日期不存在：{year} 年 {month} 月只有 {days} 天。"
# The year, month and day at the start of a typed date (2024-02-30, 2024/2/30, 2024年2月30日).
TYPED_DATE_RE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
# What a widget raises on data it cannot decode (bad JSON, JSON of the wrong shape, too deep).
DECODING_ERRORS = (
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    RecursionError,
    ExporterException,
)
# Years every date can be stored in, in any time zone.
YEARS = range(1900, 3000)


class TypedDateTimeInput(AdminDateTimeInput):
    """Wagtail's date and time picker, leaving what the editor typed as typed."""

    def get_config(self):
        return {**super().get_config(), "validateOnBlur": False}


class TypedDateInput(AdminDateInput):
    """Wagtail's date picker, leaving what the editor typed as typed."""

    def get_config(self):
        return {**super().get_config(), "validateOnBlur": False}


def typed_date_widget(widget):
    """The same picker as `widget`, keeping typed text; None for any other widget."""
    if type(widget) is AdminDateTimeInput:
        return TypedDateTimeInput(
            attrs=widget.attrs,
            format=widget.format,
            js_overlay_parent_selector=widget.js_overlay_parent_selector,
        )
    if type(widget) is AdminDateInput:
        return TypedDateInput(attrs=widget.attrs, format=widget.format)
    return None


def impossible_date(text):
    """What is wrong with a typed date that names a day no calendar has, or None."""
    match = TYPED_DATE_RE.match(text) if isinstance(text, str) else None
    if match is None:
        return None
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        return NO_SUCH_MONTH.format(month=month)
    days = calendar.monthrange(max(year, 1), month)[1]
    if not 1 <= day <= days:
        return NO_SUCH_DAY.format(year=year, month=month, days=days)
    return None


class ReadsDataSafelyMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, CharField) and field.max_length:
                field.widget.attrs.pop("maxlength", None)
                field.error_messages["max_length"] = TOO_LONG
            if (widget := typed_date_widget(field.widget)) is not None:
                field.widget = widget

    def _widget_data_value(self, widget, html_name):
        name = html_name.removeprefix(f"{self.prefix}-") if self.prefix else html_name
        field = self.fields.get(name)
        try:
            value = super()._widget_data_value(widget, html_name)
        except DECODING_ERRORS:
            return self.unreadable(name, field)
        if isinstance(field, ModelChoiceField) and not is_an_id(value):
            return self.unreadable(name, field)  # a chooser's id: a number or nothing
        return value

    def unreadable(self, name, field):
        """The value the field had, shown again; the form will say it could not be read."""
        self.unreadable_fields = {*getattr(self, "unreadable_fields", ()), name}
        return self.get_initial_for_field(field, name) if field is not None else None

    def clean(self):
        cleaned_data = super().clean()
        for name in sorted(getattr(self, "unreadable_fields", ())):
            if name in self.fields:
                self.add_error(name, UNREADABLE)
        for name, field in self.fields.items():
            value = cleaned_data.get(name)
            if isinstance(field, DateTimeField) and value and value.year not in YEARS:
                self.add_error(name, OUT_OF_RANGE)
            if isinstance(field, DateField | DateTimeField) and name in self.errors:
                self.explain_impossible_date(name, field)
        return cleaned_data

    def explain_impossible_date(self, name, field):
        """Django says only 输入一个有效的日期/时间 of 2024-02-30; this says why."""
        raw = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
        if (message := impossible_date(raw)) is not None:
            del self.errors[name]
            self.add_error(name, message)


# A row's id has at most 18 digits: a longer number is no row, and SQLite cannot even be asked.
ID_DIGITS = 18


def is_an_id(value):
    return value in (None, "") or (
        isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= ID_DIGITS
    )


class SafePageForm(ReadsDataSafelyMixin, WagtailAdminPageForm):
    """The form of every page of the site."""


class SafeFilterForm(ReadsDataSafelyMixin, Form):
    """The form of a listing's filters (a FilterSet's Meta.form): a row's id that is not one
    filters nothing and is said to be unreadable."""


class SafeModelForm(ReadsDataSafelyMixin, WagtailAdminModelForm):
    """The form of the site's snippets."""


class UnreadablePostMiddleware:
    """A form posted to the admin that could not even be read (a row's id that is not a number,
    in an inline panel or a snippet's phone list) gets a Chinese 400 page saying nothing was
    saved, and one line in the log, instead of a 500 and a traceback. Only posts to the admin:
    whatever else raises these is the site's own fault, and is reported as one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.method != "POST" or not request.path.startswith("/admin/"):
            return None
        if not isinstance(exception, ValueError | TypeError | OverflowError | ValidationError):
            return None
        logger.warning(
            "A form posted to %s could not be read (%s: %s); answered 400",
            request.path,
            type(exception).__name__,
            str(exception)[:200],
        )
        response = render_error("unreadable_form.html", HttpResponseBadRequest, PLAIN_400)
        return response
