"""The public search's queries: live articles matching every token of a query, newest first, the
matches per column, and a highlighted excerpt. The index holds the tokens of news/search/tokens.py.
"""

import functools
import hashlib
import operator
import re

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import CharField, Exists, IntegerField, OuterRef
from django.db.models.functions import Cast
from django.utils.html import escape
from django.utils.safestring import mark_safe
from modelsearch.conf import get_app_config

from core.generation import remember
from core.richtext import plain_text
from news.models import ArticlePage
from news.search.tokens import query_terms, query_tokens

SNIPPET_CHARS = 120


def search_articles(articles, query):
    """Articles matching every term of the query, newest first; none for an empty query."""
    tokens = query_tokens(query_terms(query))
    if not tokens:
        return articles.none()
    if connection.vendor == "postgresql":
        # Walking the articles newest first and probing each one's index entry stops after a page
        # of results, however many articles hold a common word such as 党建.
        matches = postgres_matches(tokens).filter(object_id=Cast(OuterRef("pk"), CharField()))
        return articles.filter(Exists(matches)).order_by("-published_at", "-pk")
    if connection.vendor == "sqlite":
        return articles.filter(pk__in=matching_pages(sqlite_matches(tokens))).order_by(
            "-published_at", "-pk"
        )
    return articles.order_by("-published_at").search(
        " ".join(tokens), operator="and", order_by_relevance=False
    )


def count_matches(articles, query, results, scope):
    """How many articles `search_articles` finds, kept until the page tree changes."""
    tokens = query_tokens(query_terms(query))
    if not tokens:
        return 0
    matches = {"postgresql": postgres_matches, "sqlite": sqlite_matches}.get(connection.vendor)
    if matches is not None:
        # The set of matching ids is cheaper to count than the results themselves.
        def count():
            return articles.filter(pk__in=matching_pages(matches(tokens))).count()
    else:
        count = results.count
    digest = hashlib.sha256(" ".join(tokens).encode()).hexdigest()[:32]
    return remember(f"search:{scope}:{digest}:count", count)


def matching_pages(index_entries):
    """The page ids of some index entries, for `pk__in`."""
    return index_entries.annotate(page_id=Cast("object_id", IntegerField())).values("page_id")


def article_entries():
    IndexEntry = get_app_config().get_model("IndexEntry")
    return IndexEntry.objects.filter(content_type=ContentType.objects.get_for_model(ArticlePage))


def postgres_matches(tokens):
    """The index entries of the articles that hold every token.

    Wagtail's backend matches `title || body`, a vector built for every row, which no index can
    answer; the body vector alone holds the title too (search_text includes it) and its GIN index
    answers at once.
    """
    from django.contrib.postgres.search import SearchQuery
    from modelsearch.backends.database.postgres.query import Lexeme

    lexemes = functools.reduce(operator.and_, (Lexeme(token) for token in tokens))
    return article_entries().filter(body=SearchQuery(lexemes, search_type="raw"))


def sqlite_matches(tokens):
    """The index entries of the articles that hold every token.

    Wagtail's backend joins the FTS5 table to the index entries, and SQLite runs that join from
    the entries' side, asking the full-text index once per entry of the model: 0.1 s for each
    thousand articles, whatever the query. Asked on its own, the full-text index answers once,
    in well under a millisecond.
    """
    from modelsearch.backends.database.sqlite.query import (
        Lexeme,
        MatchExpression,
        SearchQueryExpression,
    )
    from modelsearch.conf import get_app_config

    FTSEntry = get_app_config().get_model("SQLiteFTSIndexEntry")
    lexemes = functools.reduce(operator.and_, (Lexeme(token) for token in tokens))
    # The columns Wagtail's own search asks, so that both find the same articles.
    matched = FTSEntry.objects.filter(
        MatchExpression(["title", "body"], SearchQueryExpression(lexemes))
    ).values("pk")
    return article_entries().filter(pk__in=matched)


def snippet(article, terms):
    """What a result quotes: the body around the words, or the summary where only it has them;
    the body's beginning when the words are in the title or 来源 alone, which the result shows
    already or not at all."""
    body = article.body_text()
    for text in (body, article.summary):
        if text and any(term.lower() in plain_text(text).lower() for term in terms if term):
            return highlight(text, terms)
    return highlight(body or article.summary, terms)


def highlight(text, terms, length=SNIPPET_CHARS):
    """An escaped excerpt of `text` around the first term found, with every term in <mark>."""
    # Stored rich text holds entities (&amp;, &lt;): the reader's words are the characters.
    text = re.sub(r"\s+", " ", plain_text(text)).strip()
    lowered = text.lower()
    positions = [lowered.find(term.lower()) for term in terms if term and term.lower() in lowered]
    start = max(0, min(positions) - length // 4) if positions else 0
    excerpt = text[start : start + length]
    pattern = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True) if term)
    pieces = re.split(f"({pattern})", excerpt, flags=re.IGNORECASE) if pattern else [excerpt]
    marked = "".join(
        f"<mark>{escape(piece)}</mark>" if index % 2 else escape(piece)
        for index, piece in enumerate(pieces)
    )
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + length < len(text) else ""
    return mark_safe(prefix + marked + suffix)  # noqa: S308 - every piece is escaped above
