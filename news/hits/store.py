"""Where click counts are kept: atomic upserts into the database, optionally buffered in Redis,
and where readers seen within HITCOUNT_WINDOW are remembered, in the same step as the count.

Without Redis a reader's view is one transaction: the reader's row in `RecentReader` is inserted,
or renewed if its window has passed, and only then is the page's total raised with an
`INSERT … ON CONFLICT DO UPDATE … RETURNING`, which a database trigger also adds to the day's
bucket (on PostgreSQL both are one statement). Every worker on every machine asks the same table,
and nothing else lives there, so no flood of other requests can make it forget a reader. With `REDIS_URL`, views are `HINCRBY`s on
a pending hash; a flush renames that hash to a batch (so views arriving meanwhile start a new one),
applies the batch to the database in one transaction that also records the batch id, and then
deletes it while recording the pages' new totals in Redis. A crash after the commit leaves a batch
whose id is already recorded, so replaying it is skipped; a crash before the commit leaves the
batch in Redis to be applied by the next flush. If Redis cannot be reached, views go straight to
the database.

Redis's memory of readers (`SET NX EX`, in the script that buffers the view) answers at once, but
the database's is the one that decides: each buffered first view carries its reader, and the
flush drops those the database saw within the window, such as readers counted there while Redis
was away (news/hits/readers.py). So a reader is counted once across a Redis outage or restart.
"""

import functools
import logging
import threading
import time
import uuid
from collections import Counter
from contextlib import nullcontext
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils.timezone import localdate, now
from wagtail.models import Page

from core import generation
from core import redis as site_redis
from news.hits.models import AddressViews, HitBatch, PageHits, RecentReader
from news.hits.readers import reader_params, reader_sql, repeats

logger = logging.getLogger(__name__)

# What the policy answers while Redis is away (core/redis.py): count in the database instead.
REDIS_AWAY = object()
PENDING_KEY = "hits:pending"
BATCHES_KEY = "hits:batches"  # the batch keys renamed from pending and not yet deleted
BATCH_PREFIX = "hits:batch:"
LOCK_KEY = "hits:flush-lock"
# Each page's database total as of the last flush that changed it, set in the same Redis
# transaction that removes the flushed batch, so that counts can be read from Redis alone.
STORED_KEY = "hits:stored"
STORED_SECONDS = 24 * 3600
LOCK_SECONDS = 60
APPLIED_BATCHES_KEPT = timedelta(days=2)
SEEN_PREFIX = "hits:seen:"
ADDRESS_PREFIX = "hits:address:"
ADDRESS_SECONDS = 2 * 24 * 3600
# Every this many readers' first views, a process removes the readers whose window has passed.
FORGET_EVERY = 500
# Returned instead of a total when the view is the same reader's again within the window.
NOT_COUNTED = object()
# Returned for the view of a kept page that is no longer what readers would get there (the site
# changed, or the page is not live): it is not counted here.
KEPT_PAGE_GONE = object()


# The database ---------------------------------------------------------------------------------


def _count_sql(wait_for_disk=True):
    quote = connection.ops.quote_name
    table, hits, last_day = map(quote, (PageHits._meta.db_table, "hits", "last_day"))
    # Only quoted table and column names from the model are formatted in; values are parameters.
    # The database's trigger (migration 0006) books the increase to the last_day's daily bucket.
    sql = (
        f"INSERT INTO {table} ({quote('page_id')}, {hits}, {last_day}) VALUES (%s, %s, %s) "  # noqa: S608
        f"ON CONFLICT ({quote('page_id')}) "
        f"DO UPDATE SET {hits} = {table}.{hits} + excluded.{hits}, {last_day} = excluded.{last_day} "
        f"RETURNING {hits}"
    )
    if not wait_for_disk:
        # Sent as one query, both statements form one implicit transaction: it commits without
        # waiting for the WAL to reach the disk (still atomic and in order; only a crash of the
        # database server itself can lose the last fraction of a second of views).
        sql = "SET LOCAL synchronous_commit TO OFF; " + sql
    return sql


