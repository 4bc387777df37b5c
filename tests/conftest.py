import pytest
from django.core.cache import caches
from wagtail.models import Site

from news.models import NewsIndexPage
from news.sitetree import ensure_site_tree


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Every tier: the shared cache and each process-memory one (news/generation.py).
    for each in caches.all():
        each.clear()
    yield
    for each in caches.all():
        each.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database with the site's page tree, built once for the run: each test's rollback
    leaves it as it was."""
    with django_db_blocker.unblock():
        ensure_site_tree()


@pytest.fixture
def site(db):
    """The default site with its home page, the standard columns and the contact page."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None or not NewsIndexPage.objects.exists():
        # A test that commits (transaction=True) empties every table when it ends.
        site = ensure_site_tree()
    return site


@pytest.fixture
def home(site):
    return site.root_page.specific


@pytest.fixture
def column(home):
    return NewsIndexPage.objects.child_of(home).get(slug="news")


@pytest.fixture
def other_column(home):
    return NewsIndexPage.objects.child_of(home).get(slug="notices")


@pytest.fixture
def image(db):
    """A small real JPEG in the image library."""
    import io

    from django.core.files.images import ImageFile
    from PIL import Image as PillowImage
    from wagtail.images.models import Image

    buffer = io.BytesIO()
    PillowImage.new("RGB", (1200, 800), (166, 27, 27)).save(buffer, "JPEG")
    return Image.objects.create(title="测试图片", file=ImageFile(buffer, name="test.jpg"))


CHROME_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


@pytest.fixture
def reader():
    """A browser client, as a reader's."""
    from django.test import Client

    return Client(HTTP_USER_AGENT=CHROME_UA)


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres") and not using_postgres():
        pytest.skip("needs PostgreSQL: DATABASE_URL points to another database")


def using_postgres():
    from django.db import connection

    return connection.vendor == "postgresql"


def redis_answers(url="redis://127.0.0.1:6379/15"):
    try:
        import redis

        return redis.Redis.from_url(url, socket_timeout=0.5).ping()
    except Exception:
        return False


@pytest.fixture
def redis_buffer(settings):
    """Hit buffering in a real Redis (database 15, emptied before and after)."""
    import redis

    from news.hits import store

    url = "redis://127.0.0.1:6379/15"
    if not redis_answers(url):
        pytest.skip("Redis is not answering on 127.0.0.1:6379")
    client = redis.Redis.from_url(url, decode_responses=True)
    client.flushdb()
    settings.REDIS_URL = url
    settings.HITCOUNT_FLUSH_INTERVAL = 0  # tests flush explicitly
    store._redis_client = None
    yield client
    client.flushdb()
    store._redis_client = None


SEED_FILE = "000_75590902209970e4.txt"


def load_demo_site():
    """The demo content, plus the seed article when the shared seed folder is beside the project."""
    from io import StringIO
    from pathlib import Path

    from django.conf import settings
    from django.core.management import call_command

    call_command("setup_site", "--demo", stdout=StringIO())
    seed = Path(settings.BASE_DIR).parent / "shared" / "seed" / SEED_FILE
    if seed.exists():
        call_command("import_articles", str(seed), "--parent", "/news/", stdout=StringIO())


def pages_to_check():
    """(name, URL) of one page of every kind the public site has."""
    from django.utils.timezone import localtime

    from news.models import ArticlePage

    articles = ArticlePage.objects.live()
    with_picture = articles.exclude(cover_image=None).first()
    seed = articles.filter(title="全市社会组织党建工作现场推进会召开").first()
    month = localtime(with_picture.published_at)
    pages = [
        ("home", "/"),
        ("column", "/news/"),
        ("archive", f"{with_picture.get_parent().url}{month:%Y/%m}/"),
        ("article", with_picture.url),
        ("contact", "/contact/"),
        ("search", "/search/?q=%E5%85%9A%E5%BB%BA"),
        ("not-found", "/no-such-page/"),
    ]
    if seed is not None:
        pages.append(("seed-article", seed.url))
    return pages


def run_with_production_settings(*arguments, **env):
    """`python <arguments>` in the project under sitecms.settings.production, with `env` added to
    this environment: the secret key and hosts only as given, and without the browser tests'
    async-unsafe switch, which no deployment has."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    not_inherited = {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {key: value for key, value in os.environ.items() if key not in not_inherited}
    environment.update(env, DJANGO_SETTINGS_MODULE="sitecms.settings.production")
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
