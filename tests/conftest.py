import pytest
from django.core.cache import caches
from wagtail.models import Site

from core import redis as site_redis
from news.models import NewsIndexPage
from news.sitetree import ensure_site_tree
from stack.raw_http import CHROME_UA
from stack.services import redis_answers


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


@pytest.fixture
def redis_buffer(settings):
    """Hit buffering in a real Redis (database 15, emptied before and after)."""
    import redis

    url = "redis://127.0.0.1:6379/15"
    if not redis_answers(url):
        pytest.skip("Redis is not answering on 127.0.0.1:6379")
    client = redis.Redis.from_url(url, decode_responses=True)
    client.flushdb()
    settings.REDIS_URL = url
    settings.HITCOUNT_FLUSH_INTERVAL = 0  # tests flush explicitly
    site_redis.reset()
    yield client
    client.flushdb()
    site_redis.reset()
