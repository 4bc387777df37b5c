"""A search costs a bounded amount of work, whatever is typed: few index tokens, a time limit in
the database, and a per-client rate; each limit is told in Chinese."""

import pytest
from django.db import connection
from django.test import Client

from news.search import views as search_views
from news.search.tokens import MAX_QUERY_TOKENS, query_terms, query_tokens
from stack.raw_http import CHROME_UA
from tests.factories import ArticlePageFactory

# On PostgreSQL too: each engine searches its own way.
pytestmark = [pytest.mark.django_db, pytest.mark.engine_dependent]

# Common characters one by one, as the attack sent them.
SPACED = "党 建 社 会 组 织 服 务 中 心 工 作 会 议 召 开 活 动 学 习 教 育 主 题"


def test_characters_typed_with_spaces_are_one_word_and_tokens_are_few():
    assert query_terms("党 建 工 作") == ["党建工作"]
    tokens = query_tokens(query_terms(SPACED))
    assert len(tokens) <= MAX_QUERY_TOKENS
    assert all(len(token) == 2 for token in tokens)


def test_lone_characters_are_capped():
    tokens = query_tokens(query_terms("党 2024 建 2025 社 abc 会"))
    assert [t for t in tokens if len(t) == 1] == ["党", "建"]


def test_spaced_characters_still_find_the_article(column):
    article = ArticlePageFactory(parent=column, title="全市社会组织党建工作现场推进会召开")
    html = Client(HTTP_USER_AGENT=CHROME_UA).get("/search/", {"q": "党 建 工 作"}).content.decode()
    assert f'href="{article.url}"' in html and "<mark>党建工作</mark>" in html


def slow_query():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_sleep(0.5)")
        else:
            cursor.execute(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000000)"
                " SELECT count(*) FROM n"
            )


def test_the_database_stops_a_search_that_takes_too_long():
    with pytest.raises(search_views.SearchTooSlow), search_views.time_limited(0.05):
        slow_query()
    # The connection is usable again at once.
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_a_search_stopped_by_the_limit_says_so_in_chinese(column, monkeypatch, settings):
    settings.SEARCH_TIME_LIMIT = 0.05

    def slow_find(*args, **kwargs):
        slow_query()

    monkeypatch.setattr(search_views, "find", slow_find)
    response = Client(HTTP_USER_AGENT=CHROME_UA).get("/search/", {"q": "党建"})
    assert response.status_code == 503
    assert "用时过长" in response.content.decode()


def test_a_client_searching_too_often_is_told_to_wait(column, settings):
    settings.SEARCH_RATE_LIMIT = "3/m"
    client = Client(HTTP_USER_AGENT=CHROME_UA, REMOTE_ADDR="203.0.113.50")
    statuses = [client.get("/search/", {"q": f"党建{n}"}).status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "搜索太频繁" in client.get("/search/", {"q": "党建"}).content.decode()
    other = Client(HTTP_USER_AGENT=CHROME_UA, REMOTE_ADDR="203.0.113.51")
    assert other.get("/search/", {"q": "党建"}).status_code == 200
    # The search form itself, without words, is never limited.
    assert client.get("/search/").status_code == 200
