"""The writer's contact details are kept while they may be needed: the daily job
(interaction/daily_job.py) removes the name, phone, e-mail and address of every message closed more
than INTERACTION_KEEP_CONTACT_DAYS ago (0: never) — answered, or closed as 不予受理 — and the name
its attachment came with, through
workflow.remove_contact, which keeps the message and its reply and logs the step.

Attachments stay, under the random name they were stored with: they are part of what the writer
asked and what the reply answers, kept for the same years as the message. Their original name,
which often names the writer, goes with the contact details. A writer who asks for their data to go is answered by staff with
the same step (删除联系信息), by hand.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from interaction import workflow
from interaction.models import Message, MessageStep, Status

NOTE = "保存期满自动删除联系信息"


def expired(now=None):
    """Closed messages past the period that still hold contact details."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.INTERACTION_KEEP_CONTACT_DAYS)
    rejected_before = MessageStep.objects.filter(
        action="interaction.reject", time__lt=cutoff
    ).values("message")
    has_contact = (
        ~Q(name="")
        | ~Q(phone="")
        | ~Q(email="")
        | Q(address__isnull=False)
        | ~Q(attachment_name="")
    )
    return Message.objects.filter(has_contact).filter(
        Q(status=Status.REPLIED, replied_at__lt=cutoff)
        | Q(status=Status.REJECTED, pk__in=rejected_before)
    )


def remove_expired_contacts(now=None):
    """Returns how many messages lost their contact details."""
    if settings.INTERACTION_KEEP_CONTACT_DAYS <= 0:
        return 0
    removed = 0
    for message in expired(now).order_by("pk").iterator():
        workflow.remove_contact(message, None, NOTE)
        removed += 1
    return removed
