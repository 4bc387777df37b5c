"""The public search's table follows the articles: publishing, unpublishing, deleting, moving and
copying; restricted, offline and other sites' articles are never found, even by their own words;
and the plan is chosen by how many match (a rare word from the index, a common word from the
newest matches with its count made after the response)."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site

from news.models import HomePage, NewsIndexPage
from news.search import queries
from news.search.entries import SearchEntry
from news.sitetree import add_published
from tests.factories import ArticlePageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.engine_dependent]

WORD = "琅岐镇"


def search(host=None, **params):
    client = Client(HTTP_HOST=host) if host else Client()
    response = client.get("/search/", {"q": WORD, **params})
    assert response.status_code == 200
    return response


def titles(response):
    html = response.content.decode()
    return [
        re.sub(r"<[^>]+>", "", t)
        for t in re.findall(r"<h2><a href=\"[^\"]+\">(.*?)</a></h2>", html)
    ]


def test_publish_unpublish_and_delete(column):
    article = ArticlePageFactory(parent=column, title=f"{WORD}召开会议")
    assert titles(search()) == [f"{WORD}召开会议"]
    article.unpublish()
    assert titles(search()) == []
    article.save_revision().publish()
    assert titles(search()) == [f"{WORD}召开会议"]
    article.title = f"{WORD}会议改期"
    article.save_revision().publish()
    assert titles(search()) == [f"{WORD}会议改期"]
    article.delete()
    assert titles(search()) == [] and not SearchEntry.objects.exists()


def test_a_draft_of_a_live_article_is_not_searched(column):
    article = ArticlePageFactory(parent=column, title="会议")
    article.title = f"{WORD}草稿"
    article.save_revision()
    assert titles(search()) == []


def test_a_moved_article_is_found_in_its_new_column_at_its_new_address(column, other_column):
    article = ArticlePageFactory(parent=column, title=f"{WORD}简报")
    article.move(other_column, pos="last-child")
    assert titles(search(column=other_column.pk)) == [f"{WORD}简报"]
    assert titles(search(column=column.pk)) == []
    assert f'href="/{other_column.slug}/' in search().content.decode()


def test_a_copy_is_one_result_and_a_copied_page_is_its_own(column, other_column):
    article = ArticlePageFactory(parent=column, title=f"{WORD}简报")
    article.create_alias(parent=other_column)
    assert titles(search()) == [f"{WORD}简报"]
    article.copy(to=other_column, update_attrs={"slug": "copy-1"}, keep_live=True)
    assert titles(search()) == [f"{WORD}简报", f"{WORD}简报"]


@pytest.mark.parametrize("where", ["article", "column"])
def test_restricted_articles_are_never_found_by_their_words(column, where):
    article = ArticlePageFactory(
        parent=column, title="内部通知", summary=f"{WORD}口令", body=[], source=WORD
    )
    PageViewRestriction.objects.create(
        page=article if where == "article" else column, restriction_type="password", password="x"
    )
    for query in (WORD, "内部通知", "口令"):
        response = Client().get("/search/", {"q": query})
        assert titles(response) == [] and response.context["count"] == 0


def test_articles_of_an_offline_column_are_not_found(column):
    ArticlePageFactory(parent=column, title=f"{WORD}简报")
    column.unpublish()
    assert titles(search()) == []


def test_each_site_searches_its_own_articles(column, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "district.example.cn"]
    root = Page.objects.get(depth=1)
    district = add_published(root, HomePage(title="区委党建网", slug="district"))
    Site.objects.create(hostname="district.example.cn", root_page=district)
    district_column = add_published(district, NewsIndexPage(title="区内动态", slug="dongtai"))
    ArticlePageFactory(parent=district_column, title=f"{WORD}区内简报")
    ArticlePageFactory(parent=column, title=f"{WORD}市级简报")
    assert titles(search()) == [f"{WORD}市级简报"]
    assert titles(search(host="district.example.cn")) == [f"{WORD}区内简报"]


def test_rebuild_gives_the_same_rows(column):
    from django.core.management import call_command

    ArticlePageFactory(parent=column, title=f"{WORD}简报")
    before = list(SearchEntry.objects.values_list("pk", "title_terms", "body_terms"))
    call_command("rebuild_search_index", "--public-only", verbosity=0)
    assert list(SearchEntry.objects.values_list("pk", "title_terms", "body_terms")) == before
    assert titles(search()) == [f"{WORD}简报"]


@pytest.fixture
def small_plans(monkeypatch):
    # The thresholds of a large site, scaled to a few articles.
    monkeypatch.setattr(queries, "PROBE", 4)
    monkeypatch.setattr(queries, "CANDIDATES", 3)


def test_a_rare_word_is_answered_from_the_index(column, small_plans):
    for number in range(8):
        ArticlePageFactory(parent=column, title=f"党建简报{number}")
    ArticlePageFactory(parent=column, title="党建简报 第2024001期")
    with CaptureQueriesContext(connection) as queries_made:
        response = Client().get("/search/", {"q": "2024001"})
    assert response.context["plan"] == "few" and response.context["count"] == 1
    assert titles(response) == ["党建简报 第2024001期"]
    searches = [q["sql"] for q in queries_made if "news_searchentry" in q["sql"]]
    # PostgreSQL: the index asked once, for the matches with their rows. SQLite: FTS5 gives the
    # matches' ids, then the table is asked once for those in scope and once for their rows.
    assert len(searches) == (1 if connection.vendor == "postgresql" else 2), searches


def test_a_common_word_ranks_the_newest_matches_and_counts_after_the_response(column, small_plans):
    for number in range(9):
        ArticlePageFactory(parent=column, title=f"党建简报{number}")
    first = Client().get("/search/", {"q": "党建"})
    assert first.context["plan"] == "newest" and first.context["count_is_estimate"]
    assert titles(first) == ["党建简报8", "党建简报7", "党建简报6"]
    # The test client closes the response as a server does once the page is sent: the exact
    # count has been made.
    second = Client().get("/search/", {"q": "党建"})
    assert second.context["count"] == 9 and not second.context["count_is_estimate"]
    assert "共找到 9 篇" in second.content.decode()
    # By time, every match is reachable a page at a time.
    by_time = Client().get("/search/", {"q": "党建", "sort": "date"})
    assert by_time.context["results"].paginator.num_pages == 1 and len(titles(by_time)) == 9


def test_an_uncommon_word_is_ranked_by_the_database_first(column, small_plans):
    for number in range(3):
        ArticlePageFactory(parent=column, title=f"简报{number}", summary="睦邻。")
    ArticlePageFactory(parent=column, title="睦邻中心")
    response = Client().get("/search/", {"q": "睦邻"})
    assert response.context["plan"] == "ranked" and response.context["count"] == 4
    assert titles(response)[0] == "睦邻中心"


def test_a_word_in_a_small_share_of_many_articles_is_counted_exactly(
    column, small_plans, monkeypatch
):
    # More matches than PROBE but a small share of the site's articles: listed, not walked.
    monkeypatch.setattr(queries, "WALK_SHARE", 1.0)
    for number in range(6):
        ArticlePageFactory(parent=column, title=f"党建简报{number}")
    response = Client().get("/search/", {"q": "党建"})
    assert response.context["plan"] == "newest" and response.context["count"] == 6
    assert titles(response) == ["党建简报5", "党建简报4", "党建简报3"]
