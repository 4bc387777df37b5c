"""The security app in the admin: 报告 → 审计日志 (security/audit_views.py); the 两步验证 page
(on the 帐号 page's 更多动作) and its reset (security/two_factor_views.py); the idle logout's
warning on every admin screen and its status and keep-alive addresses (security/idle_middleware.py);
帐号 → 登录记录 (security/sessions.py); 设置 → 登录锁定 (security/lockout.py); and the bulk actions
on the account list (delete, set active, assign a role) held to the rules of the account forms
(security/user_views.py): whoever is not a superuser cannot act on a superuser or another
安全管理员, grant 安全管理员, or give an account a second administrator's role."""

from django.contrib.auth import get_user_model
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from security.administrators import (
    ADMINISTRATOR_ROLES,
    administrator_roles,
    grantable_groups,
    may_manage_account,
)
from security.audit_views import AuditLogView, may_read_audit_log
from security.idle_middleware import idle_minutes_text, idle_seconds, keep_alive, session_status
from security.lockout import LockoutsView, may_unlock
from security.sign_ins import SignInHistoryView
from security.two_factor_views import TwoFactorResetView, TwoFactorView
from security.user_views import ONE_ROLE, PROTECTED_ACCOUNT, refused

NOT_GRANTABLE = "只有超级管理员可以授予这个角色。"


def refusal(request, objects, action):
    """Why the action may not be done, or None."""
    user = request.user
    if any(not may_manage_account(user, account) for account in objects):
        return PROTECTED_ACCOUNT
    if action.action_type != "assign_role":
        return None
    role = action.cleaned_form.cleaned_data["role"]
    if not grantable_groups(user).filter(pk=role.pk).exists():
        return NOT_GRANTABLE
    if role.name in ADMINISTRATOR_ROLES and any(
        administrator_roles(account) - {role.name} for account in objects
    ):
        return ONE_ROLE
    if not user.is_superuser and any(account.pk == user.pk for account in objects):
        return NOT_GRANTABLE
    return None


@hooks.register("before_bulk_action")
def hold_account_actions_to_the_roles(request, action_type, objects, action):
    if action.model is not get_user_model():
        return None
    reason = refusal(request, objects, action)
    if reason is None:
        return None
    return refused(reason)


class AuditLogMenuItem(MenuItem):
    def is_shown(self, request):
        return may_read_audit_log(request.user)


@hooks.register("register_admin_urls")
def register_audit_log_urls():
    return [
        path("reports/audit-log/", AuditLogView.as_view(), name="security_audit_log"),
        path(
            "reports/audit-log/results/",
            AuditLogView.as_view(results_only=True),
            name="security_audit_log_results",
        ),
        path("two-factor/", TwoFactorView.as_view(), name="security_two_factor"),
        path(
            "two-factor/reset/<int:pk>/",
            TwoFactorResetView.as_view(),
            name="security_two_factor_reset",
        ),
        path("account/session/", session_status, name="security_session_status"),
        path("account/session/keep/", keep_alive, name="security_keep_alive"),
        path("account/sign-ins/", SignInHistoryView.as_view(), name="security_sign_ins"),
        path(
            "account/sign-ins/results/",
            SignInHistoryView.as_view(results_only=True),
            name="security_sign_ins_results",
        ),
        path("settings/lockouts/", LockoutsView.as_view(), name="security_lockouts"),
    ]


@hooks.register("register_account_menu_item")
def two_factor_on_the_account_page(request):
    return {
        "url": reverse("security_two_factor"),
        "label": "两步验证",
        "help_text": "绑定手机验证器，查看或重新生成恢复码。",
    }


@hooks.register("register_reports_menu_item")
def register_audit_log_menu_item():
    return AuditLogMenuItem(
        "审计日志", reverse("security_audit_log"), icon_name="list-ul", order=900
    )


@hooks.register("insert_global_admin_js")
def idle_warning():
    # The limit travels on the script's own element: the admin's policy allows no inline data
    # script of ours to be trusted more than a static file (core/csp.py).
    if idle_seconds() <= 0:
        return ""
    return format_html(
        '<script src="{}" defer data-idle-seconds="{}" data-idle-minutes="{}" '
        'data-status-url="{}" data-keep-alive-url="{}" data-login-url="{}"></script>',
        static("js/admin/idle-warning.js"),
        idle_seconds(),
        idle_minutes_text(),
        reverse("security_session_status"),
        reverse("security_keep_alive"),
        reverse("wagtailadmin_login"),
    )


@hooks.register("insert_global_admin_css")
def idle_warning_style():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin/idle-warning.css"))


@hooks.register("register_account_menu_item")
def sign_in_history_item(request):
    return {
        "url": reverse("security_sign_ins"),
        "label": "登录记录",
        "help_text": "查看本人账号最近的登录、退出和登录失败记录（时间、地址、结果）。",
    }


class LockoutsMenuItem(MenuItem):
    def is_shown(self, request):
        return may_unlock(request.user)


@hooks.register("register_settings_menu_item")
def register_lockouts_menu_item():
    return LockoutsMenuItem("登录锁定", reverse("security_lockouts"), icon_name="lock", order=610)
