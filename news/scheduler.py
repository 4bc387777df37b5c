"""Scheduled publishing that fires without cron: a small thread in each server process runs
Wagtail's `publish_scheduled` every SCHEDULER_INTERVAL seconds, under a database lock so that only
one process publishes at a time. Articles with a go-live time appear, and expired ones disappear,
within a minute; `manage.py publish_scheduled` from cron does the same job for those who prefer it.
Both run the project's own publish_scheduled, which first holds back and reports what the 错敏词
check now blocks (news/go_live_check.py).
"""

from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from core.periodic import start_periodic
from news.models import SchedulerLock

LOCK_NAME = "publish_scheduled"
THREAD = "publish-scheduled"


def run_due():
    """Publish what has come due and unpublish what has expired, unless another process is at it.
    Returns True when this process did the run."""
    with transaction.atomic():
        SchedulerLock.objects.get_or_create(name=LOCK_NAME)
    with transaction.atomic():
        # PostgreSQL: a row lock that another process skips; SQLite: its single writer does the same.
        lock = (
            SchedulerLock.objects.select_for_update(skip_locked=True).filter(name=LOCK_NAME).first()
        )
        if lock is None:
            return False
        call_command("publish_scheduled", stdout=StringIO())
        return True


def start_scheduler():
    """Start the publishing thread once per process (called when the WSGI application loads)."""
    if not settings.SCHEDULER_ENABLED:
        return None
    return start_periodic(
        THREAD,
        lambda: settings.SCHEDULER_INTERVAL,
        run_due,
        "Scheduled publishing failed; it will be tried again",
    )
