"""The site's generation: the numbers every cache is keyed by, so nothing cached outlives a
change a reader can see, in any process on any machine.

Two numbers live in the database (`SiteGeneration`, one row each), where every process sees them:

- the *site* number moves with every change a reader can see except an article's own publishing:
  a column or the home page published, anything moved, copied or deleted, a view restriction,
  the Site, the contact details, the footer settings, a picture or document changed;
- the *articles* number moves when an article is published or unpublished (news/models.py says
  so with `generation_scope`), which changes the lists, feeds, searches and counts it appears in,
  but not the other articles' pages.

Each is increased in the transaction of the change (or right after the change, for changes saved
without one of their own; never before, so no reader can cache old content under a new number).
A request reads both once, on first use, in one small query. A value is cached under both
numbers unless it is known not to depend on which articles are published (`articles=False`: the
menu, the footer, the routes, an article's own rendered body): those outlive an article's
publish, which is what keeps a busy site fast while editors publish. The page cache
(news/serving/pagecache.py) keeps each page under the site number and checks what else it
depends on: a list, the articles number; an article, its own published revision and its
neighbours. Values are looked up in this process's memory first, then in the shared cache when
Redis is configured. A value cached under older numbers is simply never asked for again, so
process memory stays correct however many processes there are.

Numbers are never reused: a bump moves to at least the current time in nanoseconds, so after
a backup is restored, or a test's transaction is rolled back, no old entry can match again.
"""

import contextlib
import contextvars
import time
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache, caches
from django.db import InterfaceError, OperationalError, connection
from wagtail.models import Page

from core.models import SiteGeneration

MISSING = object()
_UNREAD = object()
# The generation this request has read, or _UNREAD before its first use; outside a request
# (commands, the scheduler thread, tests) every use reads it afresh.
_request_generation = contextvars.ContextVar("site_generation", default=None)

# The rows of the two numbers.
SITE, ARTICLES = 1, 2


class Generation(NamedTuple):
    site: int
    articles: int

    def __str__(self):
        return f"{self.site}.{self.articles}"


def _table():
    return connection.ops.quote_name(SiteGeneration._meta.db_table)


def select_sql():
    """The two numbers as two columns of a SELECT, for reading them in another statement too."""
    table = _table()
    return ", ".join(
        f"(SELECT value FROM {table} WHERE id = {row})"  # noqa: S608 - a quoted name
        for row in (SITE, ARTICLES)
    )


def from_row(site, articles):
    return Generation(site or 0, articles or 0)


# The page's revision while the database cannot be asked: as with the generation (read()),
# nothing can have changed meanwhile.
UNKNOWN = object()


def kept_page_sql():
    """A condition true while a page kept under a generation may still be served, or rendered
    anew as the same live page: the site number is the first parameter, and either the articles
    number is the second (nothing was published since) or the page whose id is the third is
    live. Its view may then be counted at once."""
    table, pages = _table(), connection.ops.quote_name(Page._meta.db_table)
    return (
        f"(SELECT value FROM {table} WHERE id = {SITE}) = %s "  # noqa: S608 - quoted names
        f"AND ((SELECT value FROM {table} WHERE id = {ARTICLES}) = %s "
        f"OR EXISTS (SELECT 1 FROM {pages} WHERE id = %s AND live))"
    )


def kept_page_params(kept_under, page_id):
    return [kept_under.site, kept_under.articles, page_id]


def page_is_live(page_id):
    """One query: whether the page is live."""
    return Page.objects.filter(pk=page_id, live=True).exists()


def live_revision(page_id):
    """The page's live revision (None when it is not live), in one query; UNKNOWN while the
    database cannot be reached."""
    pages = connection.ops.quote_name(Page._meta.db_table)
    sql = f"SELECT live_revision_id FROM {pages} WHERE id = %s AND live"  # noqa: S608 - quoted
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, [page_id])
            row = cursor.fetchone()
    except (OperationalError, InterfaceError):
        return UNKNOWN
    return row[0] if row else None


_last_read = None


