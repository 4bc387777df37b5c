"""The click-count beacon: counts a view the server could not see (a page from a CDN, a
prerendered page shown later), as news/hits/counting.py decides, and answers with the count."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core import limits
from news.hits.counting import beacon_count
from news.models import MAX_ID, ArticlePage


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
    return JsonResponse({"count": beacon_count(request, page.pk, page.click_count_stored)})
