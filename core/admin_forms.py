"""Admin forms that answer a value they cannot read with a form error, never a 500.

Wagtail's rich-text editor posts its content as Draftail JSON, and its widget decodes that while
the form reads its data, before any validation: a hand-made post with anything else in a rich-text
field (also inside a StreamField) raised out of the form. Here such a field keeps the value it had,
the form says what went wrong beside it, and nothing is saved."""

from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

UNREADABLE = "提交的内容格式有误,无法读取。请刷新页面后重新编辑这一项。"
# What a widget raises on data it cannot decode (bad JSON, JSON of the wrong shape, too deep).
DECODING_ERRORS = (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError)


class ReadsDataSafelyMixin:
    def _widget_data_value(self, widget, html_name):
        try:
            return super()._widget_data_value(widget, html_name)
        except DECODING_ERRORS:
            name = html_name.removeprefix(f"{self.prefix}-") if self.prefix else html_name
            self.unreadable_fields = {*getattr(self, "unreadable_fields", ()), name}
            field = self.fields.get(name)
            return self.get_initial_for_field(field, name) if field is not None else None

    def clean(self):
        cleaned_data = super().clean()
        for name in sorted(getattr(self, "unreadable_fields", ())):
            if name in self.fields:
                self.add_error(name, UNREADABLE)
        return cleaned_data


class SafePageForm(ReadsDataSafelyMixin, WagtailAdminPageForm):
    """The form of every page of the site."""


class SafeModelForm(ReadsDataSafelyMixin, WagtailAdminModelForm):
    """The form of the site's snippets."""
