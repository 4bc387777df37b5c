"""What serving a public page costs: the site, the route to an article and the view-restriction
check come from cached plain data, so an article is one query for the article itself.

Wagtail's serve view reuses `request._wagtail_site` and `request._wagtail_route_for_request` when
they are already set. The middleware sets them for what it can answer from the tree cache and
leaves every other request to Wagtail's own routing. The cache entries are keyed by the tree
version, which changes with any publish, move, delete, site or view-restriction change.
"""

import re

from django.http import Http404
from django.http.request import split_domain_port
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.models.sites import get_site_for_hostname

from .treecache import remember

ARTICLE_PATH_RE = re.compile(r"^/([^/]+)/(\d{4})/(\d{4})/(\d+)/$")


def site_for_request(request):
    """The Site Wagtail would pick for this request, built from cached field values."""
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()

    def compute():
        try:
            site = get_site_for_hostname(hostname, port)
        except Site.DoesNotExist:
            return None
        return {field.attname: getattr(site, field.attname) for field in Site._meta.concrete_fields}

    fields = remember(f"site:{hostname}:{port}", compute)
    if fields is None:
        return None
    return Site.from_db("default", list(fields), list(fields.values()))


def live_columns(site):
    """{slug: tree path} of the live columns directly under the site's home page."""
    from .models import NewsIndexPage

    def compute():
        columns = NewsIndexPage.objects.child_of(Page.objects.get(pk=site.root_page_id))
        return dict(columns.live().values_list("slug", "path"))

    return remember(f"site:{site.pk}:columns", compute)


class CachedRouteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and not hasattr(request, "_wagtail_site"):
            site = site_for_request(request)
            request._wagtail_site = site
            match = ARTICLE_PATH_RE.match(request.path_info)
            if site is not None and match:
                self.route_article(request, site, match.groups())
        return self.get_response(request)

    @staticmethod
    def route_article(request, site, components):
        from .models import NewsIndexPage

        column_slug, *article_components = components
        column_path = live_columns(site).get(column_slug)
        if column_path is None:
            return  # not a column of this site: Wagtail routes it (and answers 404)
        try:
            route = NewsIndexPage.route_to_article(column_path, article_components)
        except Http404:
            route = None
        request._wagtail_route_for_request = route


def restricted_paths():
    """Tree paths of the pages with a view restriction, and of aliases (whose restrictions are
    their source page's): only pages at or under one of them need Wagtail's own check."""

    def compute():
        restricted = PageViewRestriction.objects.values_list("page__path", flat=True)
        aliases = Page.objects.filter(alias_of__isnull=False).values_list("path", flat=True)
        return sorted({*restricted, *aliases})

    return remember("restricted-paths", compute)


class CachedViewRestrictionsMixin:
    """Pages that skip the ancestor and restriction queries when nothing above them is restricted."""

    def get_view_restrictions(self):
        if any(self.path.startswith(path) for path in restricted_paths()):
            return super().get_view_restrictions()
        return PageViewRestriction.objects.none()
