"""The 发布时间 rule as the publishing code meets it. An article's displayed date may lie at most
DATE_TOLERANCE_DAYS after its first publication (a later one presents the article as newer than it
is: the inspection's "forged publication date"); beyond that, someone who may publish the article
writes a reason, which is kept and logged. The record of every change and the reasons live in
quality/ (quality/date_changes.py), named by DATE_REASONS, so that news need not import the app
that imports it. With DATE_REASONS empty, no reason is asked for.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.module_loading import import_string

REASON_FIELD = "date_reason"
REASON_LABEL = "改期理由"


class DateNeedsReason(PermissionDenied):
    """Raised when a person publishes a date that needs a reason and none is on record: a
    refusal, never a server error."""


def tolerance():
    return timedelta(days=settings.DATE_TOLERANCE_DAYS)


def register():
    path = getattr(settings, "DATE_REASONS", "")
    return import_string(path) if path else None


def first_publication(page, go_live_at=None, now=None):
    """When the article was, or will be, first published: its first_published_at, or the
    scheduled go-live time ahead, or now."""
    now = now or timezone.now()
    if page.first_published_at is not None:
        return page.first_published_at
    if go_live_at is not None and go_live_at > now:
        return go_live_at
    return now


def beyond_tolerance(when, first):
    return when - first > tolerance()


def in_words(when, first):
    """发布时间 and first publication compared, in the words of a refusal."""
    days = (when - first) / timedelta(days=1)
    local, first_local = timezone.localtime(when), timezone.localtime(first)
    return (
        f"发布时间 {local:%Y-%m-%d %H:%M} 比首次发布（{first_local:%Y-%m-%d %H:%M}）晚 "
        f"{days:.1f} 天，超过允许的 {settings.DATE_TOLERANCE_DAYS} 天"
    )


def reason_needed(page, when, go_live_at=None):
    """The refusal's first words when publishing the article with the 发布时间 `when` needs a
    reason that is not on record; None when it may go out as it is."""
    reasons = register()
    if reasons is None or when is None:
        return None
    first = first_publication(page, go_live_at)
    if not beyond_tolerance(when, first):
        return None
    if page.pk is not None and reasons.excused(page, when):
        return None
    return in_words(when, first)


def give_reason(page, when, user, text):
    """Keep `user`'s reason for showing `when` on the article (they may publish it: the caller
    has checked). A page not yet saved keeps it until it is (quality/date_changes.py)."""
    reasons = register()
    if reasons is not None:
        reasons.give_reason(page, when, user, text)
