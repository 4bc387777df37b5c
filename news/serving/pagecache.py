"""Full-page caching for anonymous readers, with the click count kept exact and current.

With PAGE_CACHE = "django" or "cdn", a successful GET of a public page by a visitor without a
session is kept in this process's memory (and in Redis when configured) under the site number of
the generation (core/generation.py), with what else it depends on:

- a list (the home page, a column, a feed, a search …): the articles number, so any article
  published or withdrawn shows in it on the next request;
- an article: the articles number too, read on every view in the same round trip as its count;
  once it has moved, the article's own live revision, its neighbours (上一篇/下一篇) and its
  相关阅读 (news/related/reading.py) are checked (a query each at most), and the page is kept
  again under the new number if they are unchanged, so another article's publishing leaves it
  kept unless that article is, or becomes, its neighbour or one of its related articles.

A change to anything else (the site number) serves fresh pages on the next request of every
process. A kept article's view is counted as it is looked up (news/hits/counting.py decides), and
the count is written into the kept page's slots for it. With "cdn", pages also carry `Cache-Control: public, s-maxage`
for a proxy that answers without asking Django; their script's beacon then does the counting.

After a change, the first request for a page renders it while the others for the same page wait
up to RENDER_WAIT_SECONDS for it (RENDER_LOCK_SECONDS at most), instead of every worker rendering
every page at once: with Redis across all workers, without it among the threads of each process.
A page that could not be kept the last time (a password form, a 404, a redirect) is rendered by
each request at once, with no turn to wait for.
"""

import re
import threading
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

from core import generation
from core.clients import usual_host
from news.hits.counting import (
    COUNTED_ATTR,
    KEPT_PAGE_GONE,
    SERVED_FROM_CACHE_ATTR,
    count_kept_view,
    counts_kept_view,
    shown_count,
)
from news.models import (
    CANONICAL_PAGE_ATTR,
    COUNTABLE_PAGE_ATTR,
    SERVED_ARTICLE_ATTR,
    ArticlePage,
    neighbours_key,
)
from news.related.reading import related_articles

# The headers a kept page is answered with, as its render got them: the page cache sits outside
# the middleware that sets the policy and framing headers (MIDDLEWARE in sitecms/settings/base.py).
KEPT_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Link",
    "Content-Security-Policy",
    "Content-Security-Policy-Report-Only",
    "X-Frame-Options",
)
# What a kept entry holds changes with the code: one kept by another version (in Redis, shared
# with machines not yet upgraded) is not answered, but rendered again. 2: with the headers above.
KEPT_FORMAT = 2
# How long others wait for the request rendering a page, and how long that one may hold its turn.
RENDER_WAIT_SECONDS = 2.0
RENDER_LOCK_SECONDS = 10
POLL_SECONDS = 0.02


# Where a kept article shows its click count: the page's 点击数 and its structured data's
# userInteractionCount (templates/news/article_page.html). A kept page is split there once, when it
# is kept, and each answer joins it with the number shown_count gives (news/hits/counting.py).
COUNT_SLOT_RE = re.compile(
    rb"(?<=<span data-hit-count>)\d+(?=</span>)|(?<=\"userInteractionCount\": )\d+"
)


def split_at_counts(content):
    """(the content's pieces around its click counts, the number rendered there, or None)."""
    pieces, start, number = [], 0, None
    for found in COUNT_SLOT_RE.finditer(content):
        pieces.append(content[start : found.start()])
        start, number = found.end(), int(found.group())
    pieces.append(content[start:])
    return pieces, number


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
        and usual_host(request)
        and not request.path.startswith(("/admin/", "/documents/", "/hits/", "/static/", "/media/"))
    )


