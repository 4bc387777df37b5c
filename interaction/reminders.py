"""Deadline reminders by e-mail, sent by the daily job (interaction/daily_job.py) at these points of
an open message's deadline, counted in working days:

- before: INTERACTION_REMIND_BEFORE_DAYS or fewer days left (0: no such reminder);
- due: on the due date, or on the first run after it when that day was missed;
- overdue-N: INTERACTION_REMIND_EVERY_DAYS × N days past it.

Each goes to the unit the message was forwarded to (its 提醒邮箱, else its group's members), or,
before any forwarding, to those who receive the channel's messages (纠错: the reviewers), each of
them only if they act on the message's site (interaction/staff_access.py); from
the INTERACTION_REMIND_OWNER_FROM-th overdue reminder on, also to the channel's 负责人.

A Reminder row per (message, point) makes each reminder go out once however often the job runs,
and in however many processes: the row is written and committed first (the claim), the mail is
sent after the commit, outside any transaction, so that a slow mail server (EMAIL_TIMEOUT at
most) never holds a database lock; a mail that could not be sent deletes its claim, and the next
run tries again. Each sent reminder is a step of the message's history (workflow.remind). With no
mail server the mail lands in MAIL_DIR, and the dashboard (interaction/deadline_panel.py) carries
the same news.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from interaction import workflow
from interaction.deadlines import Meter
from interaction.models import CLOSED, Kind, Message, Reminder
from interaction.staff_access import sites_for
from interaction.workdays import Calendar

logger = logging.getLogger(__name__)

BEFORE = "before"
DUE = "due"
OVERDUE = "overdue-"


def point_for(deadline):
    """The reminder due for a message today, or None."""
    if deadline.overdue:
        rounds = deadline.overdue_by // settings.INTERACTION_REMIND_EVERY_DAYS
        return f"{OVERDUE}{rounds}" if rounds else DUE
    if deadline.days_left == 0:
        return DUE
    if deadline.days_left <= settings.INTERACTION_REMIND_BEFORE_DAYS:
        return BEFORE
    return None


def overdue_round(point):
    return int(point.removeprefix(OVERDUE)) if point.startswith(OVERDUE) else 0


def _emails(users, site_id):
    """The addresses of those among `users` who act on the site (interaction/staff_access.py):
    the roles are global, and a member of 留言受理 of one site is told nothing of another's."""
    return sorted(
        {user.email for user in users if user.email and sites_for(user).filter(pk=site_id).exists()}
    )


def _active(users):
    return users.filter(is_active=True).exclude(email="")


def _with_permission(codename):
    # Axes's backend answers no permission questions: ask the one that does.
    return get_user_model().objects.with_perm(
        f"interaction.{codename}",
        include_superusers=False,
        backend="django.contrib.auth.backends.ModelBackend",
    )


def first_recipients(message):
    """The unit's, or before forwarding the receivers', addresses."""
    User = get_user_model()
    if message.unit_id is not None:
        if message.unit.email:
            return [message.unit.email]
        users = User.objects.filter(groups=message.unit.group_id)
    elif message.kind == Kind.CORRECTION:
        users = _with_permission("review_reply")
    elif message.channel.handlers_id is not None:
        users = User.objects.filter(groups=message.channel.handlers_id)
    else:
        users = _with_permission("accept_message")
    return _emails(_active(users), message.site_id)


def recipients_for(message, point):
    recipients = first_recipients(message)
    owner = message.channel.owner_email if message.channel_id else ""
    if owner and overdue_round(point) >= settings.INTERACTION_REMIND_OWNER_FROM:
        recipients = sorted({*recipients, owner})
    return recipients


def describe(point, deadline):
    if point == BEFORE:
        return f"距答复期限还有 {deadline.days_left} 个工作日"
    if point == DUE:
        return deadline.label
    return f"{deadline.label}（第 {overdue_round(point)} 次超期提醒）"


def mail_text(message, deadline, said):
    """The reminder's subject and body: the message's number, channel and deadline, and never
    the writer's name or contact details."""
    channel = message.channel.title if message.channel_id else Kind.CORRECTION.label
    subject = f"【来信办理提醒】{message.number} {said}"
    body = (
        f"受理编号：{message.number}\n"
        f"渠道：{channel}\n"
        f"标题：{message.title}\n"
        f"状态：{message.get_status_display()}\n"
        f"答复期限：{deadline.due_date:%Y-%m-%d}（{said}）\n\n"
        f"请登录后台办理：{settings.WAGTAILADMIN_BASE_URL}/admin/\n"
        "有效来信超过 3 个月未答复，网站检查直接判为不合格。\n"
    )
    return subject, body


def send_one(message, point, deadline):
    """Send the reminder unless it was sent (or is being sent); True when this call sent it."""
    said = describe(point, deadline)
    recipients = recipients_for(message, point)
    try:
        with transaction.atomic():
            claim = Reminder.objects.create(
                site_id=message.site_id,
                message=message,
                point=point,
                recipients="\n".join(recipients),
            )
    except IntegrityError:
        return False
    try:
        if recipients:
            subject, body = mail_text(message, deadline, said)
            send_mail(subject, body, None, recipients)
    except Exception:
        claim.delete()
        raise
    with transaction.atomic():
        Reminder.objects.filter(pk=claim.pk).update(sent_at=timezone.now())
        workflow.remind(message, recipients, said)
    return True


def send_due(today=None, calendar=None):
    """Every reminder due today that has not gone out yet; returns how many were sent."""
    today = today or timezone.localdate()
    calendar = calendar or Calendar()
    done = set(
        Reminder.objects.exclude(message__status__in=CLOSED).values_list("message_id", "point")
    )
    sent = 0
    measure = Meter(today, calendar)
    waiting = Message.objects.open().select_related("channel", "unit").order_by("due_date", "pk")
    for message in waiting:
        deadline = measure(message)
        point = point_for(deadline)
        if point is None or (message.pk, point) in done:
            continue
        try:
            sent += send_one(message, point, deadline)
        except Exception:
            # A mail server that refuses one reminder: its claim is gone, the next run tries
            # again; the others go out now.
            logger.exception("The reminder %s of message %s could not be sent", point, message.pk)
    return sent
