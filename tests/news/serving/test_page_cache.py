"""The page cache after a publish (news/serving/pagecache.py): an article's page is kept through
other articles' publishing and shown afresh only when it, one of its neighbours or its 相关阅读
changed; the lists show the change at once; and after a change one request renders a page while
the others for it wait for that one."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory

from core.generation import read_once
from news.hits.counting import SERVED_FROM_CACHE_ATTR
from news.models import ArticlePage
from news.serving.pagecache import PageCacheMiddleware
from stack.raw_http import CHROME_UA
from tests.factories import ArticlePageFactory


@pytest.fixture
def cached(settings):
    settings.PAGE_CACHE = "django"


@pytest.fixture
def column_of_three(column):
    """Three live articles a day apart, oldest first."""
    articles = [ArticlePageFactory(parent=column, title=f"第{n}篇") for n in (1, 2, 3)]
    for article in articles:
        article.save_revision().publish()
    return articles


def read(url):
    response = Client(HTTP_USER_AGENT=CHROME_UA).get(url)
    assert response.status_code == 200, (url, response.status_code)
    kept = getattr(response.wsgi_request, SERVED_FROM_CACHE_ATTR, False)
    return response.content.decode(), kept


def test_an_article_stays_kept_while_articles_elsewhere_are_published(
    cached, column_of_three, other_column
):
    first = column_of_three[0]
    read(first.url)
    assert read(first.url)[1]
    # On another subject: an article sharing its words would be among its 相关阅读.
    elsewhere = ArticlePageFactory(
        parent=other_column,
        title="别的栏目的新文章",
        body=[{"type": "paragraph", "value": "<p>天文爱好者观测流星雨。</p>"}],
    )
    elsewhere.save_revision().publish()
    html, kept = read(first.url)
    assert kept and "第1篇" in html
    # The lists show the new article at once.
    assert "别的栏目的新文章" in read("/")[0]
    assert "别的栏目的新文章" in read(other_column.url)[0]


def test_an_article_is_shown_afresh_when_it_or_a_neighbour_changes(cached, column_of_three):
    first, second, third = column_of_three
    read(first.url)
    read(third.url)
    second.title = "第2篇(改)"
    second.save_revision().publish()
    for neighbour in (first, third):
        html, kept = read(neighbour.url)
        assert not kept and "第2篇(改)" in html
    # A new article between the first and the second becomes both their neighbour.
    read(first.url)
    between = ArticlePageFactory(
        parent=first.get_parent(),
        title="插入的文章",
        published_at=first.published_at + timedelta(hours=12),
    )
    between.save_revision().publish()
    assert "下一篇：<a" in read(first.url)[0] and "插入的文章" in read(first.url)[0]
    assert "插入的文章" in read(second.url)[0]
    # Withdrawn, it is nobody's neighbour any more.
    between.unpublish()
    html, kept = read(first.url)
    assert not kept and "插入的文章" not in html and "第2篇(改)" in html
    # Its own new revision is shown at once too.
    first.title = "第1篇(改)"
    first.save_revision().publish()
    assert "第1篇(改)" in read(first.url)[0]
    ArticlePage.objects.get(pk=first.pk).unpublish()
    assert Client().get(first.url).status_code == 404


def test_after_a_change_one_request_renders_a_page_while_the_others_wait_for_it(cached, db):
    renders = []

    def slow_view(request):
        renders.append(1)
        time.sleep(0.3)
        return HttpResponse("首页")

    middleware = PageCacheMiddleware(slow_view)
    answers = []

    def ask():
        try:
            request = RequestFactory().get("/")
            with read_once():
                answers.append(middleware(request).content.decode())
        finally:
            connection.close()

    readers = [threading.Thread(target=ask) for _ in range(5)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    assert answers == ["首页"] * 5
    assert len(renders) == 1


def test_a_page_that_cannot_be_kept_is_rendered_at_once_by_every_request(cached, db):
    """A password form or a 404 is never kept: nobody waits for another request's render."""

    def slow_view(request):
        time.sleep(0.3)
        return HttpResponse("请输入密码", status=404)

    middleware = PageCacheMiddleware(slow_view)

    def ask():
        try:
            with read_once():
                middleware(RequestFactory().get("/news/2024/0101/1/"))
        finally:
            connection.close()

    ask()  # renders, and is not kept
    readers = [threading.Thread(target=ask) for _ in range(4)]
    started = time.monotonic()
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    assert time.monotonic() - started < 0.9  # side by side: one after another takes 1.2 s


@pytest.mark.parametrize("change", ["unpublished", "restricted"])
def test_a_kept_article_that_readers_may_no_longer_read_counts_no_view(
    cached, column_of_three, change, settings
):
    from wagtail.models import PageViewRestriction

    from news.hits.store import current_count

    settings.HITCOUNT_WINDOW = 0
    article = column_of_three[0]
    read(article.url)  # kept, and counted
    before = current_count(article.pk)
    if change == "unpublished":
        ArticlePage.objects.get(pk=article.pk).unpublish()
    else:
        PageViewRestriction.objects.create(page=article, restriction_type="password", password="x1")
    for number in range(4):
        answer = Client(HTTP_USER_AGENT=f"{CHROME_UA} {number}").get(article.url)
        assert answer.status_code == (404 if change == "unpublished" else 200)
        assert "观摩段落" not in answer.content.decode()  # the password form, not the article
    assert current_count(article.pk) == before


def test_a_kept_page_is_answered_with_the_headers_of_a_rendered_one(cached, column_of_three):
    """The page cache answers before the policy, framing, session and account middleware
    (sitecms/settings/base.py): a kept page carries the headers its render was sent with."""
    client = Client(HTTP_USER_AGENT=CHROME_UA)
    for url in (column_of_three[1].url, "/"):
        rendered = client.get(url)
        kept = client.get(url)
        assert getattr(kept.wsgi_request, SERVED_FROM_CACHE_ATTR, False), url
        assert dict(kept.headers) == dict(rendered.headers), url
        assert int(kept["Content-Length"]) == len(kept.content)
        assert (
            kept["X-Frame-Options"] == "DENY"
            and "script-src 'self'" in kept["Content-Security-Policy"]
        )


def test_a_page_kept_by_another_version_of_the_site_is_rendered_again(cached, column_of_three):
    """An entry kept before the policy header was kept with it (in a Redis shared with machines
    not yet upgraded) would answer without it: it is rendered again instead."""
    from core import generation
    from news.serving import pagecache

    client = Client(HTTP_USER_AGENT=CHROME_UA)
    url = column_of_three[1].url
    name = pagecache.cache_name(client.get(url).wsgi_request)
    stored = generation.get(name, tier="pages", articles=False)
    old = {key: value for key, value in stored.items() if key != "format"}
    old["headers"] = {"Content-Type": stored["headers"]["Content-Type"]}
    pagecache.keep(name, old, stored["kept_under"])
    again = client.get(url)
    assert not getattr(again.wsgi_request, SERVED_FROM_CACHE_ATTR, False)
    assert "script-src 'self'" in again["Content-Security-Policy"]
    assert getattr(client.get(url).wsgi_request, SERVED_FROM_CACHE_ATTR, False)