def add_to_database(counts):
    """Add {(page_id, day): views} to the totals and daily buckets; returns the new totals.

    One view is one statement; a batch of several is applied in one transaction.
    """
    # A single view on PostgreSQL, outside any transaction, may skip waiting for the disk.
    wait_for_disk = (
        settings.HITCOUNT_WAIT_FOR_DISK
        or len(counts) > 1
        or connection.vendor != "postgresql"
        or not connection.get_autocommit()
    )
    sql = _count_sql(wait_for_disk)
    new_totals = {}
    batch = transaction.atomic() if len(counts) > 1 else nullcontext()
    with batch, connection.cursor() as cursor:
        # A fixed order keeps two concurrent flushes from deadlocking on each other's rows.
        for (page_id, day), views in sorted(counts.items()):
            cursor.execute(sql, [page_id, views, day])
            new_totals[page_id] = cursor.fetchone()[0]
    return new_totals


def _address_sql(source):
    quote = connection.ops.quote_name
    table, key, day, views = map(quote, (AddressViews._meta.db_table, "key", "day", "views"))
    # A row while the address is under its cap for the article today; none once it reaches it.
    return (
        f"INSERT INTO {table} ({key}, {day}, {views}) {source} "
        f"ON CONFLICT ({key}) DO UPDATE SET {views} = {table}.{views} + 1 "
        f"WHERE {table}.{views} < %s RETURNING 1"
    )


_first_views = 0


def count_first_view_in_database(page_id, day, reader, address=None, kept_under=None):
    """Count a reader's view if it is their first in the window (every view when `reader` is
    None) and their address has not reached its cap for the article today, in one transaction
    with the reader's and the address's rows; returns the new total or NOT_COUNTED.

    With `kept_under`, a generation: the view of a page kept under it (news/serving/pagecache.py),
    counted only while the site number is the same and either nothing was published since or the
    page is still live (else KEPT_PAGE_GONE: whatever is served instead is counted, or not, as
    any page is), and returned with the current generation: (total, generation). On PostgreSQL
    all of it is one statement, so a page from the page cache costs one round trip for its count
    and the check that it is current."""
    global _first_views
    moment = now()
    if connection.vendor == "postgresql":
        total, allowed, current = _count_in_one_statement(
            page_id, day, reader, address, moment, kept_under
        )
    else:
        current, allowed = None, True
        if kept_under is not None:
            current = generation.read()
            allowed = still_served(current, kept_under, page_id)
        total = _count_in_steps(page_id, day, reader, address, moment) if allowed else None
    if not allowed:
        total = KEPT_PAGE_GONE
    elif total is None:
        total = NOT_COUNTED
    elif reader is not None:
        _first_views += 1
        if _first_views % FORGET_EVERY == 0:
            RecentReader.objects.filter(until__lt=moment).delete()
            AddressViews.objects.filter(day__lt=day).delete()
    return (total, current) if kept_under is not None else total


def still_served(current, kept_under, page_id):
    """kept_page_sql() in Python, for a generation read already."""
    if current.site != kept_under.site:
        return False
    return current.articles == kept_under.articles or generation.page_is_live(page_id)


def _count_in_steps(page_id, day, reader, address, moment):
    """The rows and the count in one transaction (a lone count is one statement): the new
    total, or None."""
    with transaction.atomic() if reader else nullcontext(), connection.cursor() as cursor:
        seen = True
        if reader is not None:
            cursor.execute(reader_sql(), reader_params(reader, moment))
            seen = cursor.fetchone() is not None
        if seen and address is not None:
            cursor.execute(_address_sql("VALUES (%s, %s, 1)"), [address, day, _cap()])
            seen = cursor.fetchone() is not None
        return add_to_database({(page_id, day): 1})[page_id] if seen else None


def _cap():
    return settings.HITCOUNT_MAX_PER_ADDRESS


# Prefetches: a page sent to a reader's browser ahead of their asking, not yet shown -----------

PREFETCH_SECONDS = 30 * 60


