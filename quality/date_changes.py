"""The record of every change of an article's 发布时间 that reaches readers, and the reasons for
dates later than an article's first publication (core/date_gate.py names this module).

Where changes are seen: when a revision is published (Wagtail's page_published), which every
path that shows readers a date passes through — the edit form's 发布, a workflow's approval
(from the form or from its dialog), bulk publishing, a scheduled go-live and imports. The date
readers saw before is the page's row as it stood just before that publish (a live page's row holds
its live content; drafts live in revisions), caught by a pre_save receiver. Draft changes are not
recorded: until published nobody sees them, and the published one names who typed the date (the
author of the first revision that carried it) and who published it.

What is recorded (DateChange, and a quality.date_change entry in Wagtail's log, which
security/content_log.py copies to the audit chain): every changed date of an article readers had
seen (old → new), in either direction: a date moved far back is a forgery too, though the rule
asks for a reason only for a date later than the first publication, an article made to look newer
than it is. Of first publications (old empty), those whose date is later than that moment beyond
DATE_TOLERANCE_DAYS (they carry a reason), and imported ones whose source date lies that far from
it, so that the list says where an old date came from. An article simply published a few days
after the date it was written under is no change. An imported article keeps its source's date,
marked 导入 and needing no reason (news/importing/seedformat.py key_date).

A person publishing a date that needs a reason with none on record is refused (DateNeedsReason:
the publish undone, the reason in words on the article's edit page, core/date_gate.py); the edit
form asks first and bulk publishing checks before it starts (quality/wagtail_hooks.py), so this is
met only on paths without a form, such as a workflow's approval from its dialog. A scheduled go-live or an import runs with nobody signed in and
is not refused: it is recorded, and the nightly check (date_findings) lists it.
"""

from datetime import timedelta

from django.db.models import DateTimeField as DateTimeOutput
from django.db.models import ExpressionWrapper, F, Q
from django.utils.dateparse import parse_datetime
from django.utils.timezone import is_naive, localtime, make_aware
from wagtail.log_actions import get_active_log_context, log
from wagtail.models import Site

from core import date_gate
from news.importing.seedformat import key_date
from news.models import ArticlePage
from quality.date_models import EDITED, FIRST, IMPORTED, SCHEDULED, DateChange, DateReason

CHANGE_ACTION = "quality.date_change"
REASON_ACTION = "quality.date_reason"
ACTIONS = {CHANGE_ACTION: "修改发布时间", REASON_ACTION: "填写改期理由"}
# The form shows minutes: a date typed again comes back without its seconds.
SAME = timedelta(minutes=1)
# How far back through a page's revisions to look for the one that first carried a date.
REVISIONS_LOOKED_AT = 50
PENDING = "_pending_date_reason"
BEFORE = "_date_before_publish"


def stamp(when):
    """A time as the log keeps it: the site's local time, with its offset."""
    return localtime(when).isoformat() if when is not None else None


def same_time(a, b):
    return a is not None and b is not None and abs(a - b) < SAME


def imported(page, when):
    """Whether `when` is the date of the source file the article was imported from."""
    return bool(page.import_key) and same_time(key_date(page.import_key), when)


def reason_for(page, when):
    """The latest reason on record for showing `when` on the article, or None."""
    reasons = DateReason.objects.filter(
        page_id=page.pk, published_at__gt=when - SAME, published_at__lt=when + SAME
    )
    return reasons.select_related("given_by").order_by("-given_at", "-pk").first()


def excused(page, when):
    """Whether the date may stand beyond the tolerance: imported, or explained."""
    return imported(page, when) or reason_for(page, when) is not None


def site_of(page):
    return page.get_site() or Site.objects.get(is_default_site=True)


def give_reason(page, when, user, text):
    if page.pk is None:
        # A new article published at once: kept until it is saved (article_saved).
        setattr(page, PENDING, (when, user, text))
        return None
    reason = DateReason.objects.create(
        site=site_of(page), page_id=page.pk, published_at=when, reason=text, given_by=user
    )
    log(
        instance=page,
        action=REASON_ACTION,
        user=user,
        data={"published_at": stamp(when), "reason": text},
    )
    return reason


# Receivers (quality/signal_handlers.py) ----------------------------------------------------------


def article_saving(sender, instance, raw=False, update_fields=None, **kwargs):
    """pre_save of ArticlePage: the date readers saw, before a publish saves the new one."""
    if raw or instance.pk is None:
        return
    if update_fields is not None and "published_at" not in update_fields:
        return
    row = (
        ArticlePage.objects.filter(pk=instance.pk)
        .values("published_at", "first_published_at", "live")
        .first()
    )
    setattr(instance, BEFORE, row)


