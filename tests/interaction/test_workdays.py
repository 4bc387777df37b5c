"""Deadlines in working days on the Chinese calendar: holidays skipped, 调休 Saturdays counted,
staff's exceptions winning, and a year nobody knows counted Monday to Friday."""

import datetime

import pytest

from interaction.models import WorkdayException
from interaction.workdays import Calendar, add_working_days, working_days_between

D = datetime.date


def test_a_message_sent_before_national_day_skips_the_holiday_and_counts_the_working_saturday():
    # 2026: 国庆 from 1 to 7 October; Saturday 10 October is worked instead.
    calendar = Calendar(exceptions={})
    assert not calendar.is_working_day(D(2026, 10, 5))
    assert calendar.is_working_day(D(2026, 10, 10))
    assert not calendar.is_working_day(D(2026, 10, 11))
    # Sent on Wednesday 30 September: 8, 9 and 10 (调休 Saturday) October, then Monday 12.
    assert calendar.add_working_days(D(2026, 9, 30), 4) == D(2026, 10, 12)
    assert calendar.working_days_between(D(2026, 9, 30), D(2026, 10, 12)) == 4


def test_ten_working_days_from_an_ordinary_monday_end_two_weeks_later():
    assert Calendar(exceptions={}).add_working_days(D(2026, 11, 2), 10) == D(2026, 11, 16)


@pytest.mark.django_db
def test_a_day_staff_mark_as_holiday_or_working_wins_over_the_package():
    WorkdayException.objects.create(day=D(2027, 3, 1), is_working_day=False, note="测试放假")
    WorkdayException.objects.create(day=D(2027, 3, 6), is_working_day=True, note="测试调休")
    # Friday 26 February 2027 + 1: Monday 1 March is off, Tuesday 2 March.
    assert add_working_days(D(2027, 2, 26), 1) == D(2027, 3, 2)
    # The Saturday is worked: from Friday 5 March, one working day is Saturday 6 March.
    assert add_working_days(D(2027, 3, 5), 1) == D(2027, 3, 6)
    assert working_days_between(D(2027, 2, 26), D(2027, 3, 8)) == 6


def test_a_year_the_calendar_does_not_know_counts_monday_to_friday():
    calendar = Calendar(exceptions={})
    # 2200 has no calendar: a Friday plus one working day is the Monday.
    assert calendar.add_working_days(D(2200, 1, 3), 1) == D(2200, 1, 6)
    assert calendar.is_working_day(D(2200, 1, 1))


def test_no_working_days_between_a_day_and_itself_or_an_earlier_one():
    calendar = Calendar(exceptions={})
    assert calendar.working_days_between(D(2026, 12, 7), D(2026, 12, 7)) == 0
    assert calendar.working_days_between(D(2026, 12, 7), D(2026, 12, 1)) == 0