def remember_prefetch(key):
    RecentReader.objects.update_or_create(
        key=key, defaults={"until": now() + timedelta(seconds=PREFETCH_SECONDS)}
    )


def take_prefetch(key):
    """Whether the server sent this prefetch (and it has not been reported shown before)."""
    deleted, _ = RecentReader.objects.filter(key=key, until__gte=now()).delete()
    return deleted > 0


def _count_upsert(source):
    """The count's upsert of one view, its row given by `source` (VALUES … or SELECT …)."""
    quote = connection.ops.quote_name
    table, hits, last_day = map(quote, (PageHits._meta.db_table, "hits", "last_day"))
    # Only quoted table and column names are formatted in; values are parameters.
    return (
        f"INSERT INTO {table} ({quote('page_id')}, {hits}, {last_day}) {source} "
        f"ON CONFLICT ({quote('page_id')}) "
        f"DO UPDATE SET {hits} = {table}.{hits} + excluded.{hits}, "
        f"{last_day} = excluded.{last_day} RETURNING {hits}"
    )


@functools.cache
def _one_statement_sql(with_reader, with_address, kept):
    """The statement of _count_in_one_statement for one shape of view, built once per process.
    Its parameters, in order: the reader's (reader_params) when `with_reader`, the gate's
    (generation.kept_page_params) when `kept`, the address's and its cap when `with_address`,
    the page and the day, and the gate's again when `kept`."""
    quote = connection.ops.quote_name
    gate = generation.kept_page_sql() if kept else "TRUE"
    if not with_reader:
        steps = f"counted AS ({_count_upsert(f'SELECT %s, 1, %s WHERE {gate}')})"
    else:
        # The reader's row, then the address's, decide whether the count happens.
        steps = f"seen AS ({reader_sql(f'SELECT %s, %s WHERE {gate}')})"
        source = "seen"
        if with_address:
            steps += f", under_cap AS ({_address_sql('SELECT %s, %s, 1 FROM seen')})"  # noqa: S608
            source = "under_cap"
        steps += f", counted AS ({_count_upsert(f'SELECT %s, 1, %s FROM {source}')})"  # noqa: S608
    columns = f"(SELECT {quote('hits')} FROM counted), {gate}"  # noqa: S608 - quoted names
    if kept:
        columns += f", {generation.select_sql()}"
    return f"WITH {steps} SELECT {columns}"


def _count_in_one_statement(page_id, day, reader, address, moment, kept_under):
    """(total or None, whether it was allowed, (generation, revision) or None)."""
    prefix = "" if settings.HITCOUNT_WAIT_FOR_DISK else "SET LOCAL synchronous_commit TO OFF; "
    gate_params = [] if kept_under is None else generation.kept_page_params(kept_under, page_id)
    if reader is None:
        params = [page_id, day, *gate_params]
    else:
        reader, until, seen_before = reader_params(reader, moment)
        params = [reader, until, *gate_params, seen_before]
        if address is not None:
            params += [address, day, _cap()]
        params += [page_id, day]
    params += gate_params
    sql = _one_statement_sql(reader is not None, address is not None, kept_under is not None)
    with connection.cursor() as cursor:
        # Planned once per connection: the server's work for a kept page's view is halved.
        connection.execute_prepared(cursor, sql, params, prefix)
        total, allowed, *numbers = cursor.fetchone()
    if not numbers:
        return total, allowed, None
    current = generation.from_row(*numbers)
    generation.adopt(current)
    return total, allowed, current


# Redis ----------------------------------------------------------------------------------------


def _total_field(page_id):
    return f"t:{page_id}"


def _day_field(page_id, day):
    return f"d:{page_id}:{day:%Y%m%d}"


def _reader_field(reader, moment):
    return f"r:{reader}:{moment.timestamp():.3f}"


def _parse_day_field(field):
    _, page_id, day = field.split(":")
    return int(page_id), date(int(day[:4]), int(day[4:6]), int(day[6:]))


