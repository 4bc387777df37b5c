"""The content quality daily job, run once a day by whichever serving process comes first after
QUALITY_DAILY_AT (Beijing time), or by `manage.py quality_daily` from cron:

1. re-scans every live page with the current 错敏词 lists (quality/rescan.py);
2. lists the live articles whose 发布时间 is later than their first publication beyond
   DATE_TOLERANCE_DAYS with no reason given (quality/date_changes.py);
3. sends the day's 栏目更新 warnings (quality/freshness_mail.py).
4. finds and checks the links of every live page (失效链接, quality/links.py).

Which process runs it is decided by the database (core/daily_runs.py, with quality/models.py's
DailyRun); each step may run again on the same day and does nothing twice.
"""

import logging

from django.conf import settings

from core import daily_runs
from core.periodic import start_periodic
from quality import links, rescan
from quality.date_changes import check_dates
from quality.freshness_mail import daily_step as freshness_step
from quality.models import DailyRun

logger = logging.getLogger(__name__)
THREAD = "quality-daily"


def run(now=None):
    """The job's steps; returns what it did, in words."""
    done = [rescan.scan(now), check_dates(), freshness_step(now), links.check_every_site()]
    return "；".join(done) or "无"


def run_if_due(now=None):
    return daily_runs.run_if_due(DailyRun, settings.QUALITY_DAILY_AT, run, now)


def start_daily_job():
    """Start the thread once per serving process (sitecms/wsgi.py, gunicorn.conf.py)."""
    if not settings.QUALITY_DAILY_ENABLED:
        return None
    return start_periodic(
        THREAD,
        lambda: settings.QUALITY_DAILY_INTERVAL,
        run_if_due,
        "The content quality daily job failed; it will be tried again at the next round",
    )
