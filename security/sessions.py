"""Who is signed in where (等保2.0 7.1.4.1 b, 会话管理): one row per signed-in session, with its
address and browser, so that a new sign-in ends the same account's other sessions
(ADMIN_SINGLE_SESSION, on by default; each ended session is recorded once as "session_ended"),
and a sign-in's session clock for the idle logout starts (security/idle_middleware.py). What each
user sees of their own sign-ins is security/sign_ins.py.

Sessions are ended through the session engine (SESSION_ENGINE, Django's database sessions here:
every worker of every machine sees the deletion on the session's next request). A session that
was already gone (signed out, expired) is only forgotten, not recorded.
"""

from importlib import import_module

from django.conf import settings
from django.db import models
from django.utils import timezone
from wagtail.models import Site

from core.beijing_time import beijing_time
from core.clients import client_ip
from security import audit
from security.idle_middleware import note_activity


class AdminSession(models.Model):
    site = models.ForeignKey(
        Site,
        verbose_name="站点",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="+"
    )
    session_key = models.CharField("会话", max_length=40, unique=True)
    signed_in_at = models.DateTimeField("登录时间", default=timezone.now)
    address = models.CharField("客户端地址", max_length=64, blank=True)
    user_agent = models.CharField("浏览器", max_length=255, blank=True)

    class Meta:
        app_label = "security"
        verbose_name = "登录会话"
        verbose_name_plural = "登录会话"

    def __str__(self):
        return f"{self.user_id} {self.signed_in_at:%Y-%m-%d %H:%M}"


def session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def _site_id(request):
    site = Site.find_for_request(request) if "HTTP_HOST" in request.META else None
    return site.pk if site is not None else None


def end_other_sessions(user, keep_key, request=None):
    """End every other session of `user` (through the session engine); returns how many."""
    store = session_store()
    ended = 0
    for row in AdminSession.objects.filter(user=user).exclude(session_key=keep_key):
        session = store(row.session_key)
        if session.exists(row.session_key):
            session.delete(row.session_key)
            audit.record(
                "session_ended",
                user=user,
                obj=f"用户 {user.get_username()}",
                detail=(
                    f"{beijing_time(row.signed_in_at):%Y-%m-%d %H:%M}"
                    f" 从 {row.address or '未知地址'} 登录的会话被新的登录结束"
                ),
                request=request,
            )
            ended += 1
        row.delete()
    return ended


def signed_in(sender, request, user, **kwargs):
    """user_logged_in: note the session, start its idle clock, end the account's others."""
    if request is None or not hasattr(request, "session"):
        return
    note_activity(request)
    if request.session.session_key is None:
        request.session.save()
    key = request.session.session_key
    AdminSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "site_id": _site_id(request),
            "signed_in_at": timezone.now(),
            "address": client_ip(request)[:64],
            "user_agent": request.headers.get("User-Agent", "")[:255],
        },
    )
    if settings.ADMIN_SINGLE_SESSION:
        end_other_sessions(user, key, request)
    else:
        # Forget sessions that ended by themselves (expired, or the browser's cookie gone).
        store = session_store()
        for row in AdminSession.objects.filter(user=user).exclude(session_key=key):
            if not store(row.session_key).exists(row.session_key):
                row.delete()


def signed_out(sender, request, user, **kwargs):
    """user_logged_out: the session is gone, and so is its row."""
    if request is not None and getattr(request, "session", None) is not None:
        key = request.session.session_key
        if key:
            AdminSession.objects.filter(session_key=key).delete()


class FollowSessionKeyMiddleware:
    """A signed-in session whose key changes keeps its row: giving the second factor and changing
    the password both give the session a new key (against session fixation), and a row left with
    the old key could no longer end it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        before = session.session_key if session is not None else None
        response = self.get_response(request)
        after = session.session_key if session is not None else None
        if before and after and before != after:
            AdminSession.objects.filter(session_key=before).update(session_key=after)
        return response
