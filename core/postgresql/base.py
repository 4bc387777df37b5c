"""Django's PostgreSQL backend, with a health check that asks the server only when its socket
says something happened.

Connections are kept between requests (DB_CONN_MAX_AGE) and checked before a request's first
query (conn_health_checks), so that a request after a database restart gets a fresh connection
rather than an error. Django's check is a `SELECT 1`: a round trip on every request, as much as
a page kept in the page cache costs in all. An idle connection the server has ended (a restart,
an administrator's pg_terminate_backend, an idle timeout) has the server's farewell or the end of
the stream waiting on its socket, so this check first looks, without waiting, whether anything
is there to read: nothing, and the connection is as the last request left it; anything, and
Django's `SELECT 1` decides. A server gone without a word (its machine off) is found by the
request's first query, which fails as it would without any check, and the connection is
replaced on the next request.
"""

import select

from django.db.backends.postgresql.base import DatabaseWrapper as PostgresWrapper


class DatabaseWrapper(PostgresWrapper):
    def is_usable(self):
        connection = self.connection
        if connection is None or connection.closed:
            return False
        try:
            waiting, _, _ = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not waiting or super().is_usable()
