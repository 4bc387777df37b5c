"""订阅 RSS at /rss/: what RSS is and the address of every feed (the whole site's, each column's,
each 专题's), for readers who tap a 订阅 link. A feed itself is XML for feed readers, which a
browser shows as code; an XSLT stylesheet would turn it into a page, but Chromium now puts an
English warning over every page made that way and is removing XSLT, so the links lead here."""

from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from wagtail.models import Site

from news.feeds import FEED_ITEMS
from news.site_map import site_map_sections


def anchor(slug=None):
    """The id of a feed's entry on the page, so a column's 订阅 link can point at its own."""
    return f"feed-{slug}" if slug else "feed-site"


def feed_entries(request, site):
    sections = site_map_sections(site)
    entries = [{"id": anchor(), "title": "全站", "path": reverse("site_feed")}]
    for page in [*sections["columns"], *sections["topics"]]:
        entries.append({"id": anchor(page["slug"]), "title": page["title"], "path": page["feed"]})
    for entry in entries:
        entry["address"] = request.build_absolute_uri(entry["path"])
    return entries


@require_safe
def feed_page(request):
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    context = {"feeds": feed_entries(request, site), "feed_items": FEED_ITEMS}
    return TemplateResponse(request, "news/feed_page.html", context)