def article_saved(sender, instance, created=False, raw=False, **kwargs):
    """post_save of ArticlePage: a reason given before the article had an id is kept now."""
    pending = instance.__dict__.pop(PENDING, None)
    if pending is not None and not raw:
        give_reason(instance, *pending)


def article_published(sender, instance, revision=None, alias=False, **kwargs):
    """page_published of ArticlePage: record a change readers see, refusing a person who
    publishes a date that needs a reason with none on record."""
    before = instance.__dict__.pop(BEFORE, None)
    if alias or instance.alias_of_id or not instance.live:
        return
    seen_before = before is not None and before["first_published_at"] is not None
    old = before["published_at"] if seen_before else None
    new, first = instance.published_at, instance.first_published_at
    if same_time(old, new):
        return
    is_import = imported(instance, new)
    later = date_gate.beyond_tolerance(new, first)
    if old is None and not later and not (is_import and abs(new - first) > date_gate.tolerance()):
        return  # first published with its own date: nothing readers saw has changed
    publisher = get_active_log_context().user
    reason = None if is_import else reason_for(instance, new)
    needs_reason = later and not is_import and reason is None and date_gate.asks_reasons()
    if needs_reason and publisher is not None:
        raise date_gate.DateNeedsReason(
            f"《{instance.title}》未发布：{date_gate.in_words(new, first)}，"
            f"须在本页写明“{date_gate.REASON_LABEL}”后发布。",
            instance.pk,
        )
    record_change(instance, revision, old, publisher, is_import, reason)


def origin(old, publisher, is_import):
    if is_import:
        return IMPORTED
    if old is None:
        return FIRST
    return EDITED if publisher is not None else SCHEDULED


def record_change(page, revision, old, publisher, is_import, reason):
    new = page.published_at
    changed_by = None if is_import else typed_by(page, revision, new)
    change = DateChange.objects.create(
        site=site_of(page),
        page_id=page.pk,
        title=page.title[:255],
        old=old,
        new=new,
        first_published_at=page.first_published_at,
        origin=origin(old, publisher, is_import),
        changed_by=changed_by,
        published_by=publisher,
        reason=reason.reason if reason else "",
        reason_by=reason.given_by if reason else None,
    )
    log(
        instance=page,
        action=CHANGE_ACTION,
        user=publisher or changed_by,
        revision=revision,
        data={
            "old": stamp(old),
            "new": stamp(new),
            "first_published_at": stamp(page.first_published_at),
            "origin": change.get_origin_display(),
            "changed_by": changed_by.get_username() if changed_by else None,
            "reason": change.reason,
        },
    )
    return change


def typed_by(page, revision, when):
    """The author of the earliest revision, in the unbroken run ending at the published one,
    whose 发布时间 is `when`: whoever typed it, not whoever later saved the article again."""
    if revision is None:
        return None
    author = revision.user
    revisions = page.revisions.filter(created_at__lte=revision.created_at).order_by(
        "-created_at", "-pk"
    )
    for older in revisions.select_related("user")[:REVISIONS_LOOKED_AT]:
        content = older.content.get("published_at")
        if content is None or not same_time(parse(content), when):
            break
        author = older.user
    return author


def parse(value):
    """A revision's stored date; one stored without its offset is the site's wall-clock time."""
    try:
        when = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:
        return None
    if when is not None and is_naive(when):
        when = make_aware(when)
    return when


# The nightly check -----------------------------------------------------------------------------


def date_findings(sites=None):
    """Live articles (not 一稿多发 copies) showing a 发布时间 later than their first publication by
    more than the tolerance, with no reason on record and not their source's date."""
    later = ExpressionWrapper(
        F("first_published_at") + date_gate.tolerance(), output_field=DateTimeOutput()
    )
    articles = (
        ArticlePage.objects.live()
        .filter(alias_of__isnull=True, first_published_at__isnull=False)
        .annotate(allowed_until=later)
        .filter(published_at__gt=F("allowed_until"))
        .order_by("-published_at", "-pk")
    )
    if sites is not None:
        within = Q(pk__in=[])
        for site in sites:
            within |= Q(path__startswith=site.root_page.path)
        articles = articles.filter(within)
    return [article for article in articles if not excused(article, article.published_at)]


def check_dates():
    """The daily job's step (quality/nightly.py): the findings, in words."""
    found = date_findings()
    return f"发布时间晚于首次发布且无理由的文章 {len(found)} 篇"
