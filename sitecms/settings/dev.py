"""Local development: debug on, a placeholder secret, plain static files."""

from sitecms.settings.base import *  # noqa: F403
from sitecms.settings.base import STATIC_ROOT, STORAGES, env_list

DEBUG = True
SECRET_KEY = "dev-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Review notifications are printed where runserver writes its log.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Static files come from the app folders through the finders; whitenoise only needs the folder to exist.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(exist_ok=True)