def _parse_batch(fields):
    """The batch's {(page_id, day): views}, and its readers' first views as (moment, reader,
    (page_id, day)) for the flush to check against the database (news/hits/readers.py)."""
    counts, views = Counter(), []
    for field, value in fields.items():
        if field.startswith("d:"):
            counts[_parse_day_field(field)] += int(value)
        elif field.startswith("r:"):
            _, reader, moment = field.split(":")
            moment = datetime.fromtimestamp(float(moment), tz=UTC)
            views.append((moment, reader, _parse_day_field(value)))
    return counts, views


# Recording and reading ------------------------------------------------------------------------


# Counts a view when given a day field, then reads the page's count in one atomic step: the
# stored total (or nothing), the views pending, and each in-flight batch's views of the page.
# A counted reader's view is also noted in the pending hash (its reader field, naming the day
# field it was added to), for the flush to check against the database's memory of readers.
_COUNT_SCRIPT = """
local total_field, day_field, window = ARGV[1], ARGV[2], tonumber(ARGV[3])
if day_field ~= '' then
    if window > 0 and not redis.call('SET', KEYS[4], '1', 'NX', 'EX', window) then
        return {'seen'}
    end
    local cap = tonumber(ARGV[4])
    if cap > 0 then
        local views = redis.call('INCR', KEYS[5])
        if views == 1 then
            redis.call('EXPIRE', KEYS[5], ARGV[5])
        end
        if views > cap then
            return {'seen'}
        end
    end
    redis.call('HINCRBY', KEYS[2], total_field, 1)
    redis.call('HINCRBY', KEYS[2], day_field, 1)
    if ARGV[6] ~= '' then
        redis.call('HSET', KEYS[2], ARGV[6], day_field)
    end
end
local in_flight = {}
for _, key in ipairs(redis.call('SMEMBERS', KEYS[3])) do
    table.insert(in_flight, key)
    table.insert(in_flight, redis.call('HGET', key, total_field) or '0')
end
return {
    redis.call('HGET', KEYS[1], total_field) or false,
    redis.call('HGET', KEYS[2], total_field) or '0',
    in_flight,
}
"""
_count_script = None
# Pages this process counted straight into the database while Redis was unreachable: their
# stored totals in Redis are out of date and are dropped at the next successful contact.
_written_around_redis = set()


def _count_in_redis(client, page_id, day=None, reader=None, address=None):
    """(total, pending views, {batch id: views}) of the page, after counting a view on `day` if one
    is given (and the reader, if given, was not seen within the window; else NOT_COUNTED). The
    total is None until a flush has recorded the page's stored total in Redis."""
    global _count_script
    if _count_script is None:
        _count_script = client.register_script(_COUNT_SCRIPT)
    if _written_around_redis:
        stale = list(_written_around_redis)
        client.hdel(STORED_KEY, *map(_total_field, stale))
        _written_around_redis.difference_update(stale)
    answer = _count_script(
        keys=[
            STORED_KEY,
            PENDING_KEY,
            BATCHES_KEY,
            SEEN_PREFIX + (reader or ""),
            ADDRESS_PREFIX + (address or ""),
        ],
        args=[
            _total_field(page_id),
            _day_field(page_id, day) if day else "",
            settings.HITCOUNT_WINDOW if reader else 0,
            _cap() if address else 0,
            ADDRESS_SECONDS,
            _reader_field(reader, now()) if reader and day else "",
        ],
        client=client,
    )
    if answer == ["seen"]:
        return NOT_COUNTED
    stored, pending, in_flight = answer
    batches = {
        key.removeprefix(BATCH_PREFIX): int(views)
        for key, views in zip(in_flight[::2], in_flight[1::2], strict=True)
    }
    pending = int(pending)
    total = None if stored is None else int(stored) + pending + sum(batches.values())
    return total, pending, batches


