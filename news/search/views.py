"""站内搜索 at /search/?q=: Chinese full-text search over live articles, filterable by column.

A search costs a bounded amount of work whatever is typed: the query is reduced to a few index
tokens (news/search/tokens.py), the database gives each search SEARCH_TIME_LIMIT seconds at most (a
statement timeout on PostgreSQL, a progress handler on SQLite), and each client may search
SEARCH_RATE_LIMIT times a minute, counted once for the whole site (core/limits.py).
When a limit applies the reader is told so in Chinese, and no worker is held up.
"""

import contextlib
import logging
import time

from django.conf import settings
from django.core.paginator import Paginator
from django.db import OperationalError, connection, transaction
from django.template.response import TemplateResponse
from django.utils.timezone import localdate
from django.views.decorators.http import require_safe

from core import limits
from news.models import ArticlePage, NewsIndexPage, paginated
from news.search.filters import read_filters
from news.search.queries import count_matches, highlight, search_articles, snippet
from news.search.tokens import query_terms

logger = logging.getLogger(__name__)

RESULTS_PER_PAGE = 10
TOO_SLOW = "这次搜索用时过长，已停止。请换用更少、更具体的关键词再试。"
TOO_OFTEN = "搜索太频繁了，请稍候一分钟再试。"
# SQLite calls the progress handler every this many virtual-machine steps (well under 1 ms).
PROGRESS_STEPS = 10_000


class SearchTooSlow(Exception):
    pass


@contextlib.contextmanager
def time_limited(seconds):
    """Run the search's queries with a time limit; SearchTooSlow when it is reached."""
    try:
        if connection.vendor == "postgresql":
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL statement_timeout = {int(seconds * 1000)}")
                yield
        else:
            connection.ensure_connection()
            deadline = time.monotonic() + seconds
            raw = connection.connection
            raw.set_progress_handler(lambda: time.monotonic() > deadline, PROGRESS_STEPS)
            try:
                yield
            finally:
                raw.set_progress_handler(None, 0)
    except OperationalError as error:
        message = str(error)
        if "statement timeout" in message or "interrupted" in message:
            raise SearchTooSlow from error
        raise


def limited(request):
    """Whether this client has searched more than SEARCH_RATE_LIMIT times this minute."""
    return limits.exceeded(request, "search", settings.SEARCH_RATE_LIMIT)


@require_safe
def search(request):
    query = request.GET.get("q", "").strip()
    columns = list(
        NewsIndexPage.objects.live().public().order_by("path").only("title", "path", "depth")
    )
    column = next((c for c in columns if str(c.pk) == request.GET.get("column", "")), None)
    terms = query_terms(query)
    filters = read_filters(request.GET, localdate())
    context = {"query": query, "terms": terms, "columns": columns, "column": column}
    context["filters"] = filters
    context.update(searched=bool(query), results=None, hits=[], count=0, limit_message="")
    if terms and limited(request):
        context["limit_message"] = TOO_OFTEN
        return TemplateResponse(request, "news/search.html", context, status=429)
    articles = ArticlePage.objects.readable().originals()
    if column is not None:
        articles = articles.child_of(column)
    since, until = filters.bounds()
    if since is not None:
        articles = articles.filter(published_at__gte=since)
    if until is not None:
        articles = articles.filter(published_at__lt=until)
    try:
        with time_limited(settings.SEARCH_TIME_LIMIT):
            context.update(find(request, articles, query, terms, column, columns, filters))
    except SearchTooSlow:
        context["limit_message"] = TOO_SLOW
        return TemplateResponse(request, "news/search.html", context, status=503)
    return TemplateResponse(request, "news/search.html", context)


def find(request, articles, query, terms, column, columns, filters):
    """The page of results asked for, every query made here, within the time limit."""
    results = search_articles(articles, query) if terms else articles.none()
    paginator = Paginator(results, RESULTS_PER_PAGE)
    if filters.narrowed:
        paginator.count = results.count()
    else:
        scope = column.pk if column else "all"
        paginator.count = count_matches(articles, query, results, scope=scope)
    page = paginated(request, paginator)
    column_titles = {c.path: c.title for c in columns}
    hits = [
        {
            "url": article.url,
            "title": highlight(article.title, terms, length=200),
            "snippet": snippet(article, terms),
            "column": column_titles.get(article.path[: -ArticlePage.steplen], ""),
            "published_at": article.published_at,
            "source": article.source,
        }
        for article in page.object_list
    ]
    return {"results": page, "hits": hits, "count": paginator.count}
