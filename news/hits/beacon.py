"""The click-count beacon: counts a view the server could not see (a page from a CDN, a
prerendered page shown later), and answers with the count."""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core import limits
from news.hits import store
from news.hits.counting import NOT_COUNTED, count_view, prefetch_key
from news.models import MAX_ID, ArticlePage

logger = logging.getLogger(__name__)

# Reasons the page's script gives for a view the server did not count.
UNSEEN_VIEW_REASONS = {"prerender", "prefetch"}


def cross_site(request):
    """A post another site's page made: the browser says so in Sec-Fetch-Site, or its Origin is
    not this site. (A CSRF token cannot be asked for: a page from a CDN is the same for all.)"""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site not in {"same-origin", "none"}:
        return True
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    try:
        return urlsplit(origin).netloc != request.get_host()
    except ValueError:  # "http://[::1": no site's origin, so not this one's
        return True


@csrf_exempt  # checked by cross_site() instead; it only ever adds one deduplicated view
@never_cache
@require_POST
def hit_beacon(request, page_id):
    if page_id > MAX_ID:
        return JsonResponse({"error": "文章不存在或尚未发布。"}, status=404)
    if cross_site(request):
        return JsonResponse({"error": "不接受来自其他网站的请求。"}, status=403)
    if limits.exceeded(request, "beacon", settings.BEACON_RATE_LIMIT):
        return JsonResponse({"error": "请求过于频繁，请稍后再试。"}, status=429)
    page = ArticlePage.objects.readable().filter(pk=page_id).select_related("hit_count").first()
    if page is None:
        return JsonResponse({"error": "文章不存在或尚未发布。"}, status=404)
    total = NOT_COUNTED
    reason = request.headers.get("X-Hit-Reason", "")
    # In "beacon" mode this is how every view is counted; in "server" mode only views whose
    # request the server saw as a prefetch are, so nothing is counted twice, and only if this
    # reader's browser was really sent that prefetch.
    if settings.HITCOUNT_ENABLED and (
        settings.HITCOUNT_MODE == "beacon"
        or (reason in UNSEEN_VIEW_REASONS and store.take_prefetch(prefetch_key(request, page.pk)))
    ):
        try:
            total = count_view(request, page.pk)
        except Exception:
            logger.exception("Counting a beacon view of page %s failed", page.pk)
    if not isinstance(total, int):
        total = store.current_count(page.pk, stored=page.click_count_stored)
    return JsonResponse({"count": total})
