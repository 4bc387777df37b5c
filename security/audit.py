"""The security audit log (等保2.0 安全审计, 7.1.4.3 / 8.1.4.3): one append-only table of security
events, each record chained to the one before it by an HMAC, so that a record changed or removed
outside the application is found by `manage.py verify_audit`.

`record()` is the one way in: every feature that has something to log calls it with the event's
code (EVENTS below), and it takes the client's address, the account and the site from the request
being answered (security/audit_middleware.py keeps it) unless told otherwise. Records are written
under a lock on the chain's head (AuditChain), in the caller's transaction: what is undone is not
logged, and two processes never link to the same record.

Nobody changes or deletes a record through the application: the table has no admin form and no
view that writes, and the database refuses it too (triggers made by
security/migrations/0003_audit_log.py, security/audit_triggers.py), except that a record older
than 180 days may be deleted, which is how `manage.py prune_audit` keeps AUDIT_RETENTION_DAYS.
"""

import contextvars
import datetime
import functools
import hashlib
import hmac
import json

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from wagtail.log_actions import registry
from wagtail.models import Site

from core.beijing_time import beijing_time
from core.clients import client_ip

# The request being answered, for records written from a signal (security/audit_middleware.py).
current_request = contextvars.ContextVar("current_request", default=None)

SUCCESS = "成功"
FAILURE = "失败"
DENIED = "拒绝"
OUTCOMES = (SUCCESS, FAILURE, DENIED)

EVENTS = {
    "login": "登录",
    "login_failed": "登录失败",
    "logout": "退出登录",
    "idle_logout": "闲置超时退出",
    "session_ended": "会话被新登录结束",
    "lockout": "账号锁定",
    "unlock": "解除锁定",
    "otp_enrolled": "绑定两步验证",
    "otp_failed": "两步验证码错误",
    "recovery_code_used": "使用恢复码",
    "otp_reset": "重置两步验证",
    "password_changed": "修改密码",
    "password_reset": "他人重设密码",
    "password_expired": "密码过期",
    "user_created": "新建用户",
    "user_changed": "修改用户",
    "user_deleted": "删除用户",
    "user_disabled": "停用长期未用账号",
    "role_changed": "角色变更",
    "group_created": "新建组",
    "group_changed": "修改组",
    "group_deleted": "删除组",
    "export": "导出",
    "permission_denied": "越权访问被拒绝",
    "settings_changed": "修改设置",
    "content_action": "内容操作",
    "audit_verified": "审计日志校验",
    "audit_pruned": "清理过期审计记录",
}

# The one permission the 审计管理员 has besides the admin's door (security/administrators.py).
VIEW_AUDIT_LOG = ("view_audit_log", "查看和导出审计日志")

# Below this age no record may be deleted, whatever AUDIT_RETENTION_DAYS says (网络安全法 第二十一条:
# network logs are kept at least six months); the triggers hold the database to the same figure.
MINIMUM_RETENTION_DAYS = 180


@functools.cache
def algorithm():
    """SM3 (GB/T 32905) where this Python's OpenSSL offers it, SHA-256 otherwise; each record says
    which was used, so that a log moved between machines still verifies."""
    try:
        hashlib.new("sm3")
    except ValueError:
        return "sha256"
    return "sm3"


def chain_key():
    """The HMAC key: AUDIT_KEY, or one derived from SECRET_KEY. Whoever can change a record and
    its link without the key cannot make the link verify."""
    key = getattr(settings, "AUDIT_KEY", "") or ""
    if key:
        return key.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"security-audit-chain", "sha256").digest()


class AuditChain(models.Model):
    """The head of the chain: how many records there are and the newest one's link. Its one row
    is locked while a record is written, which orders the writers of every process."""

    length = models.BigIntegerField(default=0)
    digest = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        app_label = "security"

    def __str__(self):
        return f"{self.length} {self.digest[:12]}"


