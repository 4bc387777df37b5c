"""What serving a page costs in SQL queries: fixed budgets for the article page, and list pages
whose query count does not grow with the number of articles they show."""

from datetime import datetime, timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction

from tests.factories import SHANGHAI, ArticlePageFactory, section

# On PostgreSQL too: the number of queries can differ between engines.
pytestmark = pytest.mark.engine_dependent

# The budgets the site promises (docs/architecture.md, "What a request costs"): an article read
# without the page cache costs at most 6 queries with its counting (two once its route and
# rendering are cached), two from the page cache (the site generation and the count), one with
# Redis buffering (the generation).
UNCACHED_ARTICLE_BUDGET = 6
CACHED_ARTICLE_BUDGET = 2
GENERATION_QUERY = "news_sitegeneration"


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return [prepared_text(query["sql"]) for query in captured.captured_queries]


def prepared_text(sql):
    """A statement prepared on the server (core/postgresql/base.py) as the text it runs, after
    what was sent before it in the same query: `SET LOCAL …; EXECUTE p_… (…)` reads as the SET
    and the statement, still one round trip."""
    before, found, rest = sql.partition("EXECUTE p_")
    if not found:
        return sql
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE name = %s",
            ["p_" + rest.split(" ", 1)[0]],
        )
        return before + cursor.fetchone()[0]


@pytest.fixture
def article(column, image):
    page = ArticlePageFactory(
        parent=column,
        cover_image=image,
        hits=10,
        body=[section("议程一", "实地观摩", "段落。"), picture_block(image)],
    )
    return page


def picture_block(image):
    return {"type": "image", "value": {"image": image.pk, "caption": "现场"}}


@pytest.fixture
def counting_every_view(settings):
    settings.HITCOUNT_WINDOW = 0
    settings.HITCOUNT_ENABLED = True


def test_uncached_article_view_with_its_counting_stays_within_budget(
    article, reader, counting_every_view
):
    reader.get(article.url)  # renditions, menu and footer exist on a visited site
    made = queries(reader, article.url)
    assert len(made) <= UNCACHED_ARTICLE_BUDGET, made
    # The generation and the click in one statement: the article's route (its fields) and its
    # rendering are cached since the first view (news/serving/routing.py).
    assert len(made) == 2, made
    assert GENERATION_QUERY in made[0]


def test_the_first_view_after_a_publish_loads_the_article_once(
    article, column, reader, counting_every_view
):
    reader.get(article.url)
    ArticlePageFactory(parent=column).save_revision().publish()  # the articles number moves
    first = queries(reader, article.url)
    assert any("news_articlepage" in sql for sql in first), first
    again = queries(reader, article.url)
    assert not any("news_articlepage" in sql for sql in again), again


def test_the_generation_is_read_once_per_request(column, reader):
    ArticlePageFactory(parent=column)
    for url in ["/", "/news/", "/contact/", "/search/?q=测试"]:
        made = queries(reader, url)
        assert sum(GENERATION_QUERY in sql for sql in made) == 1, url


def test_a_readers_first_view_and_their_memory_are_written_together(article, reader):
    reader.get(article.url)
    made = queries(
        reader.__class__(
            HTTP_USER_AGENT=reader.defaults["HTTP_USER_AGENT"], REMOTE_ADDR="198.51.100.2"
        ),
        article.url,
    )
    writes = [sql for sql in made if "INSERT INTO" in sql]
    if connection.vendor == "postgresql":
        # One statement: the reader's row, their address's views today and the count.
        assert len(writes) == 1 and "news_recentreader" in writes[0], writes
        assert "news_addressviews" in writes[0]
    else:
        assert len(writes) == 3, writes


def test_article_view_counts_in_a_single_statement(article, reader, counting_every_view):
    reader.get(article.url)
    made = queries(reader, article.url)
    writes = [sql for sql in made if not sql.lstrip().upper().startswith("SELECT")]
    assert len(writes) == 1 and "ON CONFLICT" in writes[0]


