"""Full-page caching for anonymous readers, with the click count kept exact and current.

With PAGE_CACHE = "django" or "cdn", a successful GET of a public page by a visitor without a
session is kept in this process's memory (and in Redis when configured), keyed by the site
generation (core/generation.py), so any publish, unpublish, move, delete, new restriction or
contact-details change serves fresh pages on the next request of every process. The counter middleware above this one
still sees every view served from the cache and writes the current count into it. With "cdn", pages
also carry `Cache-Control: public, s-maxage` for a proxy that answers without asking Django; their
script's beacon then does the counting.
"""

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

from core import generation
from news.hits.counting import COUNTED_ATTR, count_view_reading_generation
from news.models import CANONICAL_PAGE_ATTR, COUNTABLE_PAGE_ATTR

SERVED_FROM_CACHE_ATTR = "served_from_page_cache"
KEPT_HEADERS = ("Content-Type", "Content-Language", "Link")


def cache_name(request):
    return f"page:{request.get_host()}:{request.get_full_path()}"


# Query parameters that select a different page of content; any other parameter bypasses the
# cache, so random query strings cannot fill it, and a page number is cached only where a list
# served exactly the page asked for (news/models.py, paginated()): never on the sitemap or with
# out-of-range or oddly written numbers. Searches are cached too (a shared report brings
# many readers searching for the same words), but only short ones.
CACHED_QUERY_PARAMETERS = {"page"}
SEARCH_PATH = "/search/"
CACHED_SEARCH_PARAMETERS = {"q", "column", "page"}
CACHED_SEARCH_LENGTH = 40


def cacheable_query(request):
    if request.path == SEARCH_PATH:
        return (
            set(request.GET) <= CACHED_SEARCH_PARAMETERS
            and len(request.GET.get("q", "")) <= CACHED_SEARCH_LENGTH
        )
    return set(request.GET) <= CACHED_QUERY_PARAMETERS


def is_anonymous_get(request):
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and cacheable_query(request)
        and not request.path.startswith(("/admin/", "/documents/", "/hits/", "/static/", "/media/"))
    )


def is_cacheable(response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if "cookie" in response.get("Vary", "").lower():
        return False
    control = response.get("Cache-Control", "").lower()
    return not any(word in control for word in ("private", "no-store", "no-cache"))


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.PAGE_CACHE == "off" or not is_anonymous_get(request):
            return self.get_response(request)
        name = cache_name(request)
        stored = self.lookup(request, name)
        if stored is not None:
            setattr(request, SERVED_FROM_CACHE_ATTR, True)
            if stored["page_id"] is not None:
                setattr(request, COUNTABLE_PAGE_ATTR, stored["page_id"])
            return self.rebuild(stored)
        response = self.get_response(request)
        if (
            request.method == "GET"
            and is_cacheable(response)
            and not getattr(request, "is_preview", False)
            and ("page" not in request.GET or getattr(request, CANONICAL_PAGE_ATTR, False))
        ):
            generation.put(
                name,
                {
                    "content": response.content,
                    "headers": {
                        name: response[name] for name in KEPT_HEADERS if response.has_header(name)
                    },
                    "page_id": getattr(request, COUNTABLE_PAGE_ATTR, None),
                },
                timeout=settings.PAGE_CACHE_KEEP_SECONDS,
                tier="pages",
            )
            self.add_shared_cache_headers(response)
        return response

    @staticmethod
    def lookup(request, name):
        """The page kept for this URL under the current site generation, or None.

        A page that is a counted article is looked for under the generation this process read
        last, and its view is counted in the same round trip that reads the current one: if the
        two differ, the kept page is stale and the article is rendered afresh (its view is then
        not counted again)."""
        guess = generation.last_read()
        counting = settings.HITCOUNT_ENABLED and settings.HITCOUNT_MODE == "server"
        if guess is not None and counting and request.method == "GET":
            stored = generation.get(name, tier="pages", generation=guess)
            if stored is not None and stored["page_id"] is not None:
                total, current = count_view_reading_generation(request, stored["page_id"])
                setattr(request, COUNTED_ATTR, total)
                generation.adopt(current)
                if current == guess:
                    return stored
        return generation.get(name, tier="pages")

    def rebuild(self, stored):
        response = HttpResponse(stored["content"])
        for name, value in stored["headers"].items():
            response[name] = value
        self.add_shared_cache_headers(response)
        return response

    @staticmethod
    def add_shared_cache_headers(response):
        if settings.PAGE_CACHE == "cdn":
            patch_cache_control(
                response, public=True, max_age=0, s_maxage=settings.PAGE_CACHE_SECONDS
            )
