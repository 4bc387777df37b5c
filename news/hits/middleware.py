"""The middleware that counts a reader's view of an article after the response is made, and
writes the current count into the page the reader gets. Nothing here can break a page: any
failure is logged and the response goes out as it is.

The count is made before the page leaves the worker, because the number it returns is written
into the page. A worker that dies in between (SIGKILL, the OOM killer, a timeout; measured on
the production stack: a median 0.3 ms from the count to the last byte written) leaves a view
counted whose reader got no page (nginx answers 502). The reader's reload within HITCOUNT_WINDOW
then counts nothing more, so a reader who gets the page in the end is counted exactly once; only
one who gives up is counted without having read it. Counting on the response's close instead
would not make this exact: a worker dying after the page was written and before the count's
round trip would lose a view its reader did get, every view would cost a second round trip (one
to show the number, one to count), and the number shown would be a guess under concurrency.
tests/site/test_faults.py kills a worker at that moment."""

import logging
import re

from django.conf import settings

from core import redis as site_redis
from news.hits import store
from news.hits.counting import (
    COUNTED_ATTR,
    SERVED_FROM_CACHE_ATTR,
    count_view,
    is_prefetch,
    prefetch_key,
)
from news.models import COUNTABLE_PAGE_ATTR

logger = logging.getLogger(__name__)

# The rendered count, rewritten with the current number once the view has been counted; the
# article's structured data carries the same number.
COUNT_MARKER_RE = re.compile(rb"(<span data-hit-count>)(\d+)(</span>)")
STRUCTURED_COUNT_RE = re.compile(rb'("userInteractionCount": )(\d+)')

MISSING = object()


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
            # Counted only if the page's beacon later reports it shown (news/hits/beacon.py).
            try:
                store.remember_prefetch(prefetch_key(request, page_id))
            except Exception:
                logger.exception("Noting a prefetch of page %s failed", page_id)
            return response
        try:
            total = getattr(request, COUNTED_ATTR, MISSING)
            if total is MISSING:
                total = count_view(request, page_id)
            if isinstance(total, int):
                show_count(response, total)
            elif getattr(request, SERVED_FROM_CACHE_ATTR, False) or site_redis.client():
                # A kept page holds an older number, and a rendered one the stored count without
                # the views still buffered in Redis (news/templatetags/click_counts.py).
                show_count(response, store.current_count(page_id))
        except Exception:
            logger.exception(
                "Counting a view of page %s failed; the page is served as it is", page_id
            )
        return response
