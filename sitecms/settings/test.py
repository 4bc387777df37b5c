"""Test runs: fast hashing, local-memory cache, plain static files, media in a temporary folder."""

import atexit
import shutil
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


def _temporary_folder(prefix):
    """A folder of this test process's own, removed when the process ends."""
    folder = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


MEDIA_ROOT = _temporary_folder("sitecms-test-media-")
AUDIT_EXPORT_DIR = _temporary_folder("sitecms-test-audit-")
INTERACTION_FILES_DIR = _temporary_folder("sitecms-test-private-")
STATIC_ROOT = _temporary_folder("sitecms-test-static-")
WHITENOISE_USE_FINDERS = True
# A static file is looked up when asked for, not listed up front: every test client starts the
# middleware again, and listing the apps' few thousand files took 20 ms each time.
WHITENOISE_AUTOREFRESH = True

# SQLite's shared in-memory test database answers "table is locked" at once when the live server's
# threads write while another reads; a file with WAL and a busy timeout waits instead.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(_temporary_folder("sitecms-test-db-")) / "test.sqlite3")
    }

# An import runs within its request, in the test's transaction (news/importing/worker.py runs it
# in a child process on the production stack that tests/news/importing/test_import_on_the_stack.py
# starts).
IMPORT_IN_BACKGROUND = False