def is_cacheable(response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if "cookie" in response.get("Vary", "").lower():
        return False
    control = response.get("Cache-Control", "").lower()
    return not any(word in control for word in ("private", "no-store", "no-cache"))


# What a kept page depends on besides the site number -----------------------------------------


def article_dependency(article):
    """What a kept article page shows of the tree: its revision, where it sits, its neighbours,
    its 相关阅读."""
    return {
        "id": article.pk,
        "revision": article.live_revision_id,
        "path": article.path,
        "depth": article.depth,
        "published_at": article.published_at,
        "neighbours": article.neighbours(),
        "related": related_articles(article),
    }


def current_neighbours(dependency):
    """The kept article's neighbours now (cached under the generation's articles number; the
    article is made up from the kept fields only when they must be found again)."""
    kept = generation.get(neighbours_key(dependency["id"]), generation.MISSING)
    if kept is not generation.MISSING:
        return kept
    article = ArticlePage(
        pk=dependency["id"],
        path=dependency["path"],
        depth=dependency["depth"],
        published_at=dependency["published_at"],
    )
    return article.neighbours()


def is_current(stored, current):
    """Whether a page kept under `current`'s site number still shows what a new one would: a
    list, if nothing was published since; an article, also if its own live revision and its
    neighbours and 相关阅读 are what it shows (one query for the revision, only after a publish,
    and one for each of the others not yet found under the new generation)."""
    kept_under = stored["kept_under"]
    if current.site != kept_under.site or stored.get("format") != KEPT_FORMAT:
        return False
    if current.articles == kept_under.articles:
        return True
    article = stored.get("article")
    if article is None:
        return False
    revision = generation.live_revision(article["id"])
    if revision is generation.UNKNOWN:  # the database is away: nothing changed meanwhile
        return True
    return (
        revision == article["revision"]
        and current_neighbours(article) == article["neighbours"]
        and related_articles(ArticlePage(pk=article["id"])) == article.get("related")
    )


def still_current(name, stored, current):
    """The kept page if it is current (kept again under `current`, so that the next view need
    not check it again), else None, the page dropped."""
    kept_under = stored["kept_under"]
    if is_current(stored, current):
        if kept_under != current:
            keep(name, {**stored, "kept_under": current}, current)
        return stored
    generation.forget(name, tier="pages", generation=kept_under, articles=False)
    return None


def keep(name, entry, kept_under):
    generation.put(
        name,
        entry,
        timeout=settings.PAGE_CACHE_KEEP_SECONDS,
        tier="pages",
        generation=kept_under,
        articles=False,
    )


# Taking turns to render ----------------------------------------------------------------------

_local_turns = {}
_local_turns_lock = threading.Lock()


def take_turn(name):
    """Whether this request is the one to render `name` now (nobody else is, in this process or,
    with Redis, in any)."""
    with _local_turns_lock:
        if _local_turns.get(name, 0) > time.monotonic():
            return False
        _local_turns[name] = time.monotonic() + RENDER_LOCK_SECONDS
    if settings.REDIS_URL and not cache.add(f"render:{name}", 1, RENDER_LOCK_SECONDS):
        with _local_turns_lock:
            _local_turns.pop(name, None)
        return False
    return True


def turn_taken(name):
    with _local_turns_lock:
        if _local_turns.get(name, 0) > time.monotonic():
            return True
    return bool(settings.REDIS_URL and cache.get(f"render:{name}"))


def mark_not_kept(name, kept):
    """Note whether the last render of `name` was kept: while a page is one that cannot be kept
    (a password form, a 404, a redirect), nobody waits for another's render of it."""
    key = f"unkept:{name}"
    if kept:
        caches["local"].delete(key)
    else:
        caches["local"].set(key, 1, RENDER_LOCK_SECONDS)
    if settings.REDIS_URL:
        if kept:
            cache.delete(key)
        else:
            cache.set(key, 1, RENDER_LOCK_SECONDS)


def not_kept_lately(name):
    key = f"unkept:{name}"
    return bool(caches["local"].get(key) or (settings.REDIS_URL and cache.get(key)))


def end_turn(name):
    with _local_turns_lock:
        _local_turns.pop(name, None)
    if settings.REDIS_URL:
        cache.delete(f"render:{name}")


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.PAGE_CACHE == "off" or not is_anonymous_get(request):
            return self.get_response(request)
        name = cache_name(request)
        stored = self.lookup(request, name)
        if stored is None and (request.method != "GET" or not_kept_lately(name)):
            return self.render(request, name)  # nothing to wait for
        deadline = time.monotonic() + RENDER_WAIT_SECONDS
        while stored is None:
            if take_turn(name):
                try:
                    return self.render(request, name)
                finally:
                    end_turn(name)
            if time.monotonic() > deadline or not_kept_lately(name):
                return self.render(request, name)
            stored = self.wait_for(name, deadline)
        setattr(request, SERVED_FROM_CACHE_ATTR, True)
        if stored["page_id"] is not None:
            setattr(request, COUNTABLE_PAGE_ATTR, stored["page_id"])
        return self.rebuild(request, stored)

    def render(self, request, name):
        kept_under = generation.current()  # read before rendering: a change meanwhile is newer
        response = self.get_response(request)
        if request.method != "GET":
            return response
        kept = (
            is_cacheable(response)
            and not getattr(request, "is_preview", False)
            and ("page" not in request.GET or getattr(request, CANONICAL_PAGE_ATTR, False))
        )
        mark_not_kept(name, kept)
        if kept:
            article = getattr(request, SERVED_ARTICLE_ATTR, None)
            pieces, count = split_at_counts(response.content)
            entry = {
                "format": KEPT_FORMAT,
                "pieces": pieces,
                "count": count,
                "headers": {
                    header: response[header]
                    for header in KEPT_HEADERS
                    if response.has_header(header)
                },
                "page_id": getattr(request, COUNTABLE_PAGE_ATTR, None),
                "kept_under": kept_under,
                "article": article_dependency(article) if article is not None else None,
            }
            keep(name, entry, kept_under)
            self.add_shared_cache_headers(response)
        return response

    @staticmethod
    def lookup(request, name):
        """The page kept for this URL that is still current, or None.

        A page that is a counted article is looked for under the generation this process read
        last, and its view is counted in the same round trip that reads the current generation,
        if the site number is the same and either nothing was published since or the article is
        still live: then the article is what the reader gets, kept or rendered afresh if it
        changed (and its view is not counted again). A page no longer current is dropped."""
        guess = generation.last_read()
        if guess is not None and counts_kept_view(request):
            stored = generation.get(name, tier="pages", generation=guess, articles=False)
            if stored is not None and stored["page_id"] is not None:
                page_id, kept_under = stored["page_id"], stored["kept_under"]
                total, current = count_kept_view(request, page_id, kept_under)
                generation.adopt(current)  # this request's generation from now on
                if total is not KEPT_PAGE_GONE:
                    setattr(request, COUNTED_ATTR, total)
                return still_current(name, stored, current)
        current = generation.current()
        stored = generation.get(name, tier="pages", articles=False)
        return None if stored is None else still_current(name, stored, current)

    @staticmethod
    def wait_for(name, deadline):
        """The page another request is rendering, once it is kept; None when that request is
        done without keeping a page this one may serve (another change came meanwhile), or at
        the deadline."""
        while time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            current = generation.read()
            stored = generation.get(name, tier="pages", generation=current, articles=False)
            if stored is not None and is_current(stored, current):
                return stored
            if not turn_taken(name) or not_kept_lately(name):
                return None
        return None

    def rebuild(self, request, stored):
        """The kept page, with the current click count where it shows one: written once, the
        number shown_count decides (the view counted, if it counts, as the page was looked up)."""
        pieces = stored["pieces"]
        content = pieces[0]
        if len(pieces) > 1:
            count = shown_count(request, stored["page_id"], fallback=stored["count"])
            content = str(count).encode().join(pieces)
        response = HttpResponse(content)
        # Said here, as CommonMiddleware says it for a rendered page: a kept one never meets it.
        response["Content-Length"] = len(content)
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
