"""With ADMIN_2FA_REQUIRED, keeps an admin user whose session has not passed the second factor on
the 两步验证 page (security/two_factor_views.py): an account with no phone enrols there, one with
a phone whose session began without a code (signed in before enrolling elsewhere, say) gives one.

Only the admin's URLs are looked at. Signing out, the JavaScript catalogue and the icon sprite stay
allowed, as on the password page (security/passwords_middleware.py), which comes first: a password
that must be changed is changed before the phone is enrolled (that middleware marks the request,
and this one then lets it through). Any other admin URL, read or written, is answered with a
redirect to the 两步验证 page and does nothing.
"""

from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from security import two_factor
from security.passwords_middleware import ALWAYS_ALLOWED

TWO_FACTOR = "security_two_factor"


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        if self.admin_prefix is None:
            self.admin_prefix = reverse("wagtailadmin_home")
        if (
            not request.path_info.startswith(self.admin_prefix)
            or not two_factor.required()
            or not request.user.is_authenticated
            or getattr(request, "password_change_due", False)
            or request.user.is_verified()
        ):
            return self.get_response(request)
        try:
            name = resolve(request.path_info).url_name
        except Resolver404:
            name = None
        if name in ALWAYS_ALLOWED or name == TWO_FACTOR:
            return self.get_response(request)
        return redirect(TWO_FACTOR)
