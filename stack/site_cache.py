"""The migrated databases and prepared sites kept between runs: each in a folder of the cache named
for a hash of everything it is made from, so that a change to any of that makes a new one and
nothing stale is reused; made by one process while the others wait, and written whole before it
is named, so that no run ever finds half of one. Its kinds: migrated-sqlite and
migrated-postgres (stack/site.py; every test database begins as one), site-sqlite and
site-postgres (the demo site every stack starts from, stack/site.py) and test-database (a SQLite
test database with the page tree built, tests/conftest.py).

The cache is `.cache/prepared-site/` in the checkout (git-ignored, removed by `make clean`): it
goes with the code it was made from, and two checkouts never prune each other's entries. Set
SITECMS_PREPARED_SITE to use another folder (CI keeps its own in the user's cache folder, for
both its passes and the runs after them on the same machine: .ci/run)."""

import ast
import fcntl
import hashlib
import os
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from stack.services import PG_BIN

ROOT = Path(__file__).resolve().parent.parent
FOLDER_VARIABLE = "SITECMS_PREPARED_SITE"
APPS = ["core", "news", "contact", "ops", "security", "interaction", "quality"]
# Of each kind, the entries used last are kept (switching between two branches reuses both),
# and any used within the hour, which a run may still be copying; older ones are removed.
KEEP = 3
IN_USE_SECONDS = 3600
# Where a setting says where files go, not what the site holds.
PLACES = {"DATABASE_URL", "MEDIA_ROOT", "AUDIT_EXPORT_DIR"}
# The Makefile exports PORT, 8000 unless given, which the settings also read when it is unset:
# `make test-one` and pytest run by hand make the same site, and share it.
SAME_AS_UNSET = {"PORT": "8000"}
# The demo counts its days in the site's time zone (TIME_ZONE in sitecms/settings/base.py): a site
# prepared before Beijing's midnight is a day old after it, whatever the machine's clock says.
SITE_TIME_ZONE = ZoneInfo("Asia/Shanghai")
READS_ENVIRONMENT = re.compile(
    r"""(?:environ\.get\(|environ\[|getenv\(|env_bool\(|env_list\()\s*["']([A-Z][A-Z0-9_]*)["']"""
)


def folder():
    path = Path(os.environ.get(FOLDER_VARIABLE) or ROOT / ".cache" / "prepared-site")
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def lock(kind):
    """This process alone may make or remove entries of `kind` while it holds this; the others
    wait."""
    with open(folder() / f".{kind}.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        yield


def kept(kind, key, build):
    """The cache's folder for `kind` made from `key`: made, if it is not there yet, by
    `build(folder)` in a folder of its own that is renamed into place once whole."""
    entry = found(kind, key)
    if entry is None:
        with lock(kind):
            entry = folder() / f"{kind}-{key}"
            if not entry.is_dir():
                partial = Path(tempfile.mkdtemp(prefix=f".{kind}-{key}.partial-", dir=folder()))
                try:
                    build(partial)
                except BaseException:
                    shutil.rmtree(partial, ignore_errors=True)
                    raise
                partial.rename(entry)
                prune(kind)
    return entry


def found(kind, key):
    """The cache's folder for `kind` made from `key`, marked used (for pruning), or None."""
    entry = folder() / f"{kind}-{key}"
    if not entry.is_dir():
        return None
    os.utime(entry)
    return entry


def prune(kind):
    """Removes the entries of `kind` no longer likely to be used, and what builds cut short left
    (called by the process holding the kind's lock)."""
    now = time.time()
    entries = sorted(folder().glob(f"{kind}-*"), key=lambda path: path.stat().st_mtime)
    for entry in entries[:-KEEP]:
        if now - entry.stat().st_mtime > IN_USE_SECONDS:
            shutil.rmtree(entry, ignore_errors=True)
    for partial in folder().glob(f".{kind}-*.partial-*"):
        if now - partial.stat().st_mtime > IN_USE_SECONDS:
            shutil.rmtree(partial, ignore_errors=True)


# What a migrated database is made from:
# - the migrations of the project's apps, and the project's modules they import, and those these
#   import in turn (news/roles.py, whose groups a data migration creates, core/publishing.py …);
# - the settings modules (the installed apps, the roles' settings);
# - uv.lock: the installed packages, whose migrations run too;
# - locale/: the project's translations of names a migration may store;
# - the environment variables these files read, as the preparing process sees them, except
#   those that only say where the files go (DATABASE_URL, MEDIA_ROOT);
# - the Python running them, the SQLite library and the PostgreSQL programs that write and read
#   the copies.
# A model changed without its migration is caught by makemigrations --check
# (tests/test_django_checks.py).
def migrated_key(env):
    migrations = sorted(path for app in APPS for path in (ROOT / app).glob("migrations/*.py"))
    files = [
        *migrations,
        *_project_modules_imported_by(migrations),
        *sorted((ROOT / "sitecms" / "settings").glob("*.py")),
        ROOT / "uv.lock",
        *sorted((ROOT / "locale").rglob("*.po")),
    ]
    return _hash(files, env)


# What a prepared site is made from: what its migrated database is, every file of the project's
# apps and settings (the demo content in news/demo/ and the code that builds it: the page tree,
# the importer, the search index, the roles, the first admin), the commands that prepare it, and
# the day: the demo spreads recent views over the days before it. Templates and static files are
# not read while preparing.
def site_key(env, commands):
    files = [path for name in [*APPS, "sitecms"] for path in _files_under(ROOT / name)]
    return _hash(files, env, migrated_key(env), commands, datetime.now(SITE_TIME_ZONE).date())


# What the collected static files are made from: the project's static/, the installed packages'
# (uv.lock), the settings and the storage that names and compresses them. No environment variable
# the settings read changes how they are collected.
def static_key():
    files = [
        *_files_under(ROOT / "static"),
        ROOT / "uv.lock",
        *sorted((ROOT / "sitecms" / "settings").glob("*.py")),
        ROOT / "core" / "static_storage.py",
    ]
    return _hash(files, {})


def _files_under(top):
    return sorted(
        path for path in top.rglob("*") if path.is_file() and "__pycache__" not in path.parts
    )


def _project_modules_imported_by(paths):
    """The project's modules that `paths` import, directly or through one another."""
    found, unread = set(), list(paths)
    while unread:
        for module in _imported_names(unread.pop()):
            if module.split(".")[0] not in [*APPS, "sitecms"]:
                continue
            base = ROOT.joinpath(*module.split("."))
            for path in [base.with_suffix(".py"), base / "__init__.py"]:
                if path.exists() and path not in found:
                    found.add(path)
                    unread.append(path)
    return sorted(found)


def _imported_names(path):
    for node in ast.walk(ast.parse(path.read_bytes())):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def _hash(files, env, *more):
    digest = hashlib.sha256()
    read = set()
    for path in files:
        content = path.read_bytes()
        digest.update(f"{path.relative_to(ROOT)}\0{len(content)}\0".encode())
        digest.update(content)
        if path.suffix == ".py":
            read.update(READS_ENVIRONMENT.findall(content.decode("utf-8", "replace")))
    environment = sorted(
        (name, env[name])
        for name in read - PLACES
        if name in env and env[name] != SAME_AS_UNSET.get(name)
    )
    versions = [sys.version, sqlite3.sqlite_version, str(PG_BIN)]
    digest.update(repr([environment, *versions, *more]).encode())
    return digest.hexdigest()[:16]
