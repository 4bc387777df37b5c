"""Lists of articles (home, column, 专题) kept rendered under the site generation (news/listing.py):
a publish, a title change or a move shows on the next request in every process, and the click
counts on a list are the counts now."""

import re
from datetime import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core import generation
from news.models import ArticlePage
from tests.factories import SHANGHAI, ArticlePageFactory

# On PostgreSQL too: the rows are read with values() and their counts in one statement.
pytestmark = pytest.mark.engine_dependent


def get(url):
    response = Client().get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def list_links(html):
    """(address, title) of each row of the page's article lists."""
    lists = "".join(re.findall(r'<ul class="article-list">(.*?)</ul>', html, re.S))
    return re.findall(r'<span class="article-list__title"><a href="([^"]*)">([^<]*)</a>', lists)


@pytest.fixture
def article(column):
    page = ArticlePageFactory(
        parent=column, title="旧标题", published_at=datetime(2030, 1, 2, 9, tzinfo=SHANGHAI), hits=7
    )
    generation.bump(generation.ARTICLES)  # as publishing it through the admin does
    return page


def test_a_row_shows_the_title_address_source_date_and_count(article, column):
    html = get(column.url)
    assert (article.url, "旧标题") in list_links(html)
    assert "来源：测试来源 点击数：7</span>" in html
    assert '<time datetime="2030-01-02T09:00:00+08:00">2030-01-02</time>' in html


def test_a_title_change_shows_in_the_lists_on_the_next_request(article, column, home):
    assert (article.url, "旧标题") in list_links(get(column.url))
    assert (article.url, "旧标题") in list_links(get(home.url))
    article.title = "新标题"
    article.save_revision().publish()
    for url in (column.url, home.url):
        links = list_links(get(url))
        assert (article.url, "新标题") in links and (article.url, "旧标题") not in links


def test_a_new_article_heads_the_list_at_once(article, column):
    get(column.url)
    newer = ArticlePageFactory(
        parent=column,
        title="刚发布",
        published_at=datetime(2030, 2, 1, tzinfo=SHANGHAI),
        live=False,
    )
    newer.save_revision().publish()
    assert list_links(get(column.url))[0] == (newer.url, "刚发布")


def test_a_moved_article_is_listed_in_its_new_column_at_its_new_address(
    article, column, other_column
):
    old_url = article.url
    get(column.url), get(other_column.url)
    article.move(other_column, pos="last-child")
    moved = ArticlePage.objects.get(pk=article.pk)
    assert moved.url != old_url
    assert (old_url, "旧标题") not in list_links(get(column.url))
    assert (moved.url, "旧标题") in list_links(get(other_column.url))


def test_a_change_made_by_another_process_shows_here_on_the_next_request(article, column):
    """What another process or machine does reaches this one through the generation alone: this
    process's kept list is not told, it is simply never asked for again."""
    get(column.url)  # kept here
    ArticlePage.objects.filter(pk=article.pk).update(title="另一进程改的标题")
    assert "另一进程改的标题" not in get(column.url)  # nothing told this process
    generation.bump(generation.ARTICLES)  # what the other process's publish does
    assert (article.url, "另一进程改的标题") in list_links(get(column.url))


def test_the_counts_on_a_list_are_the_counts_now(article, column, reader, settings):
    settings.HITCOUNT_WINDOW = 0
    get(column.url)
    reader.get(article.url)
    reader.get(article.url)
    assert "点击数：9</span>" in get(column.url)


def test_the_home_pages_lists_link_to_each_article(article, home):
    links = list_links(get(home.url))
    assert links and all(url.startswith("/") for url, _ in links)
    assert (article.url, "旧标题") in links


def test_a_list_reads_only_the_fields_a_row_shows_and_its_counts_in_one_statement(article, column):
    from django.core.cache import caches

    get(column.url)
    for each in caches.all():
        each.clear()
    with CaptureQueriesContext(connection) as cold:
        get(column.url)
    rows = [query["sql"] for query in cold.captured_queries if "news_articlepage" in query["sql"]]
    assert rows and not any('"body"' in sql for sql in rows), rows
    with CaptureQueriesContext(connection) as warm:
        get(column.url)
    made = [query["sql"] for query in warm.captured_queries]
    # The generation and the counts: the route, the rows and their HTML are kept.
    assert len(made) == 2 and "news_pagehits" in made[1], made
