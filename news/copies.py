"""一稿多发 on an article's form: the columns its copies are published in, and where each stands.

A copy (a Wagtail alias in another column) follows its original on every publish and is never
edited itself; Wagtail lists it only as a page of its own column, so the original's editor would
not know where the report also appears without this panel."""

from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.admin.panels import Panel
from wagtail.models import Page


class CopiesPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "news/admin/copies_panel.html"

        @cached_property
        def copies(self):
            if self.instance.pk is None:
                return []
            copies = Page.objects.filter(alias_of=self.instance).order_by("path")
            rows = []
            for copy in copies:
                column = copy.get_parent()
                rows.append(
                    {
                        "column": column.title,
                        "live": copy.live,
                        "column_url": reverse("wagtailadmin_explore", args=(column.pk,)),
                        "public_url": column.url if copy.live else "",
                    }
                )
            return rows

        def is_shown(self):
            return bool(self.copies)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["copies"] = self.copies
            return context
