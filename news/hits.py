"""What counts as a click (点击数), and the middleware that counts it after the response.

A view counts when it is a successful GET of a live article, made by a reader: not a preview, not a
prefetch or prerender, not a crawler or a command-line tool, not a signed-in editor, and not a
reload by the same reader within HITCOUNT_WINDOW seconds. Readers are recognised by a keyed hash of
the day, the page, their IP address and their User-Agent; no cookie is read or set for it and no IP
is stored. Whether that reader was seen is decided in one place for every worker and machine (the
database, or Redis when configured), together with the count (news/hitstore.py). Nothing here can
break a page: any failure is logged and the response goes out as it is.
"""

import hashlib
import hmac
import logging
import re

from django.conf import settings
from django.utils.timezone import localdate

from core import generation
from core.clients import client_ip
from news import hitstore
from news.models import COUNTABLE_PAGE_ATTR

logger = logging.getLogger(__name__)

# Set by the page cache when it has counted the view already (what count_view returned).
COUNTED_ATTR = "counted_view"
# The rendered count, rewritten with the current number once the view has been counted; the
# article's structured data carries the same number.
COUNT_MARKER_RE = re.compile(rb"(<span data-hit-count>)(\d+)(</span>)")
STRUCTURED_COUNT_RE = re.compile(rb'("userInteractionCount": )(\d+)')

CRAWLER_RE = re.compile(
    r"bot\b|bot/|spider|crawl|slurp|baidu|bytespider|yisou|sogou|360spider|haosou|yandex|"
    r"curl|wget|python-requests|python-urllib|python-httpx|aiohttp|go-http-client|java/|okhttp|"
    r"libwww|httpclient|node-fetch|axios|scrapy|headlesschrome|phantomjs|lighthouse|pingdom|"
    r"uptime|monitor|feedfetcher|facebookexternalhit|preview",
    re.IGNORECASE,
)


def is_crawler(user_agent):
    return not user_agent.strip() or CRAWLER_RE.search(user_agent) is not None


def is_prefetch(meta):
    """Prefetch and prerender requests, by every header browsers and proxies use to say so."""
    purpose = meta.get("HTTP_SEC_PURPOSE") or meta.get("HTTP_PURPOSE") or ""
    if purpose.strip().lower().startswith("prefetch"):
        return True
    if meta.get("HTTP_X_PURPOSE", "").strip().lower() in {"preview", "prefetch"}:
        return True
    return meta.get("HTTP_X_MOZ", "").strip().lower() == "prefetch"


def is_preview(request):
    return bool(getattr(request, "is_preview", False) or getattr(request, "is_dummy", False))


def is_editor(request):
    """A signed-in user with admin access. Anonymous readers' sessions are never loaded."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    session = getattr(request, "session", None)
    accessed = getattr(session, "accessed", False)
    try:
        user = getattr(request, "user", None)
        return bool(user and user.is_authenticated and user.has_perm("wagtailadmin.access_admin"))
    finally:
        # Looking did not use the session for the page, so it must not add "Vary: Cookie".
        if session is not None:
            session.accessed = accessed


def _keyed(*parts):
    message = "|".join(parts)
    return hmac.new(settings.SECRET_KEY.encode(), message.encode(), hashlib.sha256).hexdigest()[:40]


def address_key(request, page_id):
    """A keyed hash of the day, the article and the reader's address alone: the views one
    address makes of an article in a day are capped (HITCOUNT_MAX_PER_ADDRESS)."""
    return _keyed("address", localdate().isoformat(), str(page_id), client_ip(request))


def reader_key(request, page_id):
    """A keyed hash recognising the same reader of the same page on the same day (40 hex
    characters); no IP is kept."""
    return _keyed(
        localdate().isoformat(),
        str(page_id),
        client_ip(request),
        request.META.get("HTTP_USER_AGENT", ""),
    )


def prefetch_key(request, page_id):
    """A keyed hash naming the prefetch or prerender of an article by one reader, so that the
    beacon that reports it shown can be matched to a page the server really sent."""
    return _keyed(
        "prefetch", str(page_id), client_ip(request), request.META.get("HTTP_USER_AGENT", "")
    )


def readers_of(request, page_id):
    """(reader key, address key) for counting: None where that check is off."""
    if settings.HITCOUNT_WINDOW <= 0:
        return None, None
    address = address_key(request, page_id) if settings.HITCOUNT_MAX_PER_ADDRESS > 0 else None
    return reader_key(request, page_id), address


def is_reader(request):
    """Every check but the page's own, cheapest first."""
    meta = request.META
    return not (
        is_preview(request)
        or is_prefetch(meta)
        or is_crawler(meta.get("HTTP_USER_AGENT", ""))
        or is_editor(request)
    )


NOT_COUNTED = hitstore.NOT_COUNTED
MISSING = object()


def count_view(request, page_id):
    """Count the view if it is a reader's first in the window.

    Returns NOT_COUNTED, or the new total when the store knows it (the database returns it from
    the increment), or None when the view was counted but the total would cost another read.
    """
    if not is_reader(request):
        return NOT_COUNTED
    return hitstore.record_view(page_id, *readers_of(request, page_id))


def count_view_reading_generation(request, page_id):
    """count_view, and the current site generation, read in the same round trip where the store
    allows it (news/pagecache.py checks a cached article with it). Counting failures count
    nothing; the generation is then read on its own."""
    try:
        if is_reader(request):
            reader, address = readers_of(request, page_id)
            return hitstore.record_view(page_id, reader, address, read_generation=True)
    except Exception:
        logger.exception("Counting a view of page %s failed; the page is served as it is", page_id)
    return NOT_COUNTED, generation.read()


def show_count(response, count):
    """Write the count into the page the reader is about to see: a number, or a function of the
    number already rendered there."""
    if getattr(response, "streaming", False):
        return
    match = COUNT_MARKER_RE.search(response.content)
    if match is None:
        return
    total = count(int(match.group(2))) if callable(count) else count
    number = str(total).encode()
    start, end = match.span(2)
    content = response.content[:start] + number + response.content[end:]
    response.content = STRUCTURED_COUNT_RE.sub(lambda found: found.group(1) + number, content, 1)
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))


class HitCounterMiddleware:
    """Counts article views after the response is made. Place it above any page-cache middleware
    so that views served from the cache are counted too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method != "GET" or response.status_code != 200 or not settings.HITCOUNT_ENABLED:
            return response
        page_id = getattr(request, COUNTABLE_PAGE_ATTR, None)
        if page_id is None or settings.HITCOUNT_MODE != "server":
            return response
        if is_prefetch(request.META):
            # Counted only if the page's beacon later reports it shown (news/views.py).
            try:
                hitstore.remember_prefetch(prefetch_key(request, page_id))
            except Exception:
                logger.exception("Noting a prefetch of page %s failed", page_id)
            return response
        try:
            total = getattr(request, COUNTED_ATTR, MISSING)
            if total is MISSING:
                total = count_view(request, page_id)
            if isinstance(total, int):
                show_count(response, total)
            elif getattr(request, "served_from_page_cache", False) or hitstore.redis_client():
                # A kept page holds an older number, and a rendered one the stored count without
                # the views still buffered in Redis (ArticlePage.click_count).
                show_count(response, hitstore.current_count(page_id))
        except Exception:
            logger.exception(
                "Counting a view of page %s failed; the page is served as it is", page_id
            )
        return response
