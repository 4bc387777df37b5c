"""Admin forms that answer a value they cannot read with a form error, never a 500.

Wagtail's rich-text editor posts its content as Draftail JSON, and its widget decodes that while
the form reads its data, before any validation: a hand-made post with anything else in a rich-text
field (also inside a StreamField) raised out of the form. A chooser's id that is not a number
raised when the form was shown again, and a date before year 1 in UTC when it was saved. Here
such a field keeps the value it had, the form says what went wrong beside it, and nothing is
saved. What a form's own pieces cannot catch (a related row's id that is not a number, in an
inline panel's rows) is answered by UnreadablePostMiddleware with a Chinese 400 page."""

import logging

from django.core.exceptions import ValidationError
from django.forms import DateTimeField, ModelChoiceField
from django.http import HttpResponseBadRequest
from draftjs_exporter.error import ExporterException
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

from core.errors import render_error
from core.plain_pages import PLAIN_400

logger = logging.getLogger(__name__)

UNREADABLE = "提交的内容格式有误,无法读取。请刷新页面后重新编辑这一项。"
OUT_OF_RANGE = "日期超出范围:请填写 1900 年至 2999 年之间的日期。"
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


class ReadsDataSafelyMixin:
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
        return cleaned_data


def is_an_id(value):
    return value in (None, "") or (isinstance(value, str) and value.isascii() and value.isdigit())


class SafePageForm(ReadsDataSafelyMixin, WagtailAdminPageForm):
    """The form of every page of the site."""


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