def test_article_served_from_the_page_cache_costs_the_generation_and_the_count(
    article, reader, settings, counting_every_view
):
    settings.PAGE_CACHE = "django"
    reader.get(article.url)
    made = queries(reader, article.url)
    assert len(made) <= CACHED_ARTICLE_BUDGET, made
    if connection.vendor == "postgresql":
        # The count and the check that the kept page is current are one round trip.
        assert len(made) == 1 and GENERATION_QUERY in made[0] and "INSERT INTO" in made[0], made
    assert "点击数：<span data-hit-count>13</span>" in reader.get(article.url).content.decode()


def test_a_kept_article_found_stale_is_rendered_afresh_and_counted_once(
    article, reader, settings, counting_every_view
):
    settings.PAGE_CACHE = "django"
    reader.get(article.url)  # kept
    article.title = "改过的标题"
    article.save_revision().publish()  # in another process, as far as the page cache knows
    html = reader.get(article.url).content.decode()
    assert "改过的标题" in html
    assert "点击数：<span data-hit-count>12</span>" in html
    from news.hits.store import current_count

    assert current_count(article.pk) == 12


def test_article_from_the_page_cache_with_redis_buffering_costs_only_the_generation(
    article, reader, settings, redis_buffer, counting_every_view
):
    from news.hits import store

    settings.PAGE_CACHE = "django"
    reader.get(article.url)
    store.flush()  # Redis now knows the stored total
    made = queries(reader, article.url)
    assert len(made) == 1 and GENERATION_QUERY in made[0], made
    response = reader.get(article.url)
    assert "点击数：<span data-hit-count>13</span>" in response.content.decode()


def test_uncached_article_with_redis_buffering_costs_only_the_generation(
    article, reader, redis_buffer, counting_every_view
):
    from news.hits import store

    reader.get(article.url)
    store.flush()
    made = queries(reader, article.url)
    assert len(made) == 1 and GENERATION_QUERY in made[0], made
    assert "点击数：<span data-hit-count>13</span>" in reader.get(article.url).content.decode()


def test_a_view_restriction_added_later_is_enforced_at_once(article, reader):
    reader.get(article.url)
    PageViewRestriction.objects.create(page=article.get_parent(), restriction_type="login")
    response = reader.get(article.url)
    assert response.status_code == 302 and "login" in response["Location"]


# Lists: the query count does not grow with the articles shown -------------------------------


def add_articles(column, image, count):
    """Articles of January 2024, the month whose archive is measured."""
    for number in range(count):
        ArticlePageFactory(
            parent=column,
            cover_image=image,
            body=[picture_block(image)],
            published_at=datetime(2024, 1, 2, 9, tzinfo=SHANGHAI) + timedelta(hours=number),
        )


def cold_queries(client, url):
    """Queries of a request after a first one made the renditions, with every cache emptied."""
    client.get(url)
    clear_caches()
    return queries(client, url)


def clear_caches():
    for each in caches.all():
        each.clear()


@pytest.mark.parametrize(
    "url", ["/", "/news/", "/news/2024/01/", "/feed/", "/news/feed/", "/search/?q=测试"]
)
def test_list_pages_make_as_many_queries_for_many_articles_as_for_few(
    url, column, image, reader, settings
):
    settings.HITCOUNT_ENABLED = False
    add_articles(column, image, 2)
    few = cold_queries(reader, url)
    add_articles(column, image, 8)
    many = cold_queries(reader, url)
    assert len(many) == len(few), "\n".join(many)


def test_renditions_are_not_created_during_a_readers_request_once_they_exist(
    article, column, image, reader
):
    add_articles(column, image, 3)
    urls = ["/", "/news/", article.url, "/feed/"]
    for url in urls:
        reader.get(url)
    renditions = get_image_model().get_rendition_model().objects.count()
    clear_caches()
    for url in urls:
        made = queries(reader, url)
        assert not [sql for sql in made if "INSERT" in sql and "rendition" in sql], url
    assert get_image_model().get_rendition_model().objects.count() == renditions
