"""Production: every secret and host comes from the environment, and the site refuses to start without them."""

import os

from django.core.exceptions import ImproperlyConfigured

from sitecms.settings.base import *  # noqa: F403
from sitecms.settings.base import ALLOWED_HOSTS, SECRET_KEY, env_bool, env_list

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in the environment (comma-separated).")

DEBUG = False
# Two-factor sign-in to the admin, required unless ADMIN_2FA_REQUIRED=0 (security/two_factor.py).
ADMIN_2FA_REQUIRED = env_bool("ADMIN_2FA_REQUIRED", default=True)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
if env_bool("TRUST_X_FORWARDED_PROTO"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = SECURE_SSL_REDIRECT
CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# Browsers keep to HTTPS for a year once they have seen the site over it (only sent over HTTPS).
SECURE_HSTS_SECONDS = int(
    os.environ.get("SECURE_HSTS_SECONDS", "31536000" if SECURE_SSL_REDIRECT else "0")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# The preload directive only allows a submission to the browsers' preload list; nothing is submitted.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
# Pages may not be framed by anyone; Wagtail's preview panel overrides this with SAMEORIGIN.
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
