"""How each unanswered message stands against its deadline, for the dashboard
(interaction/deadline_panel.py) and the reminders (interaction/reminders.py).

A message's due date is fixed when it arrives (interaction/workflow.py, receive); here it is
measured against today in working days of the Chinese calendar (interaction/workdays.py):
working days left, or working days overdue. 即将到期 means at most INTERACTION_DUE_SOON_DAYS
working days left (the due date itself included).

Each channel (and 纠错) is summed up by its oldest unanswered valid message — what the national
inspection looks at: a valid message unanswered for more than 3 months fails the site outright.
The severity is
- danger (red) once any message is overdue or the oldest is INTERACTION_DANGER_AGE_DAYS calendar
  days old (30 by default: two months before the veto);
- warning (amber) when one is 即将到期 or the oldest is INTERACTION_WARNING_AGE_DAYS old (15);
- normal otherwise.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from interaction.models import Kind, Message, past_due
from interaction.staff_access import may_use, visible_messages
from interaction.workdays import Calendar

NORMAL = "normal"
WARNING = "warning"
DANGER = "danger"
SEVERITY_LABELS = {NORMAL: "正常", WARNING: "注意", DANGER: "紧急"}
_RANK = {NORMAL: 0, WARNING: 1, DANGER: 2}


@dataclass(frozen=True)
class Deadline:
    """A due date seen from `today`: working days left (0 on the day itself), or overdue by."""

    due_date: datetime.date
    today: datetime.date
    days_left: int
    overdue_by: int
    overdue: bool

    @property
    def due_soon(self):
        return not self.overdue and self.days_left <= settings.INTERACTION_DUE_SOON_DAYS

    @property
    def label(self):
        if self.overdue:
            # The weekend after a Friday deadline is past it by no working day yet.
            if self.overdue_by == 0:
                return "已过期限"
            return f"已超期 {self.overdue_by} 个工作日"
        if self.days_left == 0:
            return "今天到期"
        return f"还剩 {self.days_left} 个工作日"


def deadline_of(message, today, calendar):
    due = message.due_date
    return Deadline(
        due_date=due,
        today=today,
        days_left=calendar.working_days_between(today, due),
        overdue_by=calendar.working_days_between(due, today),
        overdue=message.is_overdue(today),
    )


def age_in_days(message, today):
    """Calendar days since the message arrived (Beijing dates)."""
    return (today - timezone.localdate(message.received_at)).days


def severity(deadline, age):
    if deadline.overdue or age >= settings.INTERACTION_DANGER_AGE_DAYS:
        return DANGER
    if deadline.due_soon or age >= settings.INTERACTION_WARNING_AGE_DAYS:
        return WARNING
    return NORMAL


def worst(*severities):
    return max(severities, key=_RANK.__getitem__, default=NORMAL)


@dataclass
class ChannelSummary:
    """A channel's (or the site's 纠错's) unanswered valid messages."""

    label: str
    oldest: Message
    oldest_age: int
    oldest_deadline: Deadline
    open_count: int = 0
    due_soon: int = 0
    overdue: int = 0
    severity: str = NORMAL

    @property
    def severity_label(self):
        return SEVERITY_LABELS[self.severity]


def _label(message, several_sites):
    label = message.channel.title if message.channel_id else Kind.CORRECTION.label
    return f"{message.site.site_name or message.site.hostname} {label}" if several_sites else label


def summaries(messages, today=None, calendar=None):
    """One summary per channel (纠错 apart) of the open valid messages among `messages`, the
    most urgent first. The counts are SQL aggregates and only each channel's oldest message is
    measured on the calendar, so the cost follows the number of channels, not of messages."""
    today = today or timezone.localdate()
    calendar = calendar or Calendar()
    # Due soon: at most INTERACTION_DUE_SOON_DAYS working days left, i.e. due before the working
    # day after that many.
    soon_before = calendar.add_working_days(today, settings.INTERACTION_DUE_SOON_DAYS + 1)
    waiting = messages.open().valid()
    groups = list(
        waiting.order_by()
        .values("site_id", "kind", "channel_id")
        .annotate(
            open_count=Count("pk"),
            overdue=Count("pk", filter=past_due(today)),
            due_soon=Count("pk", filter=Q(due_date__gte=today, due_date__lt=soon_before)),
        )
    )
    several_sites = len({group["site_id"] for group in groups}) > 1
    rows = []
    for group in groups:
        oldest = (
            waiting.filter(
                site_id=group["site_id"], kind=group["kind"], channel_id=group["channel_id"]
            )
            .select_related("channel", "site")
            .order_by("received_at", "pk")
            .first()
        )
        deadline = deadline_of(oldest, today, calendar)
        age = age_in_days(oldest, today)
        summary = ChannelSummary(
            label=_label(oldest, several_sites),
            oldest=oldest,
            oldest_age=age,
            oldest_deadline=deadline,
            open_count=group["open_count"],
            due_soon=group["due_soon"],
            overdue=group["overdue"],
            severity=severity(deadline, age),
        )
        if summary.overdue:
            summary.severity = DANGER
        elif summary.due_soon:
            summary.severity = worst(summary.severity, WARNING)
        rows.append(summary)
    return sorted(rows, key=lambda summary: (-_RANK[summary.severity], -summary.oldest_age))


class Meter:
    """The deadlines of many open messages seen from one day, each due date measured on the
    calendar once: the reminders' run costs the number of distinct due dates, not of messages."""

    def __init__(self, today, calendar):
        self.today = today
        self.calendar = calendar
        self.known = {}

    def __call__(self, message):
        due = message.due_date
        if due not in self.known:
            self.known[due] = deadline_of(message, self.today, self.calendar)
        return self.known[due]


def handles_messages(user):
    """Whether `user` receives, handles or reviews messages: the people the dashboard panel and
    the overdue menu item are for (the same as those the 互动交流 menu is for)."""
    return may_use(user)


def handled_by(user):
    """The messages `user` has a hand in: the ones the 来信 listing shows them."""
    return visible_messages(user)


def overdue_count(user, today=None):
    """How many open messages `user` has a hand in are past their due date."""
    today = today or timezone.localdate()
    return handled_by(user).valid().overdue(today).count()
