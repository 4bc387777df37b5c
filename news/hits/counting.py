"""What counts as a click (点击数): the policy, and the keys that recognise a reader.

A view counts when it is a successful GET of a live article, made by a reader: not a preview, not a
prefetch or prerender, not a crawler or a command-line tool, not a signed-in editor, and not a
reload by the same reader within HITCOUNT_WINDOW seconds. Readers are recognised by a keyed hash of
the day, the page, their IP address and their User-Agent; no cookie is read or set for it and no IP
is stored. Whether that reader was seen is decided in one place for every worker and machine (the
database, or Redis when configured), together with the count (news/hits/store.py).

Whether a request counts a view, and the number its page shows, is decided here alone, once per
request (`shown_count`): when an article page is rendered (its `{% click_count %}`, in
news/templatetags/click_counts.py), or when the page cache answers with a kept page
(news/serving/pagecache.py, which counts in the round trip that checks the kept page is current and
writes the number into the kept page's one slot for it). So the number is written into the page
once, and is the total the count returned. The beacon's views (`beacon_count`) are decided here too.

The count is made before the page leaves the worker, because the number it returns is written
into the page. A worker that dies in between (SIGKILL, the OOM killer, a timeout; measured on
the production stack: a median 0.3 ms from the count to the last byte written) leaves a view
counted whose reader got no page (nginx answers 502). The reader's reload within HITCOUNT_WINDOW
then counts nothing more, so a reader who gets the page in the end is counted exactly once; only
one who gives up is counted without having read it. Counting on the response's close instead
would not make this exact: a worker dying after the page was written and before the count's
round trip would lose a view its reader did get, every view would cost a second round trip (one
to show the number, one to count), and the number shown would be a guess under concurrency.
tests/site/test_faults.py kills a worker at that moment.
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
from news.models import COUNTABLE_PAGE_ATTR

logger = logging.getLogger(__name__)

# What this request's view of its article came to (what count_view returned), set once it is
# decided: by shown_count, or by the page cache when it counted a kept page's view; and whether
# the page cache answered with a page it kept.
COUNTED_ATTR = "counted_view"
SERVED_FROM_CACHE_ATTR = "served_from_page_cache"
# Beacon reasons for a view the server saw as a prefetch and did not count (news/hits/beacon.py).
UNSEEN_VIEW_REASONS = {"prerender", "prefetch"}
_UNDECIDED = object()
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


def server_counts():
    """Whether the server counts views as it answers them (else the page's beacon does, or, with
    counting off, nobody)."""
    return settings.HITCOUNT_ENABLED and settings.HITCOUNT_MODE == "server"


def counts_kept_view(request):
    """Whether the page cache may count this request's view of a kept article in the round trip
    that checks it (a prefetch is not counted, but noted when its page is shown: shown_count)."""
    return server_counts() and request.method == "GET" and not is_prefetch(request.META)


def count_served_view(request, page_id):
    """Count this request's view of the article `page_id` if it is one: a GET of the live
    article Wagtail served (ArticlePage.serve marks it, past the password form and the login
    redirect), counted by the server, by a reader; a prefetch is noted for the beacon instead.
    Any failure is logged and counts nothing."""
    if not (
        server_counts()
        and request.method == "GET"
        and getattr(request, COUNTABLE_PAGE_ATTR, None) == page_id
    ):
        return NOT_COUNTED
    try:
        if is_prefetch(request.META):
            # Counted only if the page's beacon later reports it shown (news/hits/beacon.py).
            store.remember_prefetch(prefetch_key(request, page_id))
            return NOT_COUNTED
        return count_view(request, page_id)
    except Exception:
        logger.exception("Counting a view of page %s failed; the page is served as it is", page_id)
        return NOT_COUNTED


def shown_count(request, page_id, stored=None, fallback=0):
    """The number the page of article `page_id` shows to this request, its view counted first if
    it counts (once per request, however often it is asked): the total the count returned, else
    the current count with any views still buffered in Redis. `stored`, the database's count
    where it is loaded already, saves reading it; `fallback` is shown if the count cannot be read."""
    if request is None:
        decided = NOT_COUNTED
    else:
        decided = getattr(request, COUNTED_ATTR, _UNDECIDED)
        if decided is _UNDECIDED:
            decided = count_served_view(request, page_id)
            setattr(request, COUNTED_ATTR, decided)
    if isinstance(decided, int):
        return decided
    try:
        return store.current_count(page_id, stored=stored)
    except Exception:
        logger.exception("Reading the count of page %s failed", page_id)
        return stored if stored is not None else fallback


def beacon_count(request, page_id, stored):
    """The beacon's answer for a view the page's script reports: counted in "beacon" mode (a page
    from a CDN), or in "server" mode only a view whose request the server saw as a prefetch and
    this reader's browser was really sent (so nothing is counted twice); the count either way."""
    total = NOT_COUNTED
    reason = request.headers.get("X-Hit-Reason", "")
    if settings.HITCOUNT_ENABLED and (
        settings.HITCOUNT_MODE == "beacon"
        or (reason in UNSEEN_VIEW_REASONS and store.take_prefetch(prefetch_key(request, page_id)))
    ):
        try:
            total = count_view(request, page_id)
        except Exception:
            logger.exception("Counting a beacon view of page %s failed", page_id)
    if not isinstance(total, int):
        total = store.current_count(page_id, stored=stored)
    return total
