"""The content quality app's tables."""

from django.db import models
from django.utils import timezone

from quality.check_task import ContentCheckTask  # noqa: F401
from quality.date_models import DateChange, DateReason  # noqa: F401
from quality.freshness_models import FreshnessWarning  # noqa: F401
from quality.links_models import FoundLink, LinkCheckRun, LinkTarget  # noqa: F401
from quality.scan_findings import ScanFinding  # noqa: F401
from quality.stats_models import PublishingStats  # noqa: F401
from quality.word_lists import AllowedPhrase, ListedWord, ListVersion, StandardOverride  # noqa: F401


class DailyRun(models.Model):
    """One row per day the daily job ran (or is running): the lock that lets one process run it
    (core/daily_runs.py)."""

    day = models.DateField(unique=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    report = models.TextField(blank=True)

    def __str__(self):
        return f"{self.day} {self.report}"