def record_view(page_id, reader=None, address=None, kept_under=None):
    """Count one view of a page, unless `reader` (a reader_key) was seen within the window or
    `address` (an address_key) reached its cap for the page today. Returns the new total when
    it is known without another query, None when it is not, or NOT_COUNTED; with `kept_under`
    (the view of a kept page, see count_first_view_in_database), (that or KEPT_PAGE_GONE, the
    current generation)."""
    client = site_redis.client()
    day = localdate()
    if client is not None:
        current = None
        if kept_under is not None:
            current = generation.read()
            if not still_served(current, kept_under, page_id):
                return KEPT_PAGE_GONE, current
        counted = site_redis.call(
            lambda: _count_in_redis(client, page_id, day, reader, address), lambda: REDIS_AWAY
        )
        if counted is REDIS_AWAY:
            _written_around_redis.add(page_id)
        else:
            if counted is not NOT_COUNTED:
                flush_soon()
                counted = counted[0]
            return (counted, current) if kept_under is not None else counted
        if kept_under is not None:  # read already: count in the database, as without Redis
            total = _count_in_steps(page_id, day, reader, address, now())
            return (NOT_COUNTED if total is None else total), current
    if reader is None and kept_under is None:
        return add_to_database({(page_id, day): 1})[page_id]
    return count_first_view_in_database(page_id, day, reader, address, kept_under)


def raise_count(page_id, count):
    """Make the page's count at least `count`, never lowering what readers already added (an
    operator's import)."""
    _, created = PageHits.objects.get_or_create(page_id=page_id, defaults={"hits": count})
    if not created:
        # Without a last_day the raise is not booked to any day's views.
        PageHits.objects.filter(page_id=page_id, hits__lt=count).update(hits=count, last_day=None)
    forget_stored_count(page_id)


def forget_stored_count(page_id):
    """After a change to the database total made outside counting (an import), Redis must not
    answer with the total it recorded before."""
    client = site_redis.client()
    if client is None:
        return
    if (
        site_redis.call(lambda: client.hdel(STORED_KEY, _total_field(page_id)), lambda: REDIS_AWAY)
        is REDIS_AWAY
    ):
        _written_around_redis.add(page_id)


def current_count(page_id, stored=None):
    """The page's count including views still buffered in Redis.

    `stored` is the database value already loaded with the page; without Redis it is the answer.
    With Redis the answer comes from Redis alone once a flush has recorded the page's total there.
    Before that the database is read too, so that a batch being flushed at that moment is counted
    exactly once: a single SQL statement returns the total together with which of the in-flight
    batches it already includes.
    """
    client = site_redis.client()
    if client is None:
        return stored if stored is not None else PageHits.objects.count_for(page_id)
    counted = site_redis.call(lambda: _count_in_redis(client, page_id), lambda: REDIS_AWAY)
    if counted is REDIS_AWAY:
        return stored if stored is not None else PageHits.objects.count_for(page_id)
    total, pending, batches = counted
    if total is not None:
        return total
    if not batches:
        # Nothing in flight: the total read now includes every flushed view.
        return PageHits.objects.count_for(page_id) + pending
    hits, applied = _read_total_and_applied(page_id, list(batches))
    return hits + pending + sum(views for batch, views in batches.items() if batch not in applied)