class SecurityEvent(models.Model):
    """One security event. The account is kept by its id and name, not by a foreign key: deleting
    an account must change no record."""

    site = models.ForeignKey(
        Site,
        verbose_name="站点",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    sequence = models.BigIntegerField("序号", unique=True)
    time = models.DateTimeField("时间", db_index=True)
    user_id = models.BigIntegerField("用户编号", null=True, blank=True, db_index=True)
    username = models.CharField("用户", max_length=150, blank=True)
    address = models.CharField("客户端地址", max_length=64, blank=True)
    event = models.CharField("事件", max_length=40, choices=list(EVENTS.items()), db_index=True)
    object = models.CharField("对象", max_length=255, blank=True)
    outcome = models.CharField("结果", max_length=8, choices=[(o, o) for o in OUTCOMES])
    detail = models.TextField("详情", blank=True)
    algorithm = models.CharField("算法", max_length=8)
    previous = models.CharField("上一条的校验值", max_length=64, blank=True)
    digest = models.CharField("校验值", max_length=64)

    class Meta:
        app_label = "security"
        ordering = ["-sequence"]
        verbose_name = "安全审计记录"
        verbose_name_plural = "安全审计记录"
        permissions = [VIEW_AUDIT_LOG]

    def __str__(self):
        return f"{self.sequence} {self.get_event_display()} {self.username}"

    def shown_time(self):
        return f"{beijing_time(self.time):%Y-%m-%d %H:%M:%S}"

    def shown_detail(self):
        """The detail as an auditor reads it: a 内容操作 names Wagtail's action and entry (its hash
        stays in the export)."""
        if self.event == "content_action":
            try:
                joined = json.loads(self.detail)
                action = joined["action"]
                return f"{action_label(action)}（{action}，Wagtail 日志 {joined['log']} #{joined['id']}）"
            except (ValueError, KeyError, TypeError):
                pass
        return self.detail

    def content(self):
        """What the link covers: every field but the link itself, in a fixed form."""
        return json.dumps(
            [
                self.sequence,
                self.time.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
                self.site_id,
                self.user_id,
                self.username,
                self.address,
                self.event,
                self.object,
                self.outcome,
                self.detail,
            ],
            ensure_ascii=False,
            separators=(",", ":"),
        )

    def expected_digest(self, key):
        message = f"{self.previous}|{self.content()}".encode()
        return hmac.new(key, message, self.algorithm).hexdigest()


def _actor(request, user):
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return None, ""
    return user.pk, user.get_username()


def _site(request):
    # A request made up by code (Django's test client signs in with one) has no host at all.
    if request is not None and {"HTTP_HOST", "SERVER_NAME"} & request.META.keys():
        site = Site.find_for_request(request)
        if site is not None:
            return site.pk
    return Site.objects.filter(is_default_site=True).values_list("pk", flat=True).first()


def record(event, *, obj="", outcome=SUCCESS, detail="", user=None, username=None, request=None):
    """Write one record. `user` is the account acting (by default the request's); `username`
    names an account that is not signed in (a failed login's name as typed). `obj` is what was
    acted on, `detail` what changed, in words an auditor reads."""
    if event not in EVENTS:
        raise ValueError(f"unknown audit event {event!r}")
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    request = request if request is not None else current_request.get()
    user_id, name = _actor(request, user)
    if username is not None:
        name = username
    with transaction.atomic():
        head, _ = AuditChain.objects.select_for_update().get_or_create(pk=1)
        entry = SecurityEvent(
            site_id=_site(request),
            sequence=head.length + 1,
            time=timezone.now(),
            user_id=user_id,
            username=name[:150],
            address=client_ip(request) if request is not None else "",
            event=event,
            object=str(obj)[:255],
            outcome=outcome,
            detail=str(detail),
            algorithm=algorithm(),
            previous=head.digest,
        )
        entry.digest = entry.expected_digest(chain_key())
        entry.save(force_insert=True)
        head.length = entry.sequence
        head.digest = entry.digest
        head.save(update_fields=["length", "digest"])
    return entry


def action_label(action):
    """The words Wagtail's log gives an action (the history's 操作), or the action itself."""
    registry.scan_for_actions()
    return registry.get_action_label(action) if registry.action_exists(action) else action
