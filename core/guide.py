"""使用手册 in the admin: the staff guide, docs/使用手册.md, shown to every member of staff in
place of Wagtail's English editor guide (core/wagtail_hooks.py swaps the links).

The guide is Markdown so that it reads the same in the repository as here. markdown-it-py renders
it as CommonMark with tables, which is how GitHub shows it, and mdit-py-plugins gives its headings
the ids GitHub gives them, so the guide's table of contents links to its sections in both places.
Raw HTML in it is shown as text, so the guide brings no script, style or markup of its own into an
admin page, whose policy (core/csp.py) stays as it is.

Its pictures are the browser journeys' screenshots in docs/screenshots/ (taken by
tests/site/test_admin_journeys.py), named relative to the guide: ``screenshots/….png``. The
guide's page is at ``/admin/guide/``, so that same relative address asks for
``/admin/guide/screenshots/….png``, which `GuideScreenshotView` answers from that folder, to staff
only, as every admin address is.
"""

from functools import cache

from django.conf import settings
from django.http import FileResponse, Http404
from django.utils.safestring import mark_safe
from django.views import View
from django.views.generic import TemplateView
from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin
from PIL import Image

from core.admin_pages import AdminPage

GUIDE = settings.BASE_DIR / "docs" / "使用手册.md"
SCREENSHOTS = GUIDE.parent / "screenshots"


@cache
def markdown():
    renderer = MarkdownIt("commonmark", {"html": False}).enable("table")
    renderer.use(anchors_plugin, min_level=2, max_level=4)

    def lazy_image(self, tokens, idx, options, env):
        # A long guide with many screenshots: each is fetched when it is scrolled near, in a
        # space kept for it at its size, so that a link to a section lands on the section
        # however many pictures above it are still to come.
        image = tokens[idx]
        image.attrSet("loading", "lazy")
        if size := picture_size(image.attrGet("src")):
            image.attrSet("width", str(size[0]))
            image.attrSet("height", str(size[1]))
        return self.image(tokens, idx, options, env)

    renderer.add_render_rule("image", lazy_image)
    return renderer


def picture_size(src):
    """(width, height) of a picture the guide names relative to itself, or None if there is none."""
    try:
        with Image.open(GUIDE.parent / src) as picture:  # reads the header only
            return picture.size
    except (OSError, ValueError):
        return None


def guide_html(text):
    """The guide's Markdown as HTML, safe to put in a page: any HTML in the text is escaped."""
    return mark_safe(markdown().render(text))  # noqa: S308


class GuideView(AdminPage, TemplateView):
    template_name = "core/guide.html"
    page_title = "使用手册"
    header_icon = "help"

    def get_context_data(self, **kwargs):
        try:
            text = GUIDE.read_text(encoding="utf-8")
        except FileNotFoundError as missing:
            raise Http404("使用手册不在这台服务器上。") from missing
        return super().get_context_data(guide=guide_html(text), **kwargs)


class GuideScreenshotView(View):
    """A screenshot the guide shows. The address's converter lets through a plain file name only
    (letters, digits, hyphens and underscores), so nothing outside docs/screenshots/ can be asked
    for."""

    def get(self, request, name):
        try:
            picture = (SCREENSHOTS / f"{name}.png").open("rb")
        except FileNotFoundError as missing:
            raise Http404("没有这张截图。") from missing
        return FileResponse(picture, content_type="image/png")
