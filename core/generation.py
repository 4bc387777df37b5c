"""The site's generation: one number that every cache is keyed by, so nothing cached outlives a
change a reader can see, in any process on any machine.

The number lives in the database (`SiteGeneration`, one row), where every process sees it. Each
change a reader can see (a publish, unpublish, move, copy, delete, a view restriction, the Site,
the contact details, the footer settings, a picture or document replaced or deleted) increases
it in the transaction of the change (or right after the change, for changes saved without one
of their own; never before, so no reader can cache old content under the new number). A request
reads it once, on first use, in one small query. Cached values are then looked up under it: in
this process's memory first, then in the shared cache when Redis is configured. A value cached
under an older number is simply never asked for again, so process memory stays correct however
many processes there are.

Generations are never reused: a bump moves to at least the current time in nanoseconds, so after
a backup is restored, or a test's transaction is rolled back, no old entry can match again.
"""

import contextlib
import contextvars
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.db import InterfaceError, OperationalError, connection

from core.models import SiteGeneration

MISSING = object()
_UNREAD = object()
# The generation this request has read, or _UNREAD before its first use; outside a request
# (commands, the scheduler thread, tests) every use reads it afresh.
_request_generation = contextvars.ContextVar("site_generation", default=None)


def _table():
    return connection.ops.quote_name(SiteGeneration._meta.db_table)


_last_read = None


def read():
    """The generation in the database now (one primary-key lookup).

    While the database cannot be reached, the last one this process read still holds: nothing a
    reader sees can change meanwhile, since every change is written there too. So the pages this
    process keeps are still served."""
    global _last_read
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT value FROM {_table()} WHERE id = 1")  # noqa: S608 - quoted
            row = cursor.fetchone()
    except (OperationalError, InterfaceError):
        if _last_read is None:
            raise
        return _last_read
    _last_read = row[0] if row else 0
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


def bump():
    """Increase the generation, in the transaction the caller is in (a receiver of the change's
    signal); this request reads the new one next."""
    table = _table()
    floor = time.time_ns()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET value = CASE WHEN value + 1 > %s THEN value + 1 ELSE %s END "  # noqa: S608
            "WHERE id = 1",
            [floor, floor],
        )
        if cursor.rowcount == 0:
            cursor.execute(f"INSERT INTO {table} (id, value) VALUES (1, %s)", [floor])  # noqa: S608
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


def key_for(name, generation=None):
    return f"g:{current() if generation is None else generation}:{name}"


def get(name, default=None, tier="local", generation=None):
    """The value cached under `name` for this generation (or the one given): this process's
    memory, then Redis."""
    key = key_for(name, generation)
    local = caches[tier]
    value = local.get(key, MISSING)
    if value is MISSING and (shared := shared_cache()) is not None:
        value = shared.get(key, MISSING)
        if value is not MISSING:
            local.set(key, value, settings.TREE_CACHE_TIMEOUT)
    return default if value is MISSING else value


def put(name, value, timeout=None, tier="local"):
    key = key_for(name)
    timeout = settings.TREE_CACHE_TIMEOUT if timeout is None else timeout
    caches[tier].set(key, value, timeout)
    if (shared := shared_cache()) is not None:
        shared.set(key, value, timeout)


def remember(name, compute, timeout=None):
    """The cached value of `compute()` for the current generation; `None` results are cached
    too. `timeout` bounds what changes without a new generation (counts in a ranking)."""
    value = get(name, MISSING)
    if value is MISSING:
        value = compute()
        put(name, value, timeout)
    return value
