"""Sends an admin user whose password has expired, or was set by someone else, to the account
page's password form and nowhere else, and warns of a password about to expire.

Only the admin's URLs are looked at; the public site is untouched. While the password must be
changed, the account page is shown and takes a POST only if it changes the password; signing out
(and in), the JavaScript catalogue and the icon sprite the page needs are allowed; any other
admin URL, read or written, is answered with a redirect to the account page and does nothing.
The request is marked (`password_change_due`), so that the enrolment of a phone, when two-factor
sign-in is required, waits until the password is changed (security/two_factor_middleware.py).
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from security import audit, passwords

ACCOUNT = "wagtailadmin_account"
ALWAYS_ALLOWED = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
}
# The account page's password field (Wagtail's ChangePasswordPanel, prefix "password").
NEW_PASSWORD_FIELD = "password-new_password1"  # noqa: S105 (a field's name)
WARNED_ON = "security.password_warned_on"
EXPIRY_RECORDED = "security.password_expiry_recorded"


class PasswordPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        if self.admin_prefix is None:
            self.admin_prefix = reverse("wagtailadmin_home")
        if not request.path_info.startswith(self.admin_prefix) or not request.user.is_authenticated:
            return self.get_response(request)
        token = passwords.acting_user.set(request.user.pk)
        try:
            return self.stop(request) or self.get_response(request)
        finally:
            passwords.acting_user.reset(token)

    def stop(self, request):
        """The redirect that keeps a user who must change the password on the form, if any."""
        entry = passwords.current_password(request.user)
        if entry is None:
            return None
        reason = self.reason_to_change(entry)
        if reason is None:
            self.warn(request, entry)
            return None
        # The second factor waits until the password is changed (security/two_factor_middleware.py).
        request.password_change_due = True
        if entry.is_expired() and not request.session.get(EXPIRY_RECORDED):
            request.session[EXPIRY_RECORDED] = True
            audit.record("password_expired", obj=f"用户 {request.user.get_username()}")
        try:
            name = resolve(request.path_info).url_name
        except Resolver404:
            name = None
        if name in ALWAYS_ALLOWED:
            return None
        if name == ACCOUNT:
            if request.method == "GET":
                messages.error(request, reason)
                return None
            if request.method == "POST" and request.POST.get(NEW_PASSWORD_FIELD):
                return None
        return redirect(ACCOUNT)

    def reason_to_change(self, entry):
        if entry.must_change:
            return "您的密码由他人设置，请先修改为只有您自己知道的新密码，再继续使用管理后台。"
        if entry.is_expired():
            return (
                f"您的密码已超过 {passwords.max_age_days()} 天未修改，已经过期。"
                "请先修改密码，再继续使用管理后台。"
            )
        return None

    def warn(self, request, entry):
        """Once a day in each session, from PASSWORD_WARNING_DAYS before the password expires."""
        left = entry.days_left()
        if left is None or left > passwords.warning_days() or request.method != "GET":
            return
        today = timezone.localdate().isoformat()
        if request.session.get(WARNED_ON) == today:
            return
        request.session[WARNED_ON] = today
        messages.warning(
            request,
            f"您的密码将在 {left} 天后过期，请尽快在“帐号”页修改密码。",
        )
