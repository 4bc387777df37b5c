"""The documents that cost the site most to build (/sitemap.xml, the feeds, a column's later
pages and months): built once per change readers can see, the same kept one given whatever query
string comes with it, and building limited per address (UNCACHED_RATE_LIMIT) for every worker
at once (core/limits.py)."""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.test import Client

from news import sitemap_xml
from tests.crawler import NS, sitemap_paths
from tests.factories import ArticlePageFactory


@pytest.fixture
def articles(column):
    made = [ArticlePageFactory(parent=column, title=f"第{n}篇报道") for n in range(6)]
    for article in made:
        article.save_revision().publish()
    return made


def test_the_sitemap_is_an_index_of_pages_of_bounded_size(articles, monkeypatch):
    monkeypatch.setattr(sitemap_xml, "PAGE_SIZE", 4)
    client = Client()
    index = ET.fromstring(client.get("/sitemap.xml").content)
    locations = [loc.text for loc in index.iterfind("s:sitemap/s:loc", NS)]
    # home, three columns, contact, the 留言咨询 channel, six articles: twelve addresses, three
    # pages of four.
    assert [urlsplit(location).query for location in locations] == ["p=1", "p=2", "p=3"]
    sizes = [
        len(ET.fromstring(client.get("/sitemap.xml", {"p": n}).content).findall("s:url", NS))
        for n in (1, 2, 3)
    ]
    assert sizes == [4, 4, 4]
    assert {article.url for article in articles} <= sitemap_paths(client)


@pytest.mark.parametrize("p", ["0", "4", "abc", "1.0", "１", "-1", "99999999999999999999"])
def test_a_sitemap_page_that_does_not_exist_is_not_found(articles, monkeypatch, p):
    monkeypatch.setattr(sitemap_xml, "PAGE_SIZE", 4)
    assert Client().get("/sitemap.xml", {"p": p}).status_code == 404


def test_any_other_query_string_gets_the_kept_sitemap(
    articles, django_assert_max_num_queries, settings
):
    client = Client()
    first = client.get("/sitemap.xml", {"p": 1}).content
    settings.UNCACHED_RATE_LIMIT = "1/m"  # had it been built again, it would be refused
    for junk in ({"x": "1"}, {"p": "1", "utm": "a"}, {"p": "1", "p2": "b" * 500}):
        # The site generation, read once: nothing is built.
        with django_assert_max_num_queries(1):
            answer = client.get("/sitemap.xml", junk if "p" in junk else {**junk, "p": "1"})
        assert answer.status_code == 200 and answer.content == first


def test_a_change_readers_can_see_builds_the_sitemap_again(articles, column):
    client = Client()
    before = sitemap_paths(client)
    added = ArticlePageFactory(parent=column, title="新发布的报道")
    added.save_revision().publish()
    assert sitemap_paths(client) == before | {added.url}
    added.unpublish()
    assert sitemap_paths(client) == before


def test_an_address_building_too_many_documents_waits_and_others_do_not(articles, settings):
    settings.UNCACHED_RATE_LIMIT = "2/m"
    crawler = Client(REMOTE_ADDR="198.51.100.7")
    assert crawler.get("/sitemap.xml").status_code == 200
    assert crawler.get("/feed/").status_code == 200
    refused = crawler.get("/news/feed/")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "访问过于频繁" in refused.content.decode()
    # What is kept is still given to it, and another address builds its own.
    assert crawler.get("/sitemap.xml", {"x": "1"}).status_code == 200
    assert Client(REMOTE_ADDR="198.51.100.8").get("/news/feed/").status_code == 200


def test_a_feed_with_a_query_string_is_the_kept_feed(articles, django_assert_max_num_queries):
    client = Client()
    feed = client.get("/news/feed/")
    assert feed["Content-Type"].startswith("application/rss+xml")
    with django_assert_max_num_queries(1):
        again = client.get("/news/feed/", {"nocache": "1", "page": "7"})
    assert again.content == feed.content and again["Content-Type"] == feed["Content-Type"]


def test_months_and_later_pages_of_a_list_count_against_the_limit(articles, settings, column):
    settings.UNCACHED_RATE_LIMIT = "3/m"
    reader = Client(REMOTE_ADDR="203.0.113.9")
    month = articles[0].published_at.strftime("%Y/%m")
    statuses = [
        reader.get(url).status_code
        for url in (
            f"{column.url}?page=2",
            f"{column.url}{month}/",
            f"/{column.slug}/?page=3",
            f"{column.url}{month}/",
        )
    ]
    assert statuses == [200, 200, 200, 429]
    # The first page of a column is what readers open: never limited.
    assert reader.get(column.url).status_code == 200


def test_ipv6_addresses_of_one_subscriber_share_a_limit(articles, settings):
    settings.UNCACHED_RATE_LIMIT = "2/m"
    statuses = [
        Client(REMOTE_ADDR=f"2001:db8:1:2::{n}").get(url).status_code
        for n, url in enumerate(["/news/?page=2", "/news/?page=3", "/news/?page=4"], 1)
    ]
    assert statuses == [200, 200, 429]
    # The next /64 is another subscriber.
    assert Client(REMOTE_ADDR="2001:db8:1:3::1").get("/news/?page=2").status_code == 200


def test_a_host_with_another_port_is_answered_but_never_kept(articles, settings):
    from django.core.cache import caches

    settings.PAGE_CACHE = "django"
    client = Client()
    for port in range(40000, 40005):
        for url in ("/news/", "/sitemap.xml", "/feed/"):
            assert client.get(url, HTTP_HOST=f"testserver:{port}").status_code == 200
    kept = [key for tier in ("pages", "local") for key in caches[tier]._cache]
    assert not [key for key in kept if ":400" in key], kept
    # The usual host is kept as ever.
    client.get("/news/")
    assert [key for key in caches["pages"]._cache if "page:testserver:/news/" in key]
