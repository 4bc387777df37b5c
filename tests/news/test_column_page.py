"""Column pages list their articles newest first, twenty to a page, whatever `?page=` says."""

import re
from datetime import datetime, timedelta

import pytest
from django.db import transaction
from django.test import Client

from news.models import NewsIndexPage
from tests.factories import SHANGHAI, ArticlePageFactory

# On PostgreSQL too: lists are ordered and paged in SQL.
pytestmark = pytest.mark.engine_dependent


@pytest.fixture(scope="class")
def many_articles(django_db_setup, django_db_blocker):
    """Forty-five articles in 工作动态, made once for the tests of a class (each test's own
    changes are still rolled back after it) and taken away after the last of them."""
    with django_db_blocker.unblock(), transaction.atomic():
        column = NewsIndexPage.objects.get(slug="news")
        start = datetime(2024, 1, 1, 9, tzinfo=SHANGHAI)
        for n in range(45):
            ArticlePageFactory(
                parent=column, title=f"第{n:02d}篇", published_at=start + timedelta(days=n)
            )
        yield
        transaction.set_rollback(True)


def titles(html):
    return re.findall(r'<a href="/news/[^"]+">(第\d+篇)</a>', html)


def get(url):
    response = Client().get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.usefixtures("many_articles")
class TestFortyFiveArticles:
    def test_newest_first_twenty_a_page(self):
        html = get("/news/")
        assert titles(html)[:3] == ["第44篇", "第43篇", "第42篇"]
        assert len(titles(html)) == 20
        assert "第 1 页 / 共 3 页" in html
        assert titles(get("/news/?page=3")) == [f"第{n:02d}篇" for n in range(4, -1, -1)]

    @pytest.mark.parametrize(
        ("raw", "page"),
        [("abc", 1), ("0", 1), ("-1", 1), ("999999", 3), ("2", 2), ("", 1), ("1e3", 1), ("%00", 1)],
    )
    def test_page_parameter_garbage_gives_the_nearest_real_page(self, raw, page):
        assert f"第 {page} 页 / 共 3 页" in get(f"/news/?page={raw}")


def test_empty_column_says_so(column):
    assert "暂无文章" in get("/news/")


def test_drafts_are_not_listed(column):
    ArticlePageFactory(parent=column, title="草稿文章", live=False)
    assert "草稿文章" not in get("/news/")


def test_home_lists_latest_articles_of_each_column(column, other_column):
    ArticlePageFactory(parent=column, title="工作动态文章")
    ArticlePageFactory(parent=other_column, title="通知公告文章")
    html = get("/")
    assert "工作动态文章" in html and "通知公告文章" in html
    assert '<a href="/notices/">通知公告</a>' in html


def test_home_list_reflects_a_new_article_at_once(column):
    get("/")  # fills the cache
    ArticlePageFactory(parent=column, title="刚发布的文章").save_revision().publish()
    assert "刚发布的文章" in get("/")
