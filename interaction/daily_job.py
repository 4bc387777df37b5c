"""The 互动交流 daily job, run once a day by whichever serving process comes first after
INTERACTION_DAILY_AT (Beijing time), or by `manage.py interaction_daily` from cron:

1. sends the deadline reminders due today (interaction/reminders.py);
2. removes the contact details of messages closed long enough ago (interaction/retention.py).

Which process runs it is decided by the database (core/daily_runs.py, with interaction/models.py's
DailyRun). Both steps may run again on the same day (from cron and by hand) and do
nothing twice: a reminder is sent once per message and point, and a message without contact
details is not touched again.
"""

import logging

from django.conf import settings
from django.utils import timezone

from core import daily_runs
from core.periodic import start_periodic
from interaction.models import DailyRun
from interaction.reminders import send_due
from interaction.retention import remove_expired_contacts

logger = logging.getLogger(__name__)
THREAD = "interaction-daily"


def run(now=None):
    """The job's steps; returns what it did, in words."""
    now = now or timezone.now()
    reminded = send_due(timezone.localdate(now))
    removed = remove_expired_contacts(now)
    return f"发送 {reminded} 条到期提醒；删除 {removed} 封来信的联系信息"


def run_if_due(now=None):
    return daily_runs.run_if_due(DailyRun, settings.INTERACTION_DAILY_AT, run, now)


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
