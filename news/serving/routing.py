"""What serving a public page costs: the site, the route to the home page, a column or an
article and the view-restriction check come from cached plain data (the pages' own field values,
kept under the site generation), so routing a page costs no query once its fields are kept.

Wagtail's serve view reuses `request._wagtail_site` and `request._wagtail_route_for_request` when
they are already set. The middleware sets them for what it can answer from the tree cache and
leaves every other request to Wagtail's own routing. The cache entries are keyed by the tree
version, which changes with any publish, move, delete, site or view-restriction change.
The home page, a column, its archive and an article cost one query each to route the first time
after a change, none after that.
"""

from django.http import Http404
from django.http.request import split_domain_port
from wagtail.models import Page, Site
from wagtail.models.sites import get_site_for_hostname

from core import generation
from core.generation import MISSING, remember
from news.models import ArticlePage, HomePage, NewsIndexPage, is_article_path


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


def kept_page(model, pk, articles=False, live_only=False, leave_out=()):
    """The page `pk` of `model`, made from its field values kept under the generation (the site
    number, and with `articles` the articles number too): no query once kept. None when there is
    no such page (or, with `live_only`, no live one); a miss is not kept, so addresses made up
    by the thousand cannot fill the cache. Fields in `leave_out` are loaded when first used."""
    names = [field.attname for field in model._meta.concrete_fields if field.name not in leave_out]
    name = f"route:{model._meta.label_lower}:{pk}"
    values = generation.get(name, MISSING, articles=articles)
    if values is MISSING:
        found = model.objects.filter(pk=pk)
        row = (found.filter(live=True) if live_only else found).values_list(*names).first()
        if row is None:
            return None
        values = list(row)
        generation.put(name, values, articles=articles)
    return model.from_db("default", names, values)


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
            home = kept_page(HomePage, site.root_page_id)
            return home.route(request, []) if home else NOT_ROUTED
        column = live_columns(site).get(components[0])
        if column is None:
            return NOT_ROUTED
        column_path, column_id = column
        rest = components[1:]
        if is_article_path(rest):
            # An article's own fields change only when it is published (the articles number);
            # its body is loaded only when its rendering is not cached (ArticlePage.published_parts).
            article = kept_page(
                ArticlePage, int(rest[2]), articles=True, live_only=True, leave_out={"body"}
            )
            return NewsIndexPage.route_to_article(column_path, rest, article)
        column = kept_page(NewsIndexPage, column_id)
        if column is None:
            raise Http404
        return column.route(request, rest)


NOT_ROUTED = object()
