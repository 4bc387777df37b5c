"""The security app's daily job, run once a day by whichever serving process comes first after
SECURITY_DAILY_AT (Beijing time), or by `manage.py security_daily` from cron:

1. checks the audit chain (security/audit_verify.py) and records the outcome;
2. writes the previous day's records to AUDIT_EXPORT_DIR/audit-YYYY-MM-DD.jsonl, and to syslog
   when AUDIT_SYSLOG names a socket or host, for copies kept off the machine;
3. disables the accounts nobody has signed in to for ACCOUNT_INACTIVE_DAYS (0: never), which the
   安全管理员 can enable again;
4. removes the records older than AUDIT_RETENTION_DAYS (never under 180).

Which process runs it is decided by the database (core/daily_runs.py): the first to insert the
day's DailyRun row, or to take over the row of a run that failed or died.
"""

import json
import logging
import logging.handlers
from datetime import datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core import daily_runs
from core.beijing_time import BEIJING, beijing_time
from core.periodic import start_periodic
from security import audit, audit_verify

logger = logging.getLogger(__name__)
THREAD = "security-daily"


class DailyRun(models.Model):
    """One row per day the job ran (or is running): the lock that lets one process run it."""

    site = models.ForeignKey(
        "wagtailcore.Site", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    day = models.DateField(unique=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    report = models.TextField(blank=True)

    class Meta:
        app_label = "security"

    def __str__(self):
        return f"{self.day} {self.report}"


def retention_days():
    return max(int(settings.AUDIT_RETENTION_DAYS), audit.MINIMUM_RETENTION_DAYS)


def verify():
    broken = audit_verify.first_break()
    if broken is None:
        audit.record("audit_verified", detail=f"共 {audit_verify.count()} 条，校验通过")
        return "校验通过"
    audit.record("audit_verified", outcome=audit.FAILURE, detail=str(broken))
    logger.error("The audit log is broken: %s", broken)
    return f"校验失败：{broken}"


def day_bounds(day):
    start = datetime.combine(day, time.min, tzinfo=BEIJING)
    return start, start + timedelta(days=1)


def as_line(event):
    return json.dumps(
        {
            "sequence": event.sequence,
            "time": beijing_time(event.time).isoformat(),
            "user": event.username,
            "address": event.address,
            "event": event.event,
            "event_name": event.get_event_display(),
            "object": event.object,
            "outcome": event.outcome,
            "detail": event.detail,
            "algorithm": event.algorithm,
            "previous": event.previous,
            "digest": event.digest,
        },
        ensure_ascii=False,
    )


def syslog_handler():
    """A handler for AUDIT_SYSLOG: a socket path (/dev/log) or host:port (UDP)."""
    target = settings.AUDIT_SYSLOG
    if not target:
        return None
    if target.startswith("/"):
        address = target
    else:
        host, _, port = target.rpartition(":")
        address = (host or target, int(port or 514))
    return logging.handlers.SysLogHandler(
        address=address, facility=logging.handlers.SysLogHandler.LOG_AUTHPRIV
    )


def export_day(day):
    """Write the day's records to a file (and syslog); returns the file's path."""
    start, end = day_bounds(day)
    events = audit.SecurityEvent.objects.filter(time__gte=start, time__lt=end).order_by("sequence")
    folder = Path(settings.AUDIT_EXPORT_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"audit-{day:%Y-%m-%d}.jsonl"
    handler = syslog_handler()
    written = path.with_suffix(".jsonl.part")
    with written.open("w", encoding="utf-8") as out:
        for event in events.iterator():
            line = as_line(event)
            out.write(line + "\n")
            if handler is not None:
                record = {"msg": f"sitecms-audit: {line}", "levelno": logging.INFO}
                handler.emit(logging.makeLogRecord({**record, "levelname": "INFO"}))
    written.replace(path)
    if handler is not None:
        handler.close()
    return path


def disable_inactive_accounts(now=None):
    days = int(settings.ACCOUNT_INACTIVE_DAYS)
    if days <= 0:
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=days)
    unused = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
    )
    disabled = 0
    for account in unused:
        account.is_active = False
        account.save(update_fields=["is_active"])
        audit.record(
            "user_disabled",
            obj=f"用户 {account.get_username()}",
            detail=f"超过 {days} 天未登录，已停用",
        )
        disabled += 1
    return disabled


def prune(now=None):
    cutoff = (now or timezone.now()) - timedelta(days=retention_days())
    removed, _ = audit.SecurityEvent.objects.filter(time__lt=cutoff).delete()
    if removed:
        audit.record("audit_pruned", detail=f"删除 {removed} 条早于 {retention_days()} 天的记录")
    return removed


def run(day=None):
    """The job's four steps; returns what it did, in words."""
    today = day or timezone.localdate()
    report = [
        verify(),
        f"导出 {export_day(today - timedelta(days=1))}",
        f"停用 {disable_inactive_accounts()} 个长期未用账号",
        f"清理 {prune()} 条过期记录",
    ]
    return "；".join(report)


def run_if_due(now=None):
    return daily_runs.run_if_due(
        DailyRun, settings.SECURITY_DAILY_AT, lambda now: run(now.date()), now
    )


def start_daily_job():
    """Start the thread once per serving process (sitecms/wsgi.py, gunicorn.conf.py)."""
    if not settings.SECURITY_DAILY_ENABLED:
        return None
    return start_periodic(
        THREAD,
        lambda: settings.SECURITY_DAILY_INTERVAL,
        run_if_due,
        "The security daily job failed; it will be tried again at the next round",
    )
