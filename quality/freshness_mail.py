"""The freshness warnings the content quality daily job (quality/nightly.py) sends: for every
column that is stale, blank or goes stale within FRESHNESS_WARN_DAYS (quality/freshness.py), a
mail to the column's reviewers (quality/freshness.py's reviewer_groups: the 审核 role, or the
column's own) and to 内容安全管理; for a home page not updated in time, to 内容安全管理. Every day
while the column stays so: the reviewers decide whether to publish, or to set the column to
不监测 when it is no longer kept up.

A FreshnessWarning row per (column, day) makes each warning go out once a day however often the
job runs, and in however many processes: the row is written and committed first (the claim), the
mail is sent after the commit, outside any transaction, so that a slow mail server (EMAIL_TIMEOUT
at most) never holds a database lock; a mail that could not be sent deletes its claim, and the
next run tries again. Each warning is logged in the column's history (and so in the audit log).
With no mail server, or for staff without an address, the dashboard's panel and the 栏目更新预警
menu item (quality/freshness_report.py) carry the same news.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page, Site

from core.staff_sites import sites_for
from quality.freshness import BLANK, STALE, measure, reviewer_groups
from quality.freshness_models import FreshnessWarning
from quality.safety_roles import CONTENT_SAFETY

logger = logging.getLogger(__name__)

ACTION = "quality.freshness_warning"


def recipients_for(site, column):
    """The addresses of the column's reviewers and of 内容安全管理 (only 内容安全管理 for a home
    page), each only if they may be shown the site (core/staff_sites.py)."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    wanted = Q(groups__name=CONTENT_SAFETY)
    if not column.is_home:
        page = Page.objects.filter(pk=column.page_id).only("path").first()
        if page is not None:
            wanted |= Q(groups__in=reviewer_groups(page.path))
    return sorted(
        {
            user.email
            for user in users.filter(wanted).distinct()
            if sites_for(user).filter(pk=site.pk).exists()
        }
    )


def describe(column):
    if column.status == BLANK:
        return "没有公开的文章" if column.is_home else "是空白栏目（没有公开的文章）"
    if column.status == STALE:
        return f"已超期 {-column.days_left} 天未更新"
    if column.days_left == 0:
        return "今天是更新期限的最后一天"
    return f"还有 {column.days_left} 天到更新期限"


def mail_text(site, column, said):
    what = f"首页“{column.title}”" if column.is_home else f"栏目“{column.title}”"
    subject = f"【栏目更新预警】{site.site_name or site.hostname} {what}{said}"
    last = f"{column.last_day:%Y-%m-%d}" if column.last is not None else "无"
    limit = "2 周" if column.is_home else column.class_name
    body = (
        f"站点：{site.site_name or site.hostname}\n"
        f"{'页面' if column.is_home else '栏目'}：{column.title}（{column.url}）\n"
        f"更新要求：{limit}\n"
        f"最近更新：{last}\n"
        f"状况：{said}\n\n"
        f"栏目更新报告：{settings.WAGTAILADMIN_BASE_URL}/admin/reports/freshness/?site={site.pk}\n"
        "网站检查时，首页 2 周未更新，或 5 个以上动态要闻、通知公告类栏目超期未更新、10 个以上栏目"
        "应更新未更新、5 个以上空白栏目，均直接判为不合格。\n"
        "栏目已不再更新的，请在栏目的编辑页面将“更新要求”设为“不监测”，或取消发布该栏目。\n"
    )
    return subject, body


def send_one(site, column, today):
    """Send the day's warning about a column unless it was sent (or is being sent); True when
    this call sent it."""
    said = describe(column)
    recipients = recipients_for(site, column)
    try:
        with transaction.atomic():
            claim = FreshnessWarning.objects.create(
                site=site,
                page_id=column.page_id,
                day=today,
                state=column.status,
                days_left=column.days_left,
                recipients="\n".join(recipients),
            )
    except IntegrityError:
        return False
    try:
        if recipients:
            send_mail(*mail_text(site, column, said), None, recipients)
    except Exception:
        claim.delete()
        raise
    with transaction.atomic():
        FreshnessWarning.objects.filter(pk=claim.pk).update(sent_at=timezone.now())
        page = Page.objects.get(pk=column.page_id).specific_deferred
        log(
            instance=page,
            action=ACTION,
            data={"said": said, "recipients": len(recipients), "day": today.isoformat()},
        )
    return True


def send_warnings(today=None):
    """Every warning due today that has not gone out yet; returns how many were sent."""
    today = today or timezone.localdate()
    done = set(FreshnessWarning.objects.filter(day=today).values_list("page_id", flat=True))
    sent = 0
    for measured in measure(Site.objects.select_related("root_page"), today):
        for column in measured.warnings:
            if column.page_id in done:
                continue
            try:
                sent += send_one(measured.site, column, today)
            except Exception:
                # A mail server that refuses one warning: its claim is gone, the next run tries
                # again; the others go out now.
                logger.exception(
                    "The freshness warning of page %s could not be sent", column.page_id
                )
    return sent


def daily_step(now=None):
    """The daily job's step (quality/nightly.py), in words."""
    return f"发出 {send_warnings(timezone.localdate(now))} 条栏目更新预警"
