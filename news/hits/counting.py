"""What counts as a click (点击数): the policy, and the keys that recognise a reader.

A view counts when it is a successful GET of a live article, made by a reader: not a preview, not a
prefetch or prerender, not a crawler or a command-line tool, not a signed-in editor, and not a
reload by the same reader within HITCOUNT_WINDOW seconds. Readers are recognised by a keyed hash of
the day, the page, their IP address and their User-Agent; no cookie is read or set for it and no IP
is stored. Whether that reader was seen is decided in one place for every worker and machine (the
database, or Redis when configured), together with the count (news/hits/store.py). The middleware that
applies it is news/hits/middleware.py.
"""

import logging
import re

from django.conf import settings
from django.utils.timezone import localdate

from core import generation
from core.clients import client_ip
from core.keyed import keyed_hash
from core.limits import address_block
from news.hits import store

logger = logging.getLogger(__name__)

# Set by the page cache (news/serving/pagecache.py) when it has counted the view already (what
# count_view returned), and when it answers with a page it kept, whose number is an older one.
COUNTED_ATTR = "counted_view"
SERVED_FROM_CACHE_ATTR = "served_from_page_cache"
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


def address_key(request, page_id):
    """A keyed hash of the day, the article and the reader's address alone: the views one
    address makes of an article in a day are capped (HITCOUNT_MAX_PER_ADDRESS). An IPv6 address
    is taken by its /64, which one subscriber holds whole (core/limits.py)."""
    address = address_block(client_ip(request))
    return keyed_hash("address", localdate().isoformat(), str(page_id), address)


def reader_key(request, page_id):
    """A keyed hash recognising the same reader of the same page on the same day (40 hex
    characters); no IP is kept."""
    return keyed_hash(
        localdate().isoformat(),
        str(page_id),
        client_ip(request),
        request.META.get("HTTP_USER_AGENT", ""),
    )


def prefetch_key(request, page_id):
    """A keyed hash naming the prefetch or prerender of an article by one reader, so that the
    beacon that reports it shown can be matched to a page the server really sent."""
    return keyed_hash(
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


NOT_COUNTED = store.NOT_COUNTED
KEPT_PAGE_GONE = store.KEPT_PAGE_GONE


def count_view(request, page_id):
    """Count the view if it is a reader's first in the window.

    Returns NOT_COUNTED, or the new total when the store knows it (the database returns it from
    the increment), or None when the view was counted but the total would cost another read.
    """
    if not is_reader(request):
        return NOT_COUNTED
    return store.record_view(page_id, *readers_of(request, page_id))


def count_kept_view(request, page_id, kept_under):
    """The view of an article kept in the page cache under the generation `kept_under`: counted
    (as count_view) only while the site number is the same and either nothing was published
    since or the article is still live, else KEPT_PAGE_GONE; with the current generation, read in
    the same round trip where the store allows it (news/serving/pagecache.py checks the kept page
    with it). Counting failures count nothing; the generation is then read on its own."""
    try:
        if is_reader(request):
            reader, address = readers_of(request, page_id)
            return store.record_view(page_id, reader, address, kept_under=kept_under)
    except Exception:
        logger.exception("Counting a view of page %s failed; the page is served as it is", page_id)
    return NOT_COUNTED, generation.read()
