"""The rows of the test process's PostgreSQL test database as django_db_setup left them, kept in
memory and put back after a test that commits, in place of Django's flush: the flush empties every
table, runs every post_migrate handler again (content types, permissions, the roles) and leaves
the page tree to be built again, one to three seconds each time; putting the rows back takes a
fraction of that, and leaves the database as the SQLite tests' copy does (tests/sqlite_copy.py)."""

import io

from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import connection, transaction

# COPY's binary format: a 19-byte header and a 2-byte trailer around the rows.
EMPTY_COPY = 21


def can_copy():
    """Rows can be kept and put back: the database is PostgreSQL, no transaction is open, and the
    test database's user may turn off the triggers (the foreign keys' and the audit log's) while
    they are put back, as the postgres user of CI and the README may."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        return cursor.fetchone()[0]


def _tables():
    return connection.introspection.table_names(include_views=False)


def _quoted(table):
    return connection.ops.quote_name(table)


def save():
    """{table: its rows} for every table that has any."""
    saved = {}
    with connection.cursor() as cursor:
        for table in _tables():
            rows = io.BytesIO()
            cursor.copy_expert(f"COPY {_quoted(table)} TO STDOUT (FORMAT binary)", rows)
            if rows.tell() > EMPTY_COPY:
                saved[table] = rows.getvalue()
    return saved


def put_back(saved):
    """Every table as it was saved (whatever came after it), in one transaction; then no cache
    may remember anything of the rows it replaced. The sequences go on from where they are, as
    after Django's flush."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        # The names are the database's own tables, quoted.
        deletes = "".join(f"DELETE FROM {_quoted(table)};" for table in _tables())  # noqa: S608
        cursor.execute(deletes)
        for table, rows in saved.items():
            cursor.copy_expert(
                f"COPY {_quoted(table)} FROM STDIN (FORMAT binary)", io.BytesIO(rows)
            )
    ContentType.objects.clear_cache()
    for cache in caches.all():
        cache.clear()
