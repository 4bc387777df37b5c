"""The site under the production settings as a separate program: its environment, manage.py, a
database migrated once and copied for every site and test database, a site prepared once (built on
it with the demo content and its first admin) and copied for every stack, both kept between runs
until the code they are made from changes (stack/site_cache.py), the collected static files, and
gunicorn with the project's gunicorn.conf.py."""

import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

from stack import site_cache
from stack.raw_http import send
from stack.services import PG_BIN, create_database, drop_database, free_port, wait_for

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# The first admin of every prepared site (ensure_admin reads DJANGO_SUPERUSER_PASSWORD).
ADMIN_PASSWORD = "stack-admin-" + "pw-1234"
NOT_INHERITED = {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL"}


def production_environment(database_url, **env):
    """The environment of `make serve`, on `database_url`: production settings over plain HTTP,
    a secret of its own, no Redis unless given; `env` added (None removes a variable)."""
    result = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    result.update(
        DJANGO_SETTINGS_MODULE="sitecms.settings.production",
        SECRET_KEY="live-stack-" + "k" * 40,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database_url,
        DJANGO_SUPERUSER_PASSWORD=ADMIN_PASSWORD,
        PYTHONUNBUFFERED="1",
        # The content quality job (quality/nightly.py) checks every external link the pages hold:
        # a stack started for a test or a benchmark must reach nothing outside the machine.
        QUALITY_DAILY_ENABLED="0",
    )
    for key, value in env.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = str(value)
    return result


def _run(command, what, check=True, timeout=600, **options):
    """`command` in the project folder, and what it printed; with `check`, a failure raises with
    its error output, saying `what` failed; after `timeout` seconds (None: never) it is stopped."""
    result = subprocess.run(
        [*map(str, command)],
        cwd=ROOT,
        capture_output=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
        **options,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"{what} failed:\n{result.stderr}")
    return result


def python(env, arguments, what, check=True, timeout=600):
    """The site's Python under `env` with `arguments` (in the project folder), and what it
    printed; with `check`, a failure raises with its error output, saying `what` failed."""
    env = {**env, "PYTHONIOENCODING": "utf-8"}
    return _run([sys.executable, *arguments], what, check, timeout, env=env)


def manage(env, *args, check=True):
    """manage.py under `env`, and what it printed; with `check`, a failure raises with its
    error output."""
    return python(env, ["manage.py", *args], f"manage.py {args[0]}", check=check)


# What `make serve` runs before starting gunicorn, in one process: each command would otherwise
# load Django and the project again (about two seconds each).
PREPARE_COMMANDS = [["migrate", "--noinput"], ["setup_site", "--demo"], ["ensure_admin"]]
RUN_COMMANDS = """
import json, sys
import django
django.setup()
from django.core.management import call_command
for name, *args in json.loads(sys.argv[1]):
    call_command(name, *args)
"""


def prepare_site(env, timeout=600):
    """What `make serve` does before starting gunicorn: migrate, the demo site, the first admin
    and the collected static files. A benchmark's kept corpus of 100,000 articles, indexed again
    after a migration, takes longer than a test's site: it passes timeout=None."""
    commands = json.dumps(PREPARE_COMMANDS)
    python(env, ["-c", RUN_COMMANDS, commands], "preparing the site", timeout=timeout)
    collect_static(env)


def collect_static(env):
    """The static files collected into staticfiles/ (which every stack serves), unless the last
    collection made here was of the same files and nothing has collected or removed them since
    (`make serve` may have: it rewrites the manifest)."""
    stamp = site_cache.folder() / "static-collected"
    with site_cache.lock("static"):
        if stamp.exists() and stamp.read_text() == _static_as_collected():
            return
        manage(env, "collectstatic", "--noinput")
        stamp.write_text(_static_as_collected())


def _static_as_collected():
    """What the static files were collected from, and when the served folder and the manifest
    last changed."""
    collected = [ROOT / "staticfiles", ROOT / "static-manifest" / "staticfiles.json"]
    changed = [str(path.stat().st_mtime_ns) if path.exists() else "-" for path in collected]
    return " ".join([site_cache.static_key(), *changed])


def _migrated_sqlite():
    """A SQLite database with every migration applied, made once for the code it is made from."""
    env = production_environment("sqlite:///")

    def build(folder):
        database_url = f"sqlite:///{folder / 'migrated.sqlite3'}"
        manage({**env, "DATABASE_URL": database_url}, "migrate", "--noinput")

    return (
        site_cache.kept("migrated-sqlite", site_cache.migrated_key(env), build) / "migrated.sqlite3"
    )


def _migrated_postgres():
    """A dump of a PostgreSQL database with every migration applied, made once for the code it is
    made from."""
    env = production_environment("postgres:///")

    def build(folder):
        name = f"sitecms_migrating_{uuid.uuid4().hex[:8]}"
        database_url = create_database(name)
        try:
            manage({**env, "DATABASE_URL": database_url}, "migrate", "--noinput")
            _dump(database_url, folder / "migrated.dump")
        finally:
            drop_database(name)

    return (
        site_cache.kept("migrated-postgres", site_cache.migrated_key(env), build) / "migrated.dump"
    )


def migrated_template(vendor):
    """The migrated database for `vendor` ("sqlite" or "postgresql"), made by the first process
    that asks for it."""
    return _migrated_sqlite() if vendor == "sqlite" else _migrated_postgres()


def migrate_from_template(database_url):
    """Makes the new database at `database_url` (a SQLite file not yet there, or an empty
    PostgreSQL database on any server) a migrated one: a copy of the kept migrated database, in
    well under a second instead of some ten seconds of migrating. `manage.py migrate` then finds
    nothing left to do."""
    if database_url.startswith("sqlite:///"):
        shutil.copy2(migrated_template("sqlite"), database_url.removeprefix("sqlite:///"))
    else:
        _restore(migrated_template("postgresql"), database_url)


def _site_key(env):
    return site_cache.site_key(env, PREPARE_COMMANDS)


def prepared_sqlite_site(folder, **env):
    """The environment of a site of its own in `folder` (a SQLite database, its media files and
    the audit log's daily files),
    copied from one prepared once for the code it is made from: preparing costs a migration and
    the demo content."""
    folder = Path(folder)
    environment = production_environment(
        f"sqlite:///{folder / 'site.sqlite3'}",
        **{"MEDIA_ROOT": folder / "media", "AUDIT_EXPORT_DIR": folder / "audit", **env},
    )

    def build(template):
        database_url = f"sqlite:///{template / 'site.sqlite3'}"
        migrate_from_template(database_url)
        prepare_site(production_environment(database_url, MEDIA_ROOT=template / "media"))

    template = site_cache.kept("site-sqlite", _site_key(production_environment("")), build)
    collect_static(environment)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy2(template / "site.sqlite3", folder / "site.sqlite3")
    shutil.copytree(template / "media", folder / "media", dirs_exist_ok=True)
    return environment


def prepared_postgres_site(database_url, folder, **env):
    """The environment of a site on `database_url` (an empty PostgreSQL database, on any server)
    with its media files in `folder`. The first site made from this code is prepared there and
    dumped; the others are restored from that dump, in well under a second instead of some
    twenty."""
    folder = Path(folder)
    environment = production_environment(
        database_url,
        **{"MEDIA_ROOT": folder / "media", "AUDIT_EXPORT_DIR": folder / "audit", **env},
    )
    built = []

    def build(template):
        migrate_from_template(database_url)
        prepare_site(production_environment(database_url, MEDIA_ROOT=folder / "media"))
        shutil.copytree(folder / "media", template / "media")
        _dump(database_url, template / "site.dump")
        built.append(template)

    template = site_cache.kept("site-postgres", _site_key(production_environment("")), build)
    collect_static(environment)
    if not built:
        _restore(template / "site.dump", database_url)
        shutil.copytree(template / "media", folder / "media", dirs_exist_ok=True)
    return environment


def _dump(database_url, dump):
    _postgres_tool("pg_dump", "--format=custom", f"--file={dump}", database_url)


def _restore(dump, database_url):
    _postgres_tool("pg_restore", "--no-owner", "--no-acl", f"--dbname={database_url}", dump)


def _postgres_tool(program, *arguments):
    _run([PG_BIN / program if PG_BIN else program, *arguments], program)


class Gunicorn:
    """gunicorn with the project's gunicorn.conf.py on a free port: `workers` workers (of the
    configured threads each), none recycled (so the processes measured are those that served), what it prints going to
    `log_path` (its workers' timeouts among it) or nowhere; it is waited for until it answers,
    unless `wait` is false (to start several at once). `app` is the WSGI module it serves: the
    site's, or a test's wrapper of it."""

    def __init__(self, env, log_path=None, workers=2, port=None, wait=True, app="sitecms.wsgi"):
        self.environment = env
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(log_path) if log_path else None
        self._log = open(self.log_path, "ab") if self.log_path else None  # noqa: SIM115 - open while it runs
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", app],
            cwd=ROOT,
            env={
                **env,
                "BIND": f"127.0.0.1:{self.port}",
                "WEB_CONCURRENCY": str(workers),
                "GUNICORN_MAX_REQUESTS": "0",
            },
            stdout=self._log or subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        if wait:
            self.wait_until_answering()

    def wait_until_answering(self):
        assert wait_for(self._answers, seconds=60), self.log()

    def _answers(self):
        # Any answer will do: a benchmark's trivial site has no robots.txt.
        try:
            return self.request("GET", "/robots.txt", timeout=2).status > 0
        except OSError:
            return False

    def request(self, method, path, **options):
        return send(self.port, method, path, **options)

    def worker_pids(self):
        pid = self.process.pid
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]

    def worker_memory_mb(self):
        """(resident, proportional) memory of each worker, in MB (see proportional_mb)."""
        return [(resident_mb(pid), proportional_mb(pid)) for pid in self.worker_pids()]

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path else ""

    def close(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        if self._log:
            self._log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def overruns(log):
    """How many requests gunicorn's log `log` (its text) says ran past GUNICORN_TIMEOUT: each
    has its connection reset (core/slow_clients.py); a worker that stops beating is killed."""
    return log.count("not answered within") + log.count("WORKER TIMEOUT")


def resident_mb(pid):
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


def proportional_mb(pid):
    """The process's proportional set size in MB: each page it shares with others (a gunicorn
    worker shares the code and data its master imported before forking) counted as its share.
    Resident memory counts those pages in every worker; the proportional sizes of the master and
    its workers add up to what they use together."""
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    return int(re.search(r"^Pss:\s+(\d+) kB", rollup, re.MULTILINE).group(1)) / 1024
