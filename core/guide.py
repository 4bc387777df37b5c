"""使用手册 in the admin: the staff guide, docs/使用手册.md, shown as written to every member of
staff, in place of Wagtail's English editor guide (core/wagtail_hooks.py swaps the links). The
guide is kept in Markdown so that it reads the same in the repository; its plain text is readable
as it stands, so it is shown as text rather than through a Markdown library."""

from django.conf import settings
from django.http import Http404
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

GUIDE = settings.BASE_DIR / "docs" / "使用手册.md"


class GuideView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "core/guide.html"
    page_title = "使用手册"
    header_icon = "help"

    def get_context_data(self, **kwargs):
        try:
            text = GUIDE.read_text(encoding="utf-8")
        except FileNotFoundError as missing:
            raise Http404("使用手册不在这台服务器上。") from missing
        return super().get_context_data(guide=text, **kwargs)
