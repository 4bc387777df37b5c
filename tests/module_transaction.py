"""Data a module's tests share, made once: inside a transaction that is rolled back after the
module's last test. pytest-django's transaction around each test is then a savepoint inside it,
so each test's own changes are rolled back to the shared data, as they would be to the page tree.
Not for tests that commit (transaction=True): their end empties every table."""

from contextlib import contextmanager

from django.db import transaction


@contextmanager
def module_transaction(django_db_blocker):
    """For a module-scoped fixture: what the fixture makes (with django_db_blocker.unblock())
    inside this block, and yields, is there for each of the module's tests and gone after them."""
    with django_db_blocker.unblock():
        shared = transaction.atomic()
        shared.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            shared.__exit__(None, None, None)
