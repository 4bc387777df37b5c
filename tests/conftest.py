import pytest
from django.core.cache import cache

from news.models import NewsIndexPage
from news.sitetree import ensure_site_tree


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site(db):
    """The default site with its home page, the standard columns and the contact page."""
    return ensure_site_tree()


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
