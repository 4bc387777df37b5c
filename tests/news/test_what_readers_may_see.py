"""What readers may see (core/restrictions.py): an article its own address refuses (a password, a
login restriction, taken offline, or inside a column taken offline) is in no public list, feed,
search result, sitemap, 网站地图 count, 专题, ranking or home block, and neither is its copy in
another column (一稿多发), whose address answers as the original's does.

Each case first finds the article everywhere, so the walk is shown to look where it should."""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils.timezone import localdate, localtime, now
from wagtail.models import PageViewRestriction

from news.hits.models import PageDailyHits
from news.models import ArticlePage, NewsIndexPage, TopicPage
from stack.raw_http import CHROME_UA
from tests.crawler import sitemap_paths
from tests.factories import ArticlePageFactory

# On PostgreSQL too: what readers may see is filtered in SQL.
pytestmark = pytest.mark.engine_dependent

TITLE = "保密文章甲乙丙"
BODY = "仅限内部阅读的段落丁戊己"
TAG = "专题庚辛"


@pytest.fixture
def theory(home):
    column = NewsIndexPage(title="理论学习", slug="theory")
    home.add_child(instance=column)
    column.save_revision().publish()
    return column


@pytest.fixture
def topic(home, image):
    page = TopicPage(title="专题页面", slug="zhuanti", tag=TAG, show_on_home=True)
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def published(theory, other_column, image, topic):
    """The article in 理论学习 with a cover, a 专题 tag and this week's views; its copy in 通知公告,
    and a later notice whose 上一篇 is the copy."""
    article = ArticlePageFactory(
        parent=theory,
        title=TITLE,
        published_at=now(),
        cover_image=image,
        body=[{"type": "paragraph", "value": f"<p>{BODY}</p>"}],
    )
    article.tags.add(TAG)
    article.save_revision().publish()
    PageDailyHits.objects.create(page=article, day=localdate(), hits=5)
    copy = ArticlePage.objects.get(pk=article.create_alias(parent=other_column).pk)
    later = ArticlePageFactory(parent=other_column, title="之后的通知", published_at=now())
    later.save_revision().publish()
    return article, copy, later


def public_documents(published, other_column, theory, topic):
    """{url: what a reader or a crawler gets} for every public list and feed."""
    article, _copy, later = published
    month = localtime(article.published_at)
    urls = [
        "/",
        other_column.url,
        theory.url,
        f"{other_column.url}{month:%Y/%m}/",
        f"{theory.url}{month:%Y/%m}/",
        "/feed/",
        f"{other_column.url}feed/",
        f"{theory.url}feed/",
        topic.url,
        f"{topic.url}feed/",
        f"/search/?q={TITLE}",
        f"/search/?q={BODY}",
        later.url,
    ]
    reader = Client(HTTP_USER_AGENT=CHROME_UA)
    documents = {}
    for url in urls:
        response = reader.get(url)
        # An offline column's own list and feed are gone with it.
        assert response.status_code in (200, 404), (url, response.status_code)
        text = response.content.decode() if response.status_code == 200 else ""
        if url.startswith("/search/"):  # the results, not the words searched for
            text = "".join(re.findall(r'<ol class="search-results".*?</ol>', text, re.S))
        documents[url] = text
    return documents


def notices_count_on_the_site_map():
    html = Client().get("/sitemap/").content.decode()
    return int(re.search(r"通知公告</a>\s*(?:<[^>]+>\s*)*（共 (\d+) 篇）", html).group(1))


def restrict_with_password(article, theory):
    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="mima-123"
    )


def restrict_to_signed_in_users(article, theory):
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)


def unpublish_the_article(article, theory):
    article.unpublish()


def unpublish_its_column(article, theory):
    # Unpublishing a column in the admin offers to leave its articles live: they are, but under
    # a column readers cannot reach.
    theory.unpublish()


CASES = {
    "a password": (restrict_with_password, 200),
    "a login restriction": (restrict_to_signed_in_users, 302),
    "the article unpublished": (unpublish_the_article, 404),
    "its column unpublished": (unpublish_its_column, 404),
}


def test_a_copy_of_a_copy_copies_the_original(published, home):
    """Copying the copy in 通知公告 into another column makes a copy of the original, so it goes
    wherever the original goes."""
    article, copy, _later = published
    practice = NewsIndexPage.objects.child_of(home).get(slug="practice")
    second = ArticlePage.objects.get(pk=copy.create_alias(parent=practice).pk)
    assert second.alias_of_id == article.pk
    restrict_with_password(article, None)
    for url in ("/", practice.url, f"{practice.url}feed/"):
        text = Client().get(url).content.decode()
        assert TITLE not in text and BODY not in text, url


@pytest.mark.parametrize("case", CASES)
def test_what_its_own_address_refuses_no_list_feed_search_or_map_shows(
    case, published, other_column, theory, topic
):
    article, copy, _later = published
    documents = public_documents(published, other_column, theory, topic)
    shown = {url for url, text in documents.items() if TITLE in text}
    assert shown == set(documents), f"the walk misses the article at {set(documents) - shown}"
    assert article.url in sitemap_paths(Client())
    assert notices_count_on_the_site_map() == 2

    change, status = CASES[case]
    change(ArticlePage.objects.get(pk=article.pk), NewsIndexPage.objects.get(pk=theory.pk))

    documents = public_documents(published, other_column, theory, topic)
    leaks = {url for url, text in documents.items() if TITLE in text or BODY in text}
    assert leaks == set()
    paths = sitemap_paths(Client())
    assert article.url not in paths and copy.url not in paths
    assert notices_count_on_the_site_map() == 1
    reader = Client(HTTP_USER_AGENT=CHROME_UA)
    for address in (article.url, copy.url):
        response = reader.get(address)
        assert response.status_code == status, (address, response.status_code)
        assert BODY not in response.content.decode()
        if status == 302:
            assert urlsplit(response["Location"]).path == "/admin/login/"
    # Nor may the beacon count it, nor the copy lend it a count.
    beacon = reader.post(f"/hits/{article.pk}/", HTTP_X_HIT_REASON="prefetch")
    assert beacon.status_code == 404


def test_copies_made_of_copies_before_are_pointed_at_their_originals(published, home):
    import importlib

    from django.apps import apps
    from wagtail.models import Page

    migration = importlib.import_module("news.migrations.0018_copies_copy_the_original")
    article, copy, _later = published
    practice = NewsIndexPage.objects.child_of(home).get(slug="practice")
    second = copy.create_alias(parent=practice)
    Page.objects.filter(pk=second.pk).update(alias_of=copy)  # as Wagtail used to make it
    migration.point_copies_at_their_originals(apps, None)
    assert Page.objects.get(pk=second.pk).alias_of_id == article.pk
    assert Page.objects.get(pk=copy.pk).alias_of_id == article.pk
