"""Finding messages by the words a reader (a channel's published replies, interaction/models.py)
or a member of staff (the 来信 listing, interaction/staff_views.py) types: every word of the query
(read as the site's search reads it, news/search/tokens.py, so the same limits bound its cost)
must appear in one of the fields searched. Messages are few beside articles (thousands, not
millions) and their words are the writers' own, so a substring match is both exact for Chinese
and cheap enough, without an index of their own."""

import functools
import operator

from django.db.models import Q

from news.search.tokens import query_terms


def matching(messages, query, fields):
    """`messages` holding every term of `query` in one of `fields`; all of them for no terms."""
    terms = query_terms(query)
    for term in terms:
        messages = messages.filter(
            functools.reduce(operator.or_, (Q(**{f"{field}__icontains": term}) for field in fields))
        )
    return messages, terms
