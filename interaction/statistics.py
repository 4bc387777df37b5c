"""The figures a channel publishes month by month, as the inspection rules ask (受理反馈情况公开):

- 收到: messages received in the month;
- 受理: of those, the ones accepted (not closed as 不予受理 and not still waiting to be accepted);
- 办结: messages answered in the month (不予受理 is a closing too, but not an answer: it has its own
  column, 不予受理);
- 公开答复: of those answered, the ones on the public list;
- 平均办理工作日: working days from receipt to answer, averaged over the month's answers;
- 超期: answers given after their deadline in the month, and messages whose deadline fell in the
  month and that are still unanswered.

Months are Beijing months. The figures are counted from the messages themselves each time, so a
correction of a message shows in its month's figures at once.
"""

import datetime

from django.utils import timezone

from core.beijing_time import BEIJING
from interaction.models import Message, Status
from interaction.workdays import Calendar

MONTHS_SHOWN = 12


def month_start(day):
    return day.replace(day=1)


def months_back(today, count):
    """The first days of the last `count` months, this month first."""
    first = month_start(today)
    months = []
    for _ in range(count):
        months.append(first)
        first = month_start(first - datetime.timedelta(days=1))
    return months


def bounds(first):
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=BEIJING)
    following = month_start(first + datetime.timedelta(days=32))
    return start, datetime.datetime.combine(following, datetime.time.min, tzinfo=BEIJING)


def month_figures(messages, first, calendar, today):
    start, end = bounds(first)
    received = messages.filter(received_at__gte=start, received_at__lt=end)
    answered = list(
        messages.filter(status=Status.REPLIED, replied_at__gte=start, replied_at__lt=end).only(
            "received_at", "replied_at", "due_date", "consent_public", "reply_publishable"
        )
    )
    days = [
        calendar.working_days_between(
            timezone.localdate(message.received_at), timezone.localdate(message.replied_at)
        )
        for message in answered
    ]
    late_answers = sum(
        1 for message in answered if timezone.localdate(message.replied_at) > message.due_date
    )
    # A deadline is missed the day after it: by today in this month, by the month's end before.
    still_open_late = (
        messages.open().filter(due_date__gte=first, due_date__lt=min(end.date(), today)).count()
    )
    return {
        "month": first,
        "received": received.count(),
        "accepted": received.exclude(status__in=[Status.RECEIVED, Status.REJECTED]).count(),
        "rejected": received.filter(status=Status.REJECTED).count(),
        "answered": len(answered),
        "published": sum(
            1 for message in answered if message.consent_public and message.reply_publishable
        ),
        "average_days": round(sum(days) / len(days), 1) if days else None,
        "overdue": late_answers + still_open_late,
    }


def channel_statistics(channel, today=None, months=MONTHS_SHOWN):
    """The figures of the last `months` months of one channel, this month first."""
    today = today or timezone.localdate()
    messages = Message.objects.filter(channel=channel)
    calendar = Calendar()
    return [month_figures(messages, first, calendar, today) for first in months_back(today, months)]
