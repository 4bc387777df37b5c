"""schema.org NewsArticle data (JSON-LD) and OpenGraph values of an article page."""

import json

from django.utils.safestring import mark_safe

from core.beijing_time import beijing_time, iso_beijing_time

# Characters that could end the <script> element or confuse an HTML parser inside it.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(data):
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES))  # noqa: S308


def article_data(page, request, site_name, click_count, image_url=None, teaser=None):
    url = request.build_absolute_uri(page.get_url(request))
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page.title[:110],
        "datePublished": iso_beijing_time(page.published_at),
        "dateModified": beijing_time(page.last_published_at or page.published_at)
        .replace(microsecond=0)
        .isoformat(),
        "mainEntityOfPage": url,
        "url": url,
        "inLanguage": "zh-CN",
        "publisher": {"@type": "Organization", "name": site_name},
        "interactionStatistic": {
            "@type": "InteractionCounter",
            "interactionType": "https://schema.org/ReadAction",
            "userInteractionCount": click_count,
        },
    }
    teaser = page.teaser if teaser is None else teaser
    if teaser:
        data["description"] = teaser
    if page.author:
        data["author"] = {"@type": "Person", "name": page.author}
    if page.source:
        data["sourceOrganization"] = {"@type": "Organization", "name": page.source}
        data.setdefault("author", {"@type": "Organization", "name": page.source})
    if image_url:
        data["image"] = [image_url]
    return data
