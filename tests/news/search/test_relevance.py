"""站内搜索 ranks what readers mean first: every query of the relevance set (relevance_set.toml)
through the public page /search/?q=, over the demo content and the seed-format samples, with its
expected articles in the first three (and first where the set says so)."""

import pytest
from django.db import transaction
from django.test import Client
from wagtail.models import Site

from news.importing.demo import load_demo_content
from news.models import ArticlePage
from tests.news.search.relevance import FIRST, QUERIES, add_samples, misses, result_titles

# On PostgreSQL too: each engine ranks in its own SQL (tsvector and ts_rank_cd, FTS5 and bm25()).
pytestmark = pytest.mark.engine_dependent


def queries():
    for query, expected in QUERIES:
        yield pytest.param(query, expected, id=query)


@pytest.fixture(scope="class")
def corpus(django_db_setup, django_db_blocker):
    """The demo content and the samples, made once for the class's tests and rolled back after
    the last of them."""
    with django_db_blocker.unblock(), transaction.atomic():
        site = Site.objects.get(is_default_site=True)
        load_demo_content(site)
        add_samples(site)
        yield
        transaction.set_rollback(True)


def search(query):
    response = Client().get("/search/", {"q": query})
    assert response.status_code == 200, query
    return result_titles(response.content.decode())


@pytest.mark.django_db
@pytest.mark.usefixtures("corpus")
class TestRelevanceSet:
    @pytest.fixture(autouse=True)
    def _searches_unlimited(self, settings):
        settings.SEARCH_RATE_LIMIT = "1000/m"

    @pytest.mark.parametrize(("query", "expected"), list(queries()))
    def test_expected_articles_lead(self, query, expected):
        titles = search(query)
        assert not misses(titles, expected, query), (query, misses(titles, expected, query))

    def test_the_set_names_real_articles(self):
        # A mistyped title would make a query fail for any ranking.
        live = set(ArticlePage.objects.live().values_list("title", flat=True))
        assert {t for _q, expected in QUERIES for t in expected} - live == set()
        assert len(QUERIES) >= 30
        assert FIRST["全市社会组织党建工作现场推进会召开"] == "全市社会组织党建工作现场推进会召开"
