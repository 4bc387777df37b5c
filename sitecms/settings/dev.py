"""Local development: a placeholder secret, plain static files read as they are edited, and the
site's own pages, error pages included (Django's technical pages with DEBUG=1)."""

from sitecms.settings.base import *  # noqa: F403
from sitecms.settings.base import STATIC_ROOT, STORAGES, env_bool, env_list

# DEBUG stays as the environment says (off unless DEBUG=1): a reader of `make run` meets the
# Chinese 404 and 500 pages the site serves in production, not Django's English technical pages
# (980 px wide on a phone). A traceback is still printed where runserver writes its log.
SECRET_KEY = "dev-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Review notifications are printed where runserver writes its log.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Static files come from the app folders through whitenoise's finders, read again when edited
# (runserver serves them itself only with DEBUG); whitenoise only needs the folder to exist.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(exist_ok=True)
# The pictures pages show, served by Django as `make serve` does (news/library/served_pictures.py).
SERVE_MEDIA = env_bool("SERVE_MEDIA", default=True)
