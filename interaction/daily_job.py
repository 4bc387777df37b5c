"""The 互动交流 daily job, run once a day by whichever serving process comes first after
INTERACTION_DAILY_AT (Beijing time), or by `manage.py interaction_daily` from cron:

1. sends the deadline reminders due today (interaction/reminders.py);
2. removes the contact details of messages closed long enough ago (interaction/retention.py).

Which process runs it is decided by the database: the first to insert the day's DailyRun row
(interaction/models.py), or, when that run failed or its process died, the first to take the row
over. Both steps may run again on the same day (from cron and by hand) and do
nothing twice: a reminder is sent once per message and point, and a message without contact
details is not touched again.
"""

import logging
from datetime import time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from core.periodic import start_periodic
from interaction.models import DailyRun
from interaction.reminders import send_due
from interaction.retention import remove_expired_contacts

logger = logging.getLogger(__name__)
THREAD = "interaction-daily"
# A run that failed says so in its row, and the next round (or cron) runs the day again; one that
# neither finished nor failed this long after it started died with its process.
FAILED = "失败"
STALE_AFTER = timedelta(minutes=30)


def run(now=None):
    """The job's steps; returns what it did, in words."""
    now = now or timezone.now()
    reminded = send_due(timezone.localdate(now))
    removed = remove_expired_contacts(now)
    return f"发送 {reminded} 条到期提醒；删除 {removed} 封来信的联系信息"


def claim(day):
    """Whether this process is the one to run the day's job: the first to write the day's row,
    or the one that takes over a row whose run failed, or one started STALE_AFTER ago and never
    finished (its process died). Taking over is one conditional UPDATE, so of two processes
    trying at once one wins."""
    try:
        with transaction.atomic():
            DailyRun.objects.create(day=day)
    except IntegrityError:
        now = timezone.now()
        abandoned = DailyRun.objects.filter(day=day, finished_at=None).filter(
            Q(report__startswith=FAILED) | Q(started_at__lt=now - STALE_AFTER)
        )
        return abandoned.update(started_at=now, report="") == 1
    return True


def run_if_due(now=None):
    now = timezone.localtime(now or timezone.now())
    due_at = time.fromisoformat(settings.INTERACTION_DAILY_AT)
    day = now.date()
    if now.time() < due_at or DailyRun.objects.filter(day=day, finished_at__isnull=False).exists():
        return False
    if not claim(day):
        return False
    try:
        report = run(now)
    except Exception as error:
        # Said in the row, which lets the next round take the day over.
        DailyRun.objects.filter(day=day).update(report=f"{FAILED}：{error}")
        raise
    DailyRun.objects.filter(day=day).update(finished_at=timezone.now(), report=report)
    return True


def start_daily_job():
    """Start the thread once per serving process (sitecms/wsgi.py, gunicorn.conf.py)."""
    if not settings.INTERACTION_DAILY_ENABLED:
        return None
    return start_periodic(
        THREAD,
        lambda: settings.INTERACTION_DAILY_INTERVAL,
        run_if_due,
        "The interaction daily job failed; it will be tried again at the next round",
    )
