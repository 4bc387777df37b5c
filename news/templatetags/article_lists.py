"""`{% article_list kept %}`: a list of articles kept rendered under the site generation
(news/listing.py), with each row's click count as stored now, all read in one query."""

from django import template
from django.utils.safestring import mark_safe

from news.hits.store import stored_counts

register = template.Library()


@register.simple_tag
def article_list(kept):
    ids = kept[1::2]
    counts = stored_counts(set(ids)) if ids else {}
    return mark_safe(  # noqa: S308 - rendered by a template with autoescaping; counts are ints
        "".join(
            part if number % 2 == 0 else str(counts.get(part, 0))
            for number, part in enumerate(kept)
        )
    )