def read():
    """The generation in the database now (one query for both numbers).

    While the database cannot be reached, the last one this process read still holds: nothing a
    reader sees can change meanwhile, since every change is written there too. So the pages this
    process keeps are still served."""
    global _last_read
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {select_sql()}")
            row = cursor.fetchone()
    except (OperationalError, InterfaceError):
        if _last_read is None:
            raise
        return _last_read
    _last_read = from_row(*row)
    return _last_read


def current():
    """The generation for this request: read once, on first use."""
    memo = _request_generation.get()
    if memo is not None and memo is not _UNREAD:
        return memo
    value = read()
    if memo is _UNREAD:
        _request_generation.set(value)
    return value


def last_read():
    """The generation this process read last (None before its first read): what a request can
    guess before it has read the current one."""
    return _last_read


def adopt(value):
    """Take `value`, read with another statement, as this request's generation."""
    global _last_read
    _last_read = value
    if _request_generation.get() is not None:
        _request_generation.set(value)


def bump(scope=SITE):
    """Increase the site number (or, with ARTICLES, the articles number), in the transaction the
    caller is in (a receiver of the change's signal); this request reads the new one next."""
    table = _table()
    floor = time.time_ns()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET value = CASE WHEN value + 1 > %s THEN value + 1 ELSE %s END "  # noqa: S608
            "WHERE id = %s",
            [floor, floor, scope],
        )
        if cursor.rowcount == 0:
            cursor.execute(f"INSERT INTO {table} (id, value) VALUES (%s, %s)", [scope, floor])  # noqa: S608
    if _request_generation.get() is not None:
        _request_generation.set(_UNREAD)


@contextlib.contextmanager
def read_once():
    """Within this (a request), the generation is read at most once, on first use."""
    token = _request_generation.set(_UNREAD)
    try:
        yield
    finally:
        _request_generation.reset(token)


class GenerationMiddleware:
    """Gives each request its own memo of the generation (first thing in, last thing out)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with read_once():
            return self.get_response(request)


def local_cache():
    return caches["local"]


def shared_cache():
    """Redis when configured, else None: without it the default cache is this process's memory
    too, and asking it after the local tier would only ask the same memory again."""
    return cache if settings.REDIS_URL else None


# The shape of what is cached under these keys. Redis outlives a release: a release that changes
# what it keeps (a page-cache entry's fields, a fragment's form) moves this on, so that no process
# of it is ever handed a value an earlier release kept under the same generation.
FORMAT = 4


def key_for(name, generation=None, articles=True):
    """The key of `name` under the generation (the current one unless given): under both its
    numbers, or with `articles=False` under the site number only."""
    generation = current() if generation is None else generation
    return f"g{FORMAT}:{generation if articles else generation.site}:{name}"


def get(name, default=None, tier="local", generation=None, articles=True):
    """The value cached under `name` for this generation (or the one given): this process's
    memory, then Redis."""
    key = key_for(name, generation, articles)
    local = caches[tier]
    value = local.get(key, MISSING)
    if value is MISSING and (shared := shared_cache()) is not None:
        value = shared.get(key, MISSING)
        if value is not MISSING:
            local.set(key, value, settings.TREE_CACHE_TIMEOUT)
    return default if value is MISSING else value


def put(name, value, timeout=None, tier="local", generation=None, articles=True):
    key = key_for(name, generation, articles)
    timeout = settings.TREE_CACHE_TIMEOUT if timeout is None else timeout
    caches[tier].set(key, value, timeout)
    if (shared := shared_cache()) is not None:
        shared.set(key, value, timeout)


def forget(name, tier="local", generation=None, articles=True):
    key = key_for(name, generation, articles)
    caches[tier].delete(key)
    if (shared := shared_cache()) is not None:
        shared.delete(key)


def remember(name, compute, timeout=None, articles=True):
    """The cached value of `compute()` for the current generation; `None` results are cached
    too. `timeout` bounds what changes without a new generation (counts in a ranking). With
    `articles=False` the value outlives an article's publish: only for what no article's
    publishing can change."""
    value = get(name, MISSING, articles=articles)
    if value is MISSING:
        value = compute()
        put(name, value, timeout, articles=articles)
    return value
