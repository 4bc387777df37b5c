"""The content quality daily job runs once a day, in one process, and again after a failure."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from quality import nightly
from quality.models import DailyRun

pytestmark = pytest.mark.django_db


def test_the_job_runs_once_a_day_after_its_time(settings):
    settings.QUALITY_DAILY_AT = "02:30"
    day = timezone.localtime().replace(year=2026, month=12, day=7)
    assert nightly.run_if_due(day.replace(hour=2, minute=0)) is False
    assert nightly.run_if_due(day.replace(hour=3, minute=0)) is True
    assert nightly.run_if_due(day.replace(hour=4, minute=0)) is False
    run = DailyRun.objects.get()
    assert run.day == datetime.date(2026, 12, 7) and run.finished_at is not None


def test_the_command_runs_the_job(capsys):
    call_command("quality_daily")
    assert capsys.readouterr().out.strip()
