"""The site's doors: staff accounts at the admin's (logging out only by a form (POST), the login
and the password-reset form throttled per address, quiet when no mail server answers), and the
password form of a protected page, throttled the same way.

Wagtail's views do the work; these wrap them at the same URLs (sitecms/urls.py lists them before
the admin's, so they are the ones routed). django-axes locks an account after failed logins
(settings: AXES_LOCKOUT_PARAMETERS); the per-address limit here stops one address from trying
many accounts without locking a whole office behind one NAT out after a few typing mistakes.
"""

import logging

from django.conf import settings
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm
from wagtail.admin.views import account
from wagtail.models import Page
from wagtail.views import authenticate_with_password

from core import limits

logger = logging.getLogger(__name__)


def too_often(request, group, rate):
    return limits.exceeded(request, group, rate)


class LogoutView(account.LogoutView):
    """Wagtail's logout deleted the session cookie even for a GET it refused, leaving the session
    alive: a link on another site could log editors out while the old cookie kept working. A GET
    now changes nothing; the sidebar's logout is a form and posts."""

    def dispatch(self, request, *args, **kwargs):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return super().dispatch(request, *args, **kwargs)


class LoginForm(WagtailLoginForm):
    """The admin's login form (WAGTAILADMIN_USER_LOGIN_FORM). Wagtail's password field has no
    label, and Django makes one of the field's name: "Password", in English whatever the
    language. And no 记住我: with it Wagtail kept the session two weeks past the browser's
    closing; without it the session ends with the browser (等保2.0, templates/wagtailadmin/login.html
    shows no box either)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = gettext_lazy("Password")
        self.fields.pop("remember", None)


class LoginView(account.LoginView):
    def post(self, request, *args, **kwargs):
        if too_often(request, "admin-login", settings.LOGIN_RATE_LIMIT):
            return render(request, "429.html", status=429)
        return super().post(request, *args, **kwargs)


class PasswordResetView(account.PasswordResetView):
    def post(self, request, *args, **kwargs):
        if too_often(request, "password-reset", settings.PASSWORD_RESET_RATE_LIMIT):
            return render(request, "news/password_reset_throttled.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except OSError as error:
            # The same answer as when the mail went out: whether an account has that address is
            # nobody's business, and the failure is the operator's, in one log line.
            logger.warning("Password reset mail not sent (mail server unavailable: %s)", error)
            return HttpResponseRedirect(self.get_success_url())


def password_for_page(request, page_view_restriction_id, page_id):
    """Wagtail's password form for a protected page, throttled like the admin's login: each
    address may try PAGE_PASSWORD_RATE_LIMIT passwords, then waits. A reader who gave the right
    password goes back to the page: Wagtail would send a `return_url` that is not the site's own
    (tampered with, or cut off) to LOGIN_REDIRECT_URL, a page this site does not have."""
    if request.method == "POST":
        if too_often(request, "page-password", settings.PAGE_PASSWORD_RATE_LIMIT):
            return render(request, "news/password_throttled.html", status=429)
        return_url = request.POST.get("return_url", "")
        if not url_has_allowed_host_and_scheme(return_url, request.get_host(), request.is_secure()):
            page = Page.objects.filter(pk=page_id).specific().first()
            request.POST = request.POST.copy()
            request.POST["return_url"] = page.url if page is not None and page.url else "/"
    return authenticate_with_password(request, page_view_restriction_id, page_id)