def _read_total_and_applied(page_id, batch_ids):
    quote = connection.ops.quote_name
    placeholders = ", ".join(["%s"] * len(batch_ids))
    # Quoted model names only are formatted in; values are parameters.
    sql = (
        f"SELECT '', {quote('hits')} FROM {quote(PageHits._meta.db_table)} WHERE {quote('page_id')} = %s "  # noqa: S608
        f"UNION ALL SELECT {quote('id')}, 0 FROM {quote(HitBatch._meta.db_table)} "
        f"WHERE {quote('id')} IN ({placeholders})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [page_id, *batch_ids])
        rows = cursor.fetchall()
    hits = sum(value for key, value in rows if key == "")
    return hits, {key for key, _ in rows if key != ""}


def stored_counts(page_ids):
    """{page id: count in the database} for a list's rows, in one statement (a page never
    viewed has no row, and is 0)."""
    if not page_ids:
        return {}
    quote = connection.ops.quote_name
    placeholders = ", ".join(["%s"] * len(page_ids))
    # Quoted model names only are formatted in; values are parameters.
    sql = (
        f"SELECT {quote('page_id')}, {quote('hits')} FROM {quote(PageHits._meta.db_table)} "  # noqa: S608
        f"WHERE {quote('page_id')} IN ({placeholders})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(page_ids))
        return dict(cursor.fetchall())


# Flushing -------------------------------------------------------------------------------------

_last_flush = 0.0
_flush_guard = threading.Lock()


def flush_soon():
    """Start a flush in the background when this process has not tried one for a while."""
    global _last_flush
    interval = settings.HITCOUNT_FLUSH_INTERVAL
    if interval <= 0 or time.monotonic() - _last_flush < interval:
        return
    if not _flush_guard.acquire(blocking=False):
        return
    _last_flush = time.monotonic()
    threading.Thread(target=_flush_in_background, name="flush-hits", daemon=True).start()


def _flush_in_background():
    try:
        flush()
    except Exception:
        logger.exception("Flushing buffered hits failed; they stay in Redis for the next flush")
    finally:
        close_old_connections()
        connection.close()
        _flush_guard.release()


def flush():
    """Move buffered views from Redis into the database. Returns the number of views applied."""
    client = site_redis.client()
    if client is None or not site_redis.available():
        return 0
    token = uuid.uuid4().hex
    if not client.set(LOCK_KEY, token, nx=True, ex=LOCK_SECONDS):
        return 0  # another process is flushing
    try:
        # Batches a crashed flush left behind come first, then whatever is pending now.
        applied = sum(_apply_batch(client, key) for key in sorted(client.smembers(BATCHES_KEY)))
        batch_key = f"{BATCH_PREFIX}{now():%Y%m%d%H%M%S}-{token[:12]}"
        if not client.exists(PENDING_KEY):
            return applied
        pipe = client.pipeline(transaction=True)
        pipe.sadd(BATCHES_KEY, batch_key)
        pipe.rename(PENDING_KEY, batch_key)
        pipe.execute()
        applied += _apply_batch(client, batch_key)
        HitBatch.objects.filter(applied_at__lt=now() - APPLIED_BATCHES_KEPT).delete()
        # The flushes remember every buffered reader there, so they forget them there too.
        RecentReader.objects.filter(until__lt=now()).delete()
        return applied
    finally:
        if client.get(LOCK_KEY) == token:
            client.delete(LOCK_KEY)


def _of_existing_pages(counts):
    """The counts of pages that still exist: views of a page deleted while they waited in Redis
    have nothing left to count for, and must not block the rest of the batch."""
    counted = {page_id for page_id, _day in counts}
    existing = set(Page.objects.filter(pk__in=counted).values_list("pk", flat=True))
    gone = counted - existing
    if gone:
        logger.info("Dropping buffered views of deleted pages %s", sorted(gone))
    return {key: views for key, views in counts.items() if key[0] in existing}


def _apply_batch(client, batch_key):
    batch_id = batch_key.removeprefix(BATCH_PREFIX)
    counts, views = _parse_batch(client.hgetall(batch_key))
    new_totals, applied = {}, {}
    with transaction.atomic():
        _, created = HitBatch.objects.get_or_create(id=batch_id)
        if created and counts:
            # Readers the database saw within their window (counted there while Redis was
            # away, or in an earlier batch) count nothing more; the rest are remembered there.
            counts.subtract(repeats(views))
            applied = _of_existing_pages(+counts)
            new_totals = add_to_database(applied)
    # Only after the commit: a crash before this line leaves a batch that is recorded as applied.
    # Its views leave the buffer as the stored totals take them in, in one Redis transaction; a
    # batch applied earlier by a crashed flush gives no totals, so its pages' are dropped instead.
    pipe = client.pipeline(transaction=True)
    for page_id in {page_id for page_id, _day in counts}:
        if page_id in new_totals:
            pipe.hset(STORED_KEY, _total_field(page_id), new_totals[page_id])
        else:
            pipe.hdel(STORED_KEY, _total_field(page_id))
    pipe.expire(STORED_KEY, STORED_SECONDS)
    pipe.delete(batch_key)
    pipe.srem(BATCHES_KEY, batch_key)
    pipe.execute()
    return sum(applied.values())
