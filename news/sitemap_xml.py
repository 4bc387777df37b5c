"""/sitemap.xml for search engines: a sitemap index naming pages of at most PAGE_SIZE addresses
(/sitemap.xml?p=1, ?p=2 …), each listing what readers may see (core/restrictions.py), copies
(一稿多发) left out for their original's address. 网站地图 for readers is news/site_map.py.

Building a page of the sitemap costs a worker real time on a big site, so each document is kept,
finished, under the site generation and built again only after a change readers can see. Only
`p` chooses a document: any other query string gets the same kept one, and a `p` that names no
page is a 404 before anything is built, so no query can make the site build more than the
documents it has. Building (never serving a kept one) is limited per address, for every worker at
once (core/limits.py, UNCACHED_RATE_LIMIT)."""

import math

from django.conf import settings
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe
from wagtail.models import Site

from core import generation, limits
from core.restrictions import readable_q

# Addresses a page of the sitemap holds: about 100 KB of XML. The protocol allows 50,000, which
# on a big site would cost a worker seconds to build.
PAGE_SIZE = 1000
CONTENT_TYPE = "application/xml; charset=utf-8"


def listed_pages(site):
    """The pages the sitemap lists, in tree order."""
    pages = site.root_page.get_descendants(inclusive=True).filter(readable_q())
    return pages.filter(alias_of__isnull=True).order_by("path")


def page_total(site):
    def compute():
        return max(1, math.ceil(listed_pages(site).count() / PAGE_SIZE))

    return generation.remember(f"sitemap:{site.pk}:pages", compute)


def requested_page(request, site):
    """The page number `p` names, None for the index; Http404 for one that names no page."""
    raw = request.GET.get("p")
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= page_total(site):
        raise Http404
    return int(raw)


def index_document(request, site):
    locations = [
        request.build_absolute_uri(f"{request.path}?p={number}")
        for number in range(1, page_total(site) + 1)
    ]
    return render_to_string(
        "sitemap_index.xml", {"sitemaps": [{"location": url} for url in locations]}
    )


def page_document(request, site, number):
    start = (number - 1) * PAGE_SIZE
    pages = listed_pages(site).defer_streamfields().specific()[start : start + PAGE_SIZE]
    urls = [
        {
            "location": request.build_absolute_uri(page.get_url(request)),
            "lastmod": page.last_published_at or page.latest_revision_created_at,
        }
        for page in pages
    ]
    return render_to_string("sitemap.xml", {"urlset": urls})


@require_safe
def sitemap(request):
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    number = requested_page(request, site)
    # Addresses name the host the request came to, so the document is kept per host.
    name = f"sitemap:{site.pk}:{request.get_host()}:{number or 'index'}"
    if number is None:
        document = limits.kept_or_built(request, name, lambda: index_document(request, site))
    else:
        document = limits.kept_or_built(request, name, lambda: page_document(request, site, number))
    if document is None:
        return limits.too_many(request, settings.UNCACHED_RATE_LIMIT)
    response = HttpResponse(document, content_type=CONTENT_TYPE)
    response["X-Robots-Tag"] = "noindex"
    return response
