"""Working days on the Chinese calendar, which the reply deadlines are counted in.

The `holidays` package's China calendar knows the statutory holidays and, for the years whose
schedule the State Council has published, the 调休 days: the weekend days worked in exchange for
a longer holiday. When next year's schedule is published before the package knows it, staff
enter the changed days as WorkdayException rows (设置 → 工作日调整), which win over the package.

A year the package knows nothing about counts Monday to Friday: a deadline is never an error.
"""

import datetime
import functools
import logging

import holidays

from interaction.models import WorkdayException

logger = logging.getLogger(__name__)


@functools.lru_cache(maxsize=16)
def _national(year):
    """The package's China calendar for one year, or None when it has nothing for that year."""
    try:
        calendar = holidays.China(years=year)
    except Exception:  # a calendar that cannot be built counts Monday to Friday
        logger.warning("No Chinese holiday calendar for %s; counting Monday to Friday", year)
        return None
    return calendar if any(day.year == year for day in calendar) else None


def _package_says_working(day):
    calendar = _national(day.year)
    if calendar is None:
        return day.weekday() < 5
    return calendar.is_working_day(day)


class Calendar:
    """The working days of a span of dates, with the staff's exceptions read once."""

    def __init__(self, exceptions=None):
        if exceptions is None:
            exceptions = dict(WorkdayException.objects.values_list("day", "is_working_day"))
        self.exceptions = exceptions

    def is_working_day(self, day):
        if day in self.exceptions:
            return self.exceptions[day]
        return _package_says_working(day)

    def add_working_days(self, start, count):
        """The date `count` working days after `start` (a message received on a holiday or in
        the evening still counts from the next working day)."""
        day = start
        left = count
        while left > 0:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day

    def working_days_between(self, start, end):
        """Working days after `start` up to and including `end` (0 when `end` is not later)."""
        if end <= start:
            return 0
        days = 0
        day = start
        while day < end:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                days += 1
        return days


def add_working_days(start, count):
    return Calendar().add_working_days(start, count)


def working_days_between(start, end):
    return Calendar().working_days_between(start, end)
