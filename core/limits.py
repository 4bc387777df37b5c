"""How often one address may do something costly (log in, search, build a sitemap, post a report),
counted once for the whole site: in Redis when REDIS_URL is set (one INCR), else in the database
(one atomic upsert), and never in a process's own memory, where each of five workers would allow
the whole rate again.

Rates read like django-ratelimit's ("60/m", "5/h", "20/10m"), in fixed windows of the clock. An
address is counted by a keyed hash, never stored as it is, and an IPv6 address by its /64, the
block one subscriber holds. A database counter is one `INSERT … ON CONFLICT DO UPDATE … RETURNING`
statement, so concurrent requests never lose a count (a read-then-write would). While Redis is
away (core/redis.py) the database counts instead; when neither can be asked, nothing is refused:
a limit must never be the reason a reader gets an error.
"""

import ipaddress
import logging
import re
import time

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse

from core import generation
from core import redis as site_redis
from core.clients import client_ip, usual_host
from core.errors import render_error
from core.keyed import keyed_hash
from core.models import RateCount
from core.plain_pages import PLAIN_429

logger = logging.getLogger(__name__)

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
# Every this many database counts, a process removes the rows of windows long past.
PRUNE_EVERY = 1000
_counted = 0


def parse_rate(rate):
    """(allowed, seconds) for a rate such as "60/m" or "20/10m"."""
    match = RATE_RE.match(rate or "")
    if match is None:
        raise ValueError(f"A rate reads like 60/m or 5/h, not {rate!r}")
    allowed, multiple, unit = match.groups()
    return int(allowed), int(multiple or 1) * UNITS[unit]


def address_block(address):
    """The address as limits count it: an IPv6 address by its /64."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def limit_key(group, subject):
    """The counter's name for `subject` (an address block, or anything else a limit counts by)
    in `group`: a keyed hash, so that no address is stored as it is."""
    return keyed_hash("limit", group, subject)


def exceeded(request, group, rate):
    """Count this request against `group`'s limit for its address; whether it is over `rate`."""
    return counted_over(group, address_block(client_ip(request)), rate)


def counted_over(group, subject, rate):
    """Count one more against `group`'s limit for `subject`; whether it is over `rate`."""
    allowed, seconds = parse_rate(rate)
    # The window is named by when it started, in seconds since the epoch.
    window = int(time.time() // seconds) * seconds
    key = limit_key(group, subject)
    count = site_redis.call(
        lambda: count_in_redis(key, window, seconds), lambda: count_in_database(key, window)
    )
    return count is not None and count > allowed


def count_in_redis(key, window, seconds):
    client = site_redis.client()
    if client is None:
        return count_in_database(key, window)
    name = f"limit:{key}:{window}"
    with client.pipeline(transaction=True) as pipe:
        pipe.incr(name)
        pipe.expire(name, seconds + 1)
        count, _ = pipe.execute()
    return count


def _upsert_sql():
    quote = connection.ops.quote_name
    table = quote(RateCount._meta.db_table)
    key, start, count = map(quote, ("key", "window_start", "count"))
    # Only quoted names from the model are formatted in; values are parameters.
    return (
        f"INSERT INTO {table} ({key}, {start}, {count}) VALUES (%s, %s, 1) "  # noqa: S608
        f"ON CONFLICT ({key}) DO UPDATE SET "
        f"{count} = CASE WHEN {table}.{start} = excluded.{start} THEN {table}.{count} + 1 ELSE 1 END, "
        f"{start} = excluded.{start} RETURNING {count}"
    )


def count_in_database(key, window):
    """The count after this one, or None when the database could not count it.

    On PostgreSQL the count is committed without waiting for its write-ahead log to reach the
    disk (synchronous_commit off for this one statement, sent with it in one round trip, so that
    both run as one transaction): a count lost in a crash lets one address a few more tries,
    and every search need not wait for a disk flush to be counted."""
    global _counted
    sql = _upsert_sql()
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        sql = f"SET LOCAL synchronous_commit TO OFF; {sql}"
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, [key, window])
            count = cursor.fetchone()[0]
        _counted += 1
        if _counted % PRUNE_EVERY == 0:
            # Two days are longer than any window a limit uses.
            RateCount.objects.filter(window_start__lt=window - 2 * 86400).delete()
    except DatabaseError as error:
        logger.warning("Rate limit not counted (%s)", error)
        return None
    return count


def too_many(request, rate, message=""):
    """The answer to a request over its limit: 429, a Chinese page, and when to come back."""
    _allowed, seconds = parse_rate(rate)
    response = render_error("limited.html", HttpResponse, PLAIN_429, message=message)
    response.status_code = 429
    response["Retry-After"] = str(min(seconds, 3600))
    return response


def kept_or_built(request, name, build):
    """The document kept under `name` for the current generation, or, within this address's
    UNCACHED_RATE_LIMIT, the one `build()` makes, kept in turn: only for the site's usual Host,
    since a Host naming another port gets that port in its links. None when over the limit."""
    usual = usual_host(request)
    document = generation.get(name) if usual else None
    if document is None:
        if exceeded(request, "uncached", settings.UNCACHED_RATE_LIMIT):
            return None
        document = build()
        if usual:
            generation.put(name, document)
    return document
