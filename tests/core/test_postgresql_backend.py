"""The PostgreSQL backend's health check (core/postgresql/base.py): a kept connection is checked
before a request's first query without asking the server anything, and one the server has ended
(a restart, pg_terminate_backend) is found and replaced, so that the request gets its page and not
an error. (tests/site/test_faults.py restarts the server under a running stack.)"""

import select
import time

import pytest
from django.db import connection, connections
from django.db.backends.postgresql.base import DatabaseWrapper as PostgresWrapper

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
