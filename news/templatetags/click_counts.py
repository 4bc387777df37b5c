"""An article page's click count (点击数), `{% click_count page %}`, and its structured data,
`{% article_json_ld page image_url teaser %}`, which carries the same number: both read from the
click counter (news/hits/store.py) as the page is rendered, once for the two."""

from django import template
from django.conf import settings
from wagtail.models import Site

from news.hits.store import current_count
from news.structured_data import article_data, json_ld

register = template.Library()


def count_to_render(context, page):
    """Stored views plus any still buffered in Redis, asked once per rendering of the page.

    When the server counts views, the counter middleware writes the exact number into every
    article page it answers (news/hits/middleware.py), so the stored count is rendered as a
    placeholder and Redis is asked once per request, by the counter, rather than twice."""
    if page.pk is None:  # previewing an article that has not been saved yet
        return 0
    counts = context.render_context.setdefault("click_counts", {})
    if page.pk not in counts:
        if settings.HITCOUNT_ENABLED and settings.HITCOUNT_MODE == "server":
            counts[page.pk] = page.click_count_stored
        else:
            counts[page.pk] = current_count(page.pk, stored=page.click_count_stored)
    return counts[page.pk]


@register.simple_tag(takes_context=True)
def click_count(context, page):
    return count_to_render(context, page)


@register.simple_tag(takes_context=True)
def article_json_ld(context, page, image_url=None, teaser=None):
    """schema.org NewsArticle data (news/structured_data.py), for a `<script>` element."""
    request = context["request"]
    site = Site.find_for_request(request)
    return json_ld(
        article_data(
            page,
            request,
            site.site_name if site else "",
            click_count=count_to_render(context, page),
            image_url=image_url,
            teaser=teaser,
        )
    )
