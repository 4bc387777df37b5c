"""The readers seen within HITCOUNT_WINDOW, as the database remembers them (`RecentReader`): the
one memory that decides, for every worker on every machine, whether a view is a reader's first.

Without Redis every view asks it as it is counted (news/hits/store.py). With Redis, the script
that buffers a view asks Redis's own memory first, which answers at once; but Redis cannot know
the readers counted in the database while it was away (or while one worker could not reach it),
and the database cannot know the readers whose views wait in Redis. So each buffered first view
carries its reader and moment, and the flush asks this table too, in its transaction: a view
whose reader the table holds within the window is a repeat and is not applied. Which of a
reader's two views survives does not matter; that one of them does, exactly, is what the flush
makes sure of, and it leaves every flushed reader in the table for views counted around Redis
later.
"""

from datetime import timedelta

from django.conf import settings
from django.db import connection

from news.hits.models import RecentReader


def reader_sql(source="VALUES (%s, %s)"):
    """An upsert that gives a row for a new reader, or one whose window has passed (renewing
    it), and none for a reader seen within it. Parameters: reader_params(), `source`'s own
    parameters (beyond the reader and the end of its window) going before the last."""
    quote = connection.ops.quote_name
    table, key, until = map(quote, (RecentReader._meta.db_table, "key", "until"))
    return (
        f"INSERT INTO {table} ({key}, {until}) {source} "
        f"ON CONFLICT ({key}) DO UPDATE SET {until} = excluded.{until} "
        f"WHERE {table}.{until} <= %s RETURNING 1"
    )


def reader_params(reader, moment):
    return [reader, moment + timedelta(seconds=settings.HITCOUNT_WINDOW), moment]


def repeats(views):
    """Record each view's reader as seen, in the order the views were made, and return the
    views that were not their reader's first in the window. `views` are (moment, reader, what)
    tuples; `what` comes back as given. Runs in the caller's transaction."""
    views = sorted(views, key=lambda view: view[0])
    if connection.vendor == "postgresql":
        return _repeats_in_rounds(views)
    repeated = []
    with connection.cursor() as cursor:
        for moment, reader, what in views:
            cursor.execute(reader_sql(), reader_params(reader, moment))
            if cursor.fetchone() is None:
                repeated.append(what)
    return repeated


def _repeats_in_rounds(views):
    """One statement per round on PostgreSQL, whatever the number of views (a batch held back by
    a long database outage can be large). A statement may touch a row only once, so a reader
    with several views in the batch (their window passed meanwhile) has them in later rounds."""
    rounds, seen = [], {}
    for view in views:
        number = seen[view[1]] = seen.get(view[1], -1) + 1
        if number == len(rounds):
            rounds.append([])
        rounds[number].append(view)
    quote = connection.ops.quote_name
    table, key, until = map(quote, (RecentReader._meta.db_table, "key", "until"))
    sql = (
        f"INSERT INTO {table} ({key}, {until}) "  # noqa: S608 - quoted names
        "SELECT * FROM unnest(%s::text[], %s::timestamptz[]) "
        f"ON CONFLICT ({key}) DO UPDATE SET {until} = excluded.{until} "
        f"WHERE {table}.{until} <= excluded.{until} - %s * interval '1 second' RETURNING {key}"
    )
    window = timedelta(seconds=settings.HITCOUNT_WINDOW)
    repeated = []
    with connection.cursor() as cursor:
        for views_of_round in rounds:
            readers = [reader for _, reader, _ in views_of_round]
            untils = [moment + window for moment, _, _ in views_of_round]
            cursor.execute(sql, [readers, untils, settings.HITCOUNT_WINDOW])
            first = {row[0] for row in cursor.fetchall()}
            repeated += [what for _, reader, what in views_of_round if reader not in first]
    return repeated
