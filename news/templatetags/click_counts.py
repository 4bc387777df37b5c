"""An article page's click count (点击数), `{% click_count page %}`, and its structured data,
`{% article_json_ld page image_url teaser %}`, which carries the same number: both ask the click
counter (news/hits/counting.py) as the page is rendered, once for the two; a reader's view is
counted then, and the number written is the total it came to."""

from django import template
from wagtail.models import Site

from news.hits.counting import shown_count
from news.models import ArticlePage
from news.structured_data import article_data, json_ld

register = template.Library()


def count_to_render(context, page):
    """The number this request's page shows (news/hits/counting.py decides whether the view counts
    and counts it first), asked once per rendering of the page."""
    if page.pk is None:  # previewing an article that has not been saved yet
        return 0
    counts = context.render_context.setdefault("click_counts", {})
    if page.pk not in counts:
        counts[page.pk] = shown_count(context.get("request"), page.pk, stored=loaded_count(page))
    return counts[page.pk]


def loaded_count(page):
    """The stored count where it came with the page, else None (then it is read if needed)."""
    if page.alias_of_id or ArticlePage.hit_count.is_cached(page):
        return page.click_count_stored
    return None


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
