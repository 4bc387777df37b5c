"""一稿多发: one article published into several columns (a Wagtail alias in each further column).
It is listed in each column, its feed and its 上一篇/下一篇, but has one address, one click
count and one search result; editing the original updates every copy."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from news.hits.models import PageHits
from news.models import ArticlePage
from tests.crawler import sitemap_paths
from tests.factories import ArticlePageFactory

# On PostgreSQL too: copies into other columns are found and kept in step in SQL.
pytestmark = pytest.mark.engine_dependent

CHROME_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"


@pytest.fixture
def published_twice(column, other_column):
    article = ArticlePageFactory(parent=column, title="市委组织部召开基层党建工作推进会")
    copy = article.create_alias(parent=other_column)
    return article, ArticlePage.objects.get(pk=copy.pk)


def test_the_copy_is_listed_in_the_other_column_and_read_at_the_originals_address(
    published_twice, other_column
):
    article, copy = published_twice
    column_page = Client().get(other_column.url).content.decode()
    # The list links straight to the original's address; the copy's own address (in a link
    # someone kept) sends readers there.
    assert f'href="{article.url}"' in column_page and f'href="{copy.url}"' not in column_page
    assert article.title in column_page
    response = Client().get(copy.url, {"from": "list"})
    assert response.status_code == 301
    assert response["Location"] == f"{article.url}?from=list"


def test_reading_through_either_column_counts_once_on_the_original(published_twice):
    article, copy = published_twice
    reader = Client(HTTP_USER_AGENT=CHROME_UA)
    assert reader.get(copy.url, follow=True).status_code == 200
    assert PageHits.objects.get(page_id=article.pk).hits == 1
    assert not PageHits.objects.filter(page_id=copy.pk, hits__gt=0).exists()


def test_the_article_is_one_search_result_and_one_item_of_the_site_feed(published_twice):
    article, _ = published_twice
    results = Client().get("/search/", {"q": "基层党建工作推进会"}).content.decode()
    assert re.findall(r'<h2><a href="([^"]+)">', results) == [article.url]
    feed = Client().get("/feed/").content.decode()
    assert feed.count("<title>市委组织部召开基层党建工作推进会</title>") == 1


def test_the_other_columns_feed_lists_it_with_the_originals_address(published_twice, other_column):
    article, _ = published_twice
    feed = Client().get(f"{other_column.url}feed/").content.decode()
    assert f"<link>http://testserver{article.url}</link>" in feed


def test_the_copy_is_a_neighbour_in_its_column(published_twice, other_column):
    article, copy = published_twice
    later = ArticlePageFactory(
        parent=other_column,
        title="之后的通知",
        published_at=copy.published_at.replace(year=copy.published_at.year + 1),
    )
    page = Client().get(later.url).content.decode()
    assert (
        f'上一篇：<a href="{article.url}" rel="prev">市委组织部召开基层党建工作推进会</a>' in page
    )


def test_both_columns_lists_and_the_admin_listing_show_the_one_count(
    published_twice, column, other_column, admin_client
):
    article, _ = published_twice
    PageHits.objects.create(page_id=article.pk, hits=42)
    for listing in (column, other_column):
        page = Client().get(listing.url).content.decode()
        entry = page.split(f'href="{article.url}"')[1].split("</li>")[0]
        assert "点击数：42" in entry, listing.title
    admin_listing = admin_client.get(reverse("articles:index"), {"q": ""}).content.decode()
    rows = [row for row in admin_listing.split("<tr") if "市委组织部召开基层党建工作推进会" in row]
    assert len(rows) == 2
    assert all(re.search(r">\s*42\s*<", row) for row in rows), rows


def test_editing_the_original_updates_every_copy(published_twice):
    article, copy = published_twice
    article.title = "市委组织部召开全市基层党建工作推进会"
    article.save_revision().publish()
    assert ArticlePage.objects.get(pk=copy.pk).title == "市委组织部召开全市基层党建工作推进会"


def test_the_copy_is_left_out_of_the_sitemap(published_twice):
    article, copy = published_twice
    paths = sitemap_paths(Client())
    assert article.url in paths and copy.url not in paths


def test_a_publisher_publishes_an_article_into_another_column_with_the_copy_form(
    superuser_client, column, other_column
):
    article = ArticlePageFactory(parent=column, title="一稿多发的报道")
    url = reverse("wagtailadmin_pages:copy", args=(article.pk,))
    form = superuser_client.get(url).content.decode()
    assert "一稿多发" in form
    response = superuser_client.post(
        url, {"new_title": article.title, "new_parent_page": other_column.pk, "alias": "on"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    copy = ArticlePage.objects.child_of(other_column).get(title="一稿多发的报道")
    assert copy.alias_of_id == article.pk and copy.live
    # The admin says where the copy stands and what it copies.
    edit = superuser_client.get(
        reverse("wagtailadmin_pages:edit", args=(copy.pk,))
    ).content.decode()
    assert reverse("wagtailadmin_pages:edit", args=(article.pk,)) in edit


def test_the_originals_form_says_where_its_copies_are_published(
    published_twice, other_column, column, admin_client
):
    article, copy = published_twice
    form = admin_client.get(reverse("wagtailadmin_pages:edit", args=(article.pk,))).content.decode()
    assert "本文同时发布在 1 个栏目" in form
    assert f"{other_column.title}：已发布" in form
    assert reverse("wagtailadmin_explore", args=(other_column.pk,)) in form
    copy.unpublish()
    form = admin_client.get(reverse("wagtailadmin_pages:edit", args=(article.pk,))).content.decode()
    assert f"{other_column.title}：未发布" in form
    # An article with no copies says nothing of them.
    alone = ArticlePageFactory(parent=column)
    form = admin_client.get(reverse("wagtailadmin_pages:edit", args=(alone.pk,))).content.decode()
    assert "一稿多发</strong>" not in form
