"""Test runs: fast hashing, local-memory cache, plain static files, media in a temporary folder."""

import tempfile
from pathlib import Path

from sitecms.settings.base import *  # noqa: F403
from sitecms.settings.base import LOCAL_CACHES, STORAGES

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}, **LOCAL_CACHES}
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = tempfile.mkdtemp(prefix="sitecms-test-media-")
STATIC_ROOT = tempfile.mkdtemp(prefix="sitecms-test-static-")
WHITENOISE_USE_FINDERS = True
# A static file is looked up when asked for, not listed up front: every test client starts the
# middleware again, and listing the apps' few thousand files took 20 ms each time.
WHITENOISE_AUTOREFRESH = True

# SQLite's shared in-memory test database answers "table is locked" at once when the live server's
# threads write while another reads; a file with WAL and a busy timeout waits instead.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.mkdtemp(prefix="sitecms-test-db-")) / "test.sqlite3")
    }
