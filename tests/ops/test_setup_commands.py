"""The commands behind `make run`: site tree, demo content and the first admin account."""

import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from contact.models import ContactDetails
from news.hits.models import PageHits
from news.importing.demo import demo_files
from news.models import ArticlePage, NewsIndexPage
from tests.factories import ArticlePageFactory
from tests.production import run_with_production_settings

# The README says in words how many articles the demo has.
NUMBER_WORDS = {15: "fifteen", 16: "sixteen", 17: "seventeen", 18: "eighteen", 19: "nineteen"}


@pytest.mark.engine_dependent
def test_demo_content_has_three_columns_a_dozen_articles_and_agenda_sections(db):
    out = StringIO()
    call_command("setup_site", "--demo", stdout=out)
    columns = NewsIndexPage.objects.all()
    assert columns.count() >= 3
    assert all(ArticlePage.objects.child_of(column).exists() for column in columns)
    articles = ArticlePage.objects.live()
    assert articles.count() >= 12
    with_sections = [a for a in articles if sum(b.block_type == "section" for b in a.body) >= 2]
    assert len(with_sections) >= 10
    # Every article has readers; a copy published into a second column shares its original's.
    originals = articles.filter(alias_of__isnull=True)
    assert PageHits.objects.filter(hits__gt=0).count() == originals.count()
    [copy] = articles.exclude(alias_of__isnull=True)
    assert copy.get_parent().pk != copy.alias_of.get_parent().pk
    # What `make run` prints and what the README says count the articles a reader finds.
    count = originals.count()
    assert f"已载入示例内容：{count} 篇文章（其中 1 篇同时发布在另一个栏目）。" in out.getvalue()
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    assert f"{NUMBER_WORDS[count]} articles" in " ".join(readme.split())
    assert ArticlePage.objects.exclude(cover_image=None).exists()
    contact = ContactDetails.objects.get(live=True)
    assert contact.phones.count() >= 2 and contact.emails.count() >= 2


@pytest.mark.engine_dependent
def test_demo_content_shows_a_captioned_video_that_plays_from_the_library(db):
    call_command("setup_site", "--demo", stdout=StringIO())
    [article] = [
        page
        for page in ArticlePage.objects.live().filter(alias_of__isnull=True)
        if any(block.block_type == "video" for block in page.body)
    ]
    html = Client().get(article.url).content.decode()
    video = html.split("<video")[1].split("</video>")[0]
    assert "poster=" in video and 'type="video/webm"' in video
    source = video.split('<source src="')[1].split('"')[0]
    track = video.split('<track kind="captions" src="')[1].split('"')[0]
    client = Client()
    played = client.get(source)
    assert played.status_code == 200
    content = b"".join(played.streaming_content) if played.streaming else played.content
    assert content[:4] == b"\x1a\x45\xdf\xa3"  # the WebM (Matroska) signature
    captions = client.get(track)
    assert captions.status_code == 200
    body = b"".join(captions.streaming_content) if captions.streaming else captions.content
    assert body.decode().startswith("WEBVTT")
    assert "视频文字稿" in html


@pytest.mark.engine_dependent
def test_the_demo_topic_gathers_articles_from_two_columns(db):
    call_command("setup_site", "--demo", stdout=StringIO())
    html = Client().get("/topic-study/").content.decode()
    listed = html.split('class="article-list"')[1].split("</ul>")[0]
    columns = {url.split("/")[1] for url in re.findall(r'href="(/[^"]+/\d{4}/\d{4}/\d+/)"', listed)}
    assert len(columns) >= 2, listed
    assert "专题：学习贯彻党的二十大精神" in html


def test_demo_content_is_not_the_seed_text():
    seed_title = "全市社会组织党建工作现场推进会召开"
    for _, path in demo_files():
        text = path.read_text(encoding="utf-8")
        assert seed_title not in text
        assert "厦门" not in text


@pytest.mark.engine_dependent
def test_setup_site_twice_loads_the_demo_once(db):
    call_command("setup_site", "--demo", stdout=StringIO())
    count = ArticlePage.objects.count()
    call_command("setup_site", "--demo", stdout=StringIO())
    assert ArticlePage.objects.count() == count
    assert NewsIndexPage.objects.count() == 3


@pytest.mark.engine_dependent
def test_demo_site_serves_every_article(db):
    call_command("setup_site", "--demo", stdout=StringIO())
    client = Client()
    for page in ArticlePage.objects.live():
        response = client.get(page.url, follow=True)
        assert response.status_code == 200, page.url
        assert "联系我们" in response.content.decode()
        if page.alias_of_id:  # published into a second column: read at the original's address
            assert response.redirect_chain == [(page.alias_of.specific.url, 301)]


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
