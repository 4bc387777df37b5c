"""A copy of the test process's SQLite test database, made with SQLite's backup API and put back
the same way (a few milliseconds for the whole file, whoever else has it open)."""

import sqlite3
from contextlib import closing

from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import connection


def can_copy():
    """A copy can be made and put back: the database is SQLite and no transaction is open."""
    return connection.vendor == "sqlite" and not connection.in_atomic_block


def save(path):
    connection.ensure_connection()
    with closing(sqlite3.connect(path)) as copy:
        connection.connection.backup(copy)


def put_back(path):
    """The whole database as it was saved (every table, whatever came after it); then no cache may
    remember anything of the database it replaced."""
    connection.ensure_connection()
    with closing(sqlite3.connect(path)) as copy:
        copy.backup(connection.connection)
    ContentType.objects.clear_cache()
    for cache in caches.all():
        cache.clear()
