"""What serving a public page costs: the site, the route to an article and the view-restriction
check come from cached plain data, so an article is one query for the article itself.

Wagtail's serve view reuses `request._wagtail_site` and `request._wagtail_route_for_request` when
they are already set. The middleware sets them for what it can answer from the tree cache and
leaves every other request to Wagtail's own routing. The cache entries are keyed by the tree
version, which changes with any publish, move, delete, site or view-restriction change.
The home page, a column and its archive cost one query each to route; an article too.
"""

from django.http import Http404
from django.http.request import split_domain_port
from wagtail.models import Page, Site
from wagtail.models.sites import get_site_for_hostname

from core.generation import remember
from news.models import HomePage, NewsIndexPage, is_article_path


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

    fields = remember(f"site:{hostname}:{port}", compute, articles=False)
    if fields is None:
        return None
    return Site.from_db("default", list(fields), list(fields.values()))


def site_root_paths():
    """Wagtail's site root paths (which every page URL is built from), kept under the site
    generation like the rest. Wagtail keeps them in the default cache, cleared only where a
    Site is saved: in another process's memory they would go stale, and in Redis they would cost
    a round trip on every request."""

    def compute():
        Site.clear_site_root_paths_cache()
        return Site.get_site_root_paths()

    return remember("site-root-paths", compute, articles=False)


def live_columns(site):
    """{slug: (tree path, id)} of the live columns directly under the site's home page."""

    def compute():
        columns = NewsIndexPage.objects.child_of(Page.objects.get(pk=site.root_page_id))
        return {
            slug: (path, pk) for slug, path, pk in columns.live().values_list("slug", "path", "pk")
        }

    return remember(f"site:{site.pk}:columns", compute, articles=False)


class CachedRouteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and not hasattr(request, "_wagtail_site"):
            request._wagtail_site = site_for_request(request)
            # Wagtail asks the request for them before its own cache (Page._get_site_root_paths).
            request._wagtail_cached_site_root_paths = site_root_paths()
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from wagtail.views import serve as wagtail_serve

        # Only requests that reach Wagtail's page view are routed here.
        site = getattr(request, "_wagtail_site", None)
        if view_func is not wagtail_serve or site is None:
            return None
        try:
            route = self.route(request, site)
        except Http404:
            route = None
        if route is not NOT_ROUTED:
            request._wagtail_route_for_request = route
        return None

    @staticmethod
    def route(request, site):
        """The route to the home page, a column (or its archive) or an article, in one query; or
        NOT_ROUTED for anything else, which Wagtail's own routing then finds."""
        components = [part for part in request.path_info.split("/") if part]
        if not components:
            home = HomePage.objects.filter(pk=site.root_page_id).first()
            return home.route(request, []) if home else NOT_ROUTED
        column = live_columns(site).get(components[0])
        if column is None:
            return NOT_ROUTED
        column_path, column_id = column
        rest = components[1:]
        if is_article_path(rest):
            return NewsIndexPage.route_to_article(column_path, rest)
        return NewsIndexPage.objects.get(pk=column_id).route(request, rest)


NOT_ROUTED = object()
