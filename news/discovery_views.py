"""What browsers and crawlers ask for at the site's root: robots.txt, pointing crawlers at the
sitemap and away from the admin and search results, and /favicon.ico."""

from django.contrib.staticfiles import finders
from django.http import FileResponse, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe


@require_safe
@cache_control(public=True, max_age=86400)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "Disallow: /hits/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
@cache_control(public=True, max_age=86400)
def favicon(request):
    # Pages name their icons in <head>; this is for the browsers, readers and crawlers that ask
    # the root regardless. Served here rather than redirected: the static file's name carries a
    # hash that changes when the icon does.
    icon = finders.find("img/favicon.ico")
    return FileResponse(open(icon, "rb"), content_type="image/x-icon")
