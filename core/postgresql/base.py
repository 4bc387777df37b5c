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

It also runs a statement prepared on the server (`execute_prepared`): the statement a page from
the page cache sends on every counted view (news/hits/store.py) is then parsed and planned once
per connection instead of on every request, which halves the server's work for it.
"""

import functools
import hashlib
import re
import select
from datetime import date, datetime

from django.db.backends.postgresql.base import DatabaseWrapper as PostgresWrapper

# The parameters' types, declared when a statement is prepared: PostgreSQL cannot infer the type
# of a value that only appears in a SELECT list (INSERT … SELECT %s). datetime before date: a
# datetime is a date too.
PARAMETER_TYPES = (
    (bool, "boolean"),
    (int, "bigint"),
    (datetime, "timestamptz"),
    (date, "date"),
    (str, "text"),
)


def parameter_type(value):
    for kind, name in PARAMETER_TYPES:
        if isinstance(value, kind):
            return name
    raise TypeError(f"No type to prepare a parameter of type {type(value).__name__} with")


@functools.cache
def prepared_statement(sql, types):
    """(name, PREPARE, EXECUTE with %s for each parameter) of `sql` with parameters of `types`,
    made once per process: the name is a hash of both, the same on every connection."""
    key = f"{sql}|{','.join(types)}".encode()
    name = "p_" + hashlib.sha1(key, usedforsecurity=False).hexdigest()[:24]
    numbers = iter(range(1, len(types) + 1))
    statement = re.sub("%s", lambda _: f"${next(numbers)}", sql)
    prepare = f"PREPARE {name} ({', '.join(types)}) AS {statement}"
    return name, prepare, f"EXECUTE {name} ({', '.join(['%s'] * len(types))})"


class DatabaseWrapper(PostgresWrapper):
    def get_new_connection(self, conn_params):
        # A new session has no prepared statements: {name: True when prepared, None when a
        # query that would prepare it failed, so that whether it exists is not known}.
        self.prepared_statements = {}
        return super().get_new_connection(conn_params)

    def execute_prepared(self, cursor, sql, params, prefix=""):
        """Run `sql` (%s placeholders, no parameter None) as a statement prepared on this
        connection, in one round trip: on its first use the PREPARE goes in the same query.
        `prefix`: statements to send before it (a SET LOCAL). The rows are then fetched from
        `cursor` as after execute()."""
        name, prepare, execute = prepared_statement(sql, tuple(map(parameter_type, params)))
        prepared = self.prepared_statements.get(name, False)
        if prepared is None:
            cursor.execute("SELECT 1 FROM pg_prepared_statements WHERE name = %s", [name])
            prepared = cursor.fetchone() is not None
        query = prefix + execute if prepared else f"{prepare}; {prefix}{execute}"
        self.prepared_statements[name] = None
        cursor.execute(query, params)
        self.prepared_statements[name] = True

    def is_usable(self):
        connection = self.connection
        if connection is None or connection.closed:
            return False
        try:
            waiting, _, _ = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not waiting or super().is_usable()
