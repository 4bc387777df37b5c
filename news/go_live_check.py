"""A scheduled go-live checked again when it comes due: the 错敏词 lists may have grown since the
revision was scheduled (core/publishing.py checked it then). Before Wagtail's `publish_scheduled`
publishes what is due (news/scheduler.py, or the command from cron), each due revision is checked
with today's lists; a blocked one is taken off the schedule (its approved_go_live_at cleared, so it
is not tried again every minute) and stays unpublished, its refusal goes into the page's history
(and so into the audit log), and its author and the reviewers are told: by mail, and on the
dashboard (定时发布未能上线) until the article goes out. The rest are published as scheduled.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.timezone import localtime
from wagtail.admin.ui.components import Component
from wagtail.log_actions import log
from wagtail.models import Page, PageLogEntry, Revision

from core import content_gate
from news.roles import REVIEWERS

logger = logging.getLogger(__name__)

GO_LIVE_REFUSED = "news.go_live_refused"
GO_LIVE_REFUSED_LABEL = "定时发布未能上线"
# How long the dashboard keeps showing a refused go-live that nobody has published since.
SHOWN_DAYS = 30
PANEL_ITEMS = 10


def hold_blocked_go_lives():
    """Take the blocked ones off the schedule; returns [(object, revision, verdict)]."""
    held = []
    due = Revision.objects.filter(approved_go_live_at__lt=timezone.now()).order_by(
        "approved_go_live_at"
    )
    for revision in due:
        obj = revision.content_object
        if obj is None:
            continue
        verdict = content_gate.check_object(obj, revision=revision)
        if verdict:
            continue
        with transaction.atomic():
            at = revision.approved_go_live_at
            Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=None)
            log(
                instance=obj,
                action=GO_LIVE_REFUSED,
                revision=revision,
                data={
                    "go_live_at": at.isoformat(),
                    "findings": [content_gate.describe(f) for f in verdict.blocking],
                },
            )
        held.append((obj, revision, verdict))
    for obj, revision, verdict in held:
        tell(obj, revision, verdict)
    return held


def recipients(obj, revision):
    """The revision's author, the page's owner, and the reviewers, each with an address."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    wanted = users.filter(groups__name=REVIEWERS)
    people = {user.pk: user for user in wanted}
    for user in (revision.user, getattr(obj, "owner", None)):
        if user is not None and user.is_active and user.email:
            people[user.pk] = user
    return sorted({user.email for user in people.values()})


def tell(obj, revision, verdict):
    """Mail the refusal (to MAIL_DIR without a mail server); a mail that fails is logged, the
    dashboard still says it."""
    title = revision.object_str or str(obj)
    edit = reverse("wagtailadmin_pages:edit", args=(obj.pk,)) if isinstance(obj, Page) else ""
    lines = [
        f"《{title}》原定于 {localtime(timezone.now()):%Y-%m-%d %H:%M} 前后定时发布，"
        "发布前的错敏词检查发现以下问题，未予发布，发布计划已取消：",
        "",
        *[f"- {content_gate.describe(finding)}" for finding in verdict.blocking],
        "",
        "请改正后重新提交审核或发布。",
    ]
    if edit:
        lines.append(f"编辑文章：{settings.WAGTAILADMIN_BASE_URL}{edit}")
    to = recipients(obj, revision)
    if not to:
        return
    try:
        send_mail(f"定时发布未能上线：《{title}》", "\n".join(lines), None, to)
    except OSError:
        logger.exception("The mail about the refused go-live of %s could not be sent", title)


def refused_go_lives():
    """The refused go-lives of the last SHOWN_DAYS days whose page has not been published since:
    [(page, log entry)], newest first, one per page."""
    since = timezone.now() - timedelta(days=SHOWN_DAYS)
    entries = (
        PageLogEntry.objects.filter(action=GO_LIVE_REFUSED, timestamp__gte=since)
        .select_related("page")
        .order_by("-timestamp")
    )
    shown, seen = [], set()
    for entry in entries:
        page = entry.page
        if page is None or page.pk in seen:
            continue
        seen.add(page.pk)
        if page.last_published_at and page.last_published_at > entry.timestamp:
            continue
        shown.append((page, entry))
        if len(shown) == PANEL_ITEMS:
            break
    return shown


class RefusedGoLivePanel(Component):
    """定时发布未能上线, on the dashboard of those who work on articles, while there are some."""

    name = "news_refused_go_lives"
    order = 60
    template_name = "news/admin/panel_refused_go_lives.html"

    def __init__(self, items):
        self.items = items

    def get_context_data(self, parent_context):
        return {
            "items": [
                {
                    "page": page,
                    "at": parse_datetime(entry.data.get("go_live_at") or "") or entry.timestamp,
                    "findings": entry.data.get("findings", []),
                }
                for page, entry in self.items
            ]
        }
