"""The commands behind `make run` and `make serve`: the site tree, the first admin account, the
development and production settings (the demo content: tests/ops/test_demo_content.py)."""

import subprocess
import sys
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from news.models import NewsIndexPage
from tests.factories import ArticlePageFactory
from tests.production import run_with_production_settings


def test_ensure_admin_creates_admin_once_with_a_printed_random_password(db, monkeypatch):
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    password = out.getvalue().split("密码 ")[1].split("。")[0]
    assert "此密码只显示这一次" in out.getvalue()
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password(password)
    again = StringIO()
    call_command("ensure_admin", stdout=again)
    assert again.getvalue() == ""
    assert get_user_model().objects.count() == 1


def test_ensure_admin_takes_the_password_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "from-the-env-123")
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    assert "from-the-env-123" not in out.getvalue()
    # No password is shown, so none is said to be shown "only this once".
    assert "环境变量 DJANGO_SUPERUSER_PASSWORD" in out.getvalue()
    assert "只显示" not in out.getvalue()
    assert get_user_model().objects.get(username="admin").check_password("from-the-env-123")


def test_the_development_sites_address_follows_the_port_it_is_served_on(site, settings):
    assert (site.hostname, site.port) == ("127.0.0.1", 8000)  # as the first `make run` made it
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:18101"  # `PORT=18101 make run` later
    call_command("setup_site", stdout=StringIO())
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("127.0.0.1", 18101)
    # The 阅读排行 export's addresses, and every other full address, name the new port.
    article = ArticlePageFactory(parent=NewsIndexPage.objects.get(slug="news"))
    assert article.full_url.startswith("http://127.0.0.1:18101/news/")
    # An address someone gave the site in the admin stays.
    site.hostname, site.port = "djw.example.cn", 443
    site.save()
    call_command("setup_site", stdout=StringIO())
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("djw.example.cn", 443)


def development_settings(monkeypatch, **env):
    """sitecms.settings.dev as `make run` reads it, under `env`."""
    import runpy
    import sys

    for name in ("DEBUG", "PORT", "SITE_BASE_URL", "SERVE_MEDIA"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    # Read afresh from the environment: the test settings imported the base module already.
    monkeypatch.delitem(sys.modules, "sitecms.settings.base")
    return runpy.run_module("sitecms.settings.dev")


def test_make_run_shows_the_sites_error_pages_unless_asked_for_djangos(monkeypatch):
    plain = development_settings(monkeypatch, PORT="18101")
    # Without DEBUG, the Chinese 404 and 500 (tested under the test settings, which share this).
    assert plain["DEBUG"] is False
    assert plain["WAGTAILADMIN_BASE_URL"] == "http://127.0.0.1:18101"
    # What DEBUG served in development still is: static files as edited, the pictures.
    assert plain["WHITENOISE_USE_FINDERS"] and plain["WHITENOISE_AUTOREFRESH"]
    assert plain["SERVE_MEDIA"] is True
    assert development_settings(monkeypatch, DEBUG="1")["DEBUG"] is True


def start_with_production_settings(**env):
    return run_with_production_settings("-c", "import django; django.setup()", **env)


def test_production_settings_refuse_to_start_without_secret_key_or_hosts():
    missing_key = start_with_production_settings(ALLOWED_HOSTS="example.cn")
    assert missing_key.returncode != 0
    assert "SECRET_KEY must be set" in missing_key.stderr
    missing_hosts = start_with_production_settings(SECRET_KEY="x" * 50)
    assert missing_hosts.returncode != 0
    assert "ALLOWED_HOSTS must be set" in missing_hosts.stderr
    ok = start_with_production_settings(SECRET_KEY="x" * 50, ALLOWED_HOSTS="example.cn")
    assert ok.returncode == 0, ok.stderr


def test_gunicorn_settings_come_from_the_environment(monkeypatch):
    import importlib.util
    from pathlib import Path

    monkeypatch.setenv("PORT", "9123")
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    spec = importlib.util.spec_from_file_location(
        "gunicorn_conf", Path(settings.BASE_DIR) / "gunicorn.conf.py"
    )
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    assert conf.bind == "127.0.0.1:9123"
    assert conf.workers == 3
    assert conf.max_requests > 0 and 0 < conf.max_requests_jitter < conf.max_requests
    assert conf.timeout == 30


def test_a_worker_told_to_stop_while_it_boots_stops_at_once():
    """A forked worker holds the master's handlers until it sets its own, and they only queue a
    signal for the master: gunicorn.conf.py's post_fork lets a stop end the booting worker rather
    than be lost (the master would then wait its whole graceful timeout to kill it)."""
    import signal
    import textwrap

    config = Path(settings.BASE_DIR) / "gunicorn.conf.py"
    booting_worker = textwrap.dedent(
        f"""
        import importlib.util, os, signal, time
        signal.signal(signal.SIGTERM, lambda *args: None)  # as the master's handler does
        spec = importlib.util.spec_from_file_location("gunicorn_conf", {str(config)!r})
        conf = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(conf)
        conf.post_fork(None, None)
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(10)
        """
    )
    worker = subprocess.run(
        [sys.executable, "-c", booting_worker], cwd=settings.BASE_DIR, timeout=60, check=False
    )
    assert worker.returncode == -signal.SIGTERM


def test_production_settings_use_redis_as_cache_and_keep_connections():
    probe = run_with_production_settings(
        "-c",
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND'], s.DATABASES['default']['CONN_HEALTH_CHECKS'], "
        "s.SECURE_SSL_REDIRECT, s.STORAGES['staticfiles']['BACKEND'])",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="example.cn",
        REDIS_URL="redis://127.0.0.1:6379/13",
        SECURE_SSL_REDIRECT="0",
    )
    assert probe.returncode == 0, probe.stderr
    backend, health_checks, ssl_redirect, static_storage = probe.stdout.split()
    assert backend == "core.cache.TolerantRedisCache"
    assert health_checks == "True"
    assert ssl_redirect == "False"
    # whitenoise's hashed, compressed files, with the manifest kept out of the served folder.
    assert static_storage == "core.static_storage.UnlistedManifestStaticFilesStorage"


def test_the_static_manifest_is_not_served(tmp_path):
    from whitenoise.storage import CompressedManifestStaticFilesStorage

    from core.static_storage import UnlistedManifestStaticFilesStorage

    assert issubclass(UnlistedManifestStaticFilesStorage, CompressedManifestStaticFilesStorage)
    storage = UnlistedManifestStaticFilesStorage(location=tmp_path / "served")
    assert Path(storage.manifest_storage.location) == Path(settings.STATIC_MANIFEST_DIR)
    assert not Path(storage.manifest_storage.location).is_relative_to(tmp_path / "served")


def test_the_served_stacks_secret_is_readable_by_its_owner_only(tmp_path):
    import stat
    import subprocess

    subprocess.run(
        ["make", "-f", str(Path(settings.BASE_DIR) / "Makefile"), ".serve-secret"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    assert stat.S_IMODE((tmp_path / ".serve-secret").stat().st_mode) == 0o600
