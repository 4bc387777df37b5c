"""Running a job once a day among many processes: whichever serving process comes first after the
job's time (Beijing time) runs the day, decided by the database. The job keeps one row per day
in its own table (a model with `day` unique, `started_at`, `finished_at` and `report`, such as
interaction/models.py's DailyRun): the first process to insert the day's row runs it; when that
run failed, or its process died STALE_AFTER after starting, the first to take the row over runs
it again. Taking over is one conditional UPDATE, so of two processes trying at once one wins.

Used by the daily jobs of security/daily.py, interaction/daily_job.py and quality/nightly.py.
"""

from datetime import time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

# A run that failed says so in its row, and the next round (or cron) runs the day again; one that
# neither finished nor failed this long after it started died with its process.
FAILED = "失败"
STALE_AFTER = timedelta(minutes=30)


def claim(model, day):
    """Whether this process is the one to run the day's job."""
    try:
        with transaction.atomic():
            model.objects.create(day=day)
    except IntegrityError:
        now = timezone.now()
        abandoned = model.objects.filter(day=day, finished_at=None).filter(
            Q(report__startswith=FAILED) | Q(started_at__lt=now - STALE_AFTER)
        )
        return abandoned.update(started_at=now, report="") == 1
    return True


def run_if_due(model, due_at, run, now=None):
    """Run `run(now)` (which returns what it did, in words) unless it is before `due_at` ("HH:MM",
    Beijing time) or the day has run or is running elsewhere. Returns whether it ran here."""
    now = timezone.localtime(now or timezone.now())
    day = now.date()
    if now.time() < time.fromisoformat(due_at):
        return False
    if model.objects.filter(day=day, finished_at__isnull=False).exists():
        return False
    if not claim(model, day):
        return False
    try:
        report = run(now)
    except Exception as error:
        # Said in the row, which lets the next round take the day over.
        model.objects.filter(day=day).update(report=f"{FAILED}：{error}"[:2000])
        raise
    model.objects.filter(day=day).update(finished_at=timezone.now(), report=report)
    return True
