"""The PostgreSQL backend (core/postgresql/base.py). Its health check: a kept connection is checked
before a request's first query without asking the server anything, and one the server has ended
(a restart, pg_terminate_backend) is found and replaced, so that the request gets its page and not
an error (tests/site/test_faults.py restarts the server under a running stack). Its prepared
statements: prepared once per connection in the round trip of their first use, and found again
after a query that failed."""

import select
import time
from datetime import date, datetime

import pytest
from django.db import DatabaseError, connection, connections
from django.db.backends.postgresql.base import DatabaseWrapper as PostgresWrapper
from django.test.utils import CaptureQueriesContext

from core.postgresql.base import DatabaseWrapper

pytestmark = [pytest.mark.postgres, pytest.mark.engine_dependent, pytest.mark.django_db]


@pytest.fixture
def kept():
    """A connection of its own, as a worker keeps one between requests."""
    wrapper = DatabaseWrapper({**connection.settings_dict, "CONN_HEALTH_CHECKS": True})
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def test_the_site_uses_this_backend():
    assert isinstance(connections["default"], DatabaseWrapper)


def test_a_connection_nothing_happened_to_is_checked_without_a_query(kept, monkeypatch):
    def asked(self):
        raise AssertionError("the server was asked")

    monkeypatch.setattr(PostgresWrapper, "is_usable", asked)
    assert kept.is_usable()


def test_a_connection_the_server_ended_is_replaced_before_the_first_query(kept):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [kept.connection.info.backend_pid])
    deadline = time.monotonic() + 5
    while not select.select([kept.connection.fileno()], [], [], 0.1)[0]:
        assert time.monotonic() < deadline, "the server's farewell never came"
    assert not kept.is_usable()
    # As each request starts (django.db.close_old_connections), then its first query.
    kept.close_if_unusable_or_obsolete()
    with kept.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


STATEMENT = "SELECT %s + 1, %s::date + 1, %s || '!', %s, %s"
PARAMETERS = [41, date(2026, 12, 31), "你好", True, datetime(2026, 1, 1, 8, 0).astimezone()]


def sent(wrapper, params=PARAMETERS, statement=STATEMENT):
    """What one execute_prepared sends, in order, and the row it returns."""
    with CaptureQueriesContext(wrapper) as captured, wrapper.cursor() as cursor:
        wrapper.execute_prepared(cursor, statement, params, "SET LOCAL work_mem TO '8MB'; ")
        row = cursor.fetchone()
    return [query["sql"] for query in captured.captured_queries], row


def test_a_statement_is_prepared_in_its_first_round_trip_and_executed_after(kept):
    first, row = sent(kept)
    assert len(first) == 1 and first[0].startswith("PREPARE p_") and "EXECUTE p_" in first[0]
    assert row == (42, date(2027, 1, 1), "你好!", True, PARAMETERS[4])
    again, row = sent(kept)
    assert len(again) == 1 and again[0].startswith("SET LOCAL work_mem TO '8MB'; EXECUTE p_")
    assert row[0] == 42


def test_a_new_connection_prepares_again(kept):
    sent(kept)
    kept.close()
    kept.ensure_connection()
    first, row = sent(kept)
    assert first[0].startswith("PREPARE p_") and row[0] == 42


def test_after_a_failed_query_the_server_is_asked_whether_the_statement_exists(kept):
    # Prepared, then executed with a value the statement cannot take: the PREPARE stays.
    with pytest.raises(DatabaseError, match="out of range"):
        sent(kept, params=[2**63 - 1, *PARAMETERS[1:]])
    checked, row = sent(kept)
    assert "pg_prepared_statements" in checked[0] and checked[1].startswith("SET LOCAL")
    assert row[0] == 42
    # A PREPARE that failed leaves nothing prepared: the next use prepares it.
    broken = "SELECT %s FROM no_such_table"
    with pytest.raises(DatabaseError):
        sent(kept, params=[1], statement=broken)
    with pytest.raises(DatabaseError, match="no_such_table"):
        sent(kept, params=[1], statement=broken)


def test_a_parameter_without_a_type_is_refused_before_anything_is_sent(kept):
    with kept.cursor() as cursor, pytest.raises(TypeError, match="NoneType"):
        kept.execute_prepared(cursor, "SELECT %s", [None])
