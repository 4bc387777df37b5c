"""The 发布时间 rule as the publishing code meets it. An article's displayed date may lie at most
DATE_TOLERANCE_DAYS after its first publication (a later one presents the article as newer than it
is: the inspection's "forged publication date"); beyond that, someone who may publish the article
writes a reason, which is kept and logged. The record of every change and the reasons live in
quality/ (quality/date_changes.py), named by DATE_REASONS, so that news need not import the app
that imports it. With DATE_REASONS empty, no reason is asked for.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from wagtail.admin.modal_workflow import render_modal_workflow

REASON_FIELD = "date_reason"
REASON_LABEL = "改期理由"


class DateNeedsReason(Exception):
    """Raised when a person publishes a date that needs a reason and none is on record (the
    publish, and the approval it was part of, are undone). DateRefusalMiddleware turns it into
    the message and the article's edit page, where 改期理由 is asked for."""

    def __init__(self, message, page_id):
        super().__init__(message)
        self.page_id = page_id


class DateRefusalMiddleware:
    """A refusal raised where no form could ask first (a workflow's approval from its dialog):
    the reason in words, on the article's edit page, never a server error. Wagtail would turn a
    PermissionDenied into "no permission to access this area", which says nothing of the date."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DateNeedsReason):
            return None
        messages.error(request, str(exception))
        url = reverse("wagtailadmin_pages:edit", args=(exception.page_id,))
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            # Wagtail's dialogs follow a redirect given in their own answer.
            return render_modal_workflow(
                request, "", None, {}, json_data={"step": "success", "redirect": url}
            )
        return redirect(url)


def tolerance():
    return timedelta(days=settings.DATE_TOLERANCE_DAYS)


def register():
    path = getattr(settings, "DATE_REASONS", "")
    return import_string(path) if path else None


def asks_reasons():
    return bool(getattr(settings, "DATE_REASONS", ""))


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
    local, first_local = timezone.localtime(when), timezone.localtime(first)
    return (
        f"发布时间 {local:%Y-%m-%d %H:%M} 比首次发布（{first_local:%Y-%m-%d %H:%M}）晚 "
        f"{days_and_hours(when - first)}，超过允许的 {settings.DATE_TOLERANCE_DAYS} 天"
    )


def days_and_hours(span):
    """ "5 天", "5 天 3 小时": whole days as people count them, never "5.0 天"."""
    days, hours = divmod(round(span / timedelta(hours=1)), 24)
    return f"{days} 天 {hours} 小时" if hours else f"{days} 天"


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
