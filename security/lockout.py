"""Login-failure lockout (等保2.0 7.1.4.1 b, 登录失败处理) as django-axes keeps it here: per account
and address (AXES_LOCKOUT_PARAMETERS in sitecms/settings/base.py), so that a stranger's failures
lock the account out for the stranger's address only, and the security administrator can still
sign in from the office. An IPv6 client is known by its /64 network: one machine holds a whole
/64 and can change its address within it at will.

设置 → 登录锁定 lists the locks in force for whoever may change accounts (the 安全管理员, a
superuser), who can lift an account's locks; each unlock is recorded once ("unlock").
"""

import ipaddress
from datetime import timedelta

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Sum
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import TemplateView

from core.admin_pages import AdminPage
from core.beijing_time import beijing_time
from core.clients import client_ip
from security import audit

UNLOCK_PERMISSION = "auth.change_user"


def lockout_address(request):
    """AXES_CLIENT_IP_CALLABLE: the client's address (core/clients.py), an IPv6 one as the
    network address of its /64 (2001:db8:1:2::), which is itself an address the
    axes tables store."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)
    return address


def shown_address(address):
    """How the audit log and the lists write a lockout's address: an IPv6 one as its /64."""
    if address and ":" in address:
        return f"{address}/64"
    return address or ""


def may_unlock(user):
    return user.is_active and user.has_perm(UNLOCK_PERMISSION)


def locks_in_force(now=None):
    """(username, address, failures, last attempt) of each account and address locked now."""
    since = (now or timezone.now()) - settings.AXES_COOLOFF_TIME
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=since)
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")
    )
    return [
        {
            "username": row["username"] or "",
            "address": shown_address(row["ip_address"]),
            "failures": row["failures"],
            "last": f"{beijing_time(row['last']):%Y-%m-%d %H:%M:%S}",
        }
        for row in rows
    ]


def unlock(username, request=None):
    """Lift every lock of the account, from every address; returns the attempts removed."""
    removed = reset(username=username)
    audit.record(
        "unlock",
        obj=f"用户 {username}",
        detail=f"解除登录锁定（清除 {removed} 条失败记录）",
        request=request,
    )
    return removed


class LockoutsView(AdminPage, TemplateView):
    template_name = "security/lockouts.html"
    page_title = "登录锁定"
    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        if not may_unlock(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "locks": locks_in_force(),
            "cooloff_minutes": int(settings.AXES_COOLOFF_TIME / timedelta(minutes=1)),
            "limit": settings.AXES_FAILURE_LIMIT,
        }

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "").strip()
        if username:
            unlock(username, request)
            messages.success(request, f"已解除账号“{username}”的登录锁定。")
        return redirect("security_lockouts")
