"""站内搜索 at /search/?q=: Chinese full-text search over the site's live articles, best first
(or newest first), filterable by column and date range.

A search costs a bounded amount of work whatever is typed: the query is reduced to a few index
tokens (news/search/tokens.py), its plan is chosen by how many articles match
(news/search/queries.py), the database gives each search SEARCH_TIME_LIMIT seconds at most (a
statement timeout on PostgreSQL, a progress handler on SQLite), and each client may search
SEARCH_RATE_LIMIT times a minute, counted once for the whole site (core/limits.py).
When a limit applies the reader is told so in Chinese, and no worker is held up. Results are
made from the search's own table: no page is loaded, URLs come from the column's address.
"""

import contextlib
import logging
import time
from datetime import datetime, timedelta
from datetime import time as day_start

from django.conf import settings
from django.core.paginator import Paginator
from django.db import OperationalError, connection, transaction
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_safe
from wagtail.models import Page, Site

from core import limits
from core.generation import remember
from news.listing import article_path, shown_dates
from news.models import ArticlePage, NewsIndexPage, paginated
from news.search import queries
from news.search.filters import read_filters
from news.search.snippets import highlight, snippet
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


def site_of(request):
    site = getattr(request, "_wagtail_site", None)
    return site if site is not None else Site.find_for_request(request)


def site_columns(request, site):
    """The site's live public columns as plain data (id, title, tree path, URL), kept until the
    tree changes: the column filter, each result's column and the start of its URL."""

    def compute():
        columns = NewsIndexPage.objects.live().public().order_by("path")
        if site is not None:
            root_path = Page.objects.filter(pk=site.root_page_id).values_list("path", flat=True)
            columns = columns.filter(path__startswith=root_path.first() or "-")
        return [
            {"pk": c.pk, "title": c.title, "path": c.path, "url": c.get_url(request)}
            for c in columns.only("title", "path", "depth", "url_path")
        ]

    return remember(f"search:columns:{site.pk if site else None}", compute, articles=False)


def local_day_start(day):
    return timezone.make_aware(datetime.combine(day, day_start.min))


@require_safe
def search(request):
    query = request.GET.get("q", "").strip()
    site = site_of(request)
    columns = site_columns(request, site)
    column = next((c for c in columns if str(c["pk"]) == request.GET.get("column", "")), None)
    filters = read_filters(request.GET, timezone.localdate())
    terms = query_terms(query)
    context = {"query": query, "terms": terms, "columns": columns, "column": column}
    context.update(filters=filters, searched=bool(query), results=None, hits=[], count=0)
    context.update(limit_message="", count_is_estimate=False)
    if terms and limited(request):
        context["limit_message"] = TOO_OFTEN
        return TemplateResponse(request, "news/search.html", context, status=429)
    scope = queries.Scope(
        site_id=site.pk if site else None,
        column_path=column["path"] if column else None,
        since=local_day_start(filters.since) if filters.since else None,
        until=local_day_start(filters.until + timedelta(days=1)) if filters.until else None,
    )
    try:
        with time_limited(settings.SEARCH_TIME_LIMIT):
            found = find(request, query, terms, scope, filters, columns)
            context.update(found)
    except SearchTooSlow:
        context["limit_message"] = TOO_SLOW
        return TemplateResponse(request, "news/search.html", context, status=503)
    response = TemplateResponse(request, "news/search.html", context)
    if context["count_is_estimate"]:
        # A common word's exact count, made once the reader has the page and kept for the next.
        response._resource_closers.append(
            after_response(queries.exact_count, found["tokens"], scope)
        )
    return response


def after_response(function, *args):
    def run():
        try:
            function(*args)
        except Exception:  # the reader has the page; the count is made again next time
            logger.exception("搜索结果计数失败")

    return run


def find(request, query, terms, scope, filters, columns):
    """The page of results asked for, every query made here, within the time limit."""
    search_query = queries.search_query(terms)
    found = queries.find(
        search_query, scope, filters.sort, timezone.now(), settings.SEARCH_HALF_LIFE_DAYS
    )
    paginator = Paginator(found.rows, RESULTS_PER_PAGE)
    page = paginated(request, paginator)
    by_path = {c["path"]: c for c in columns}
    hits = [hit(row, terms, by_path) for row in page.object_list]
    return {
        "results": page,
        "hits": hits,
        "count": found.count,
        "count_is_estimate": found.estimated,
        "plan": found.plan,
        "tokens": search_query.tokens,
    }


def hit(row, terms, by_path):
    column = by_path.get(row["column_path"])
    if column is not None and column["url"]:
        url = column["url"] + article_path(row["published_at"], row["page_id"])
    else:  # a column outside the site's public ones: asked of the page itself
        url = ArticlePage.objects.get(pk=row["page_id"]).url
    return {
        "url": url,
        "title": highlight(row["title"], terms, length=200),
        "snippet": snippet(row["body"], row["summary"], terms),
        "column": column["title"] if column else "",
        **shown_dates(row["published_at"]),
        "source": row["source"],
    }
