"""Click counts (点击数): what counts, exactly once, and never at the cost of a page."""

import threading
from datetime import datetime
from unittest import mock

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import caches
from django.db import connection
from django.test import Client, RequestFactory

from core import clients
from core import redis as site_redis
from news.hits import counting, store
from news.hits.models import PageDailyHits, PageHits
from stack.raw_http import CHROME_UA
from tests.factories import SHANGHAI, ArticlePageFactory

# On PostgreSQL too: counts are added by upserts and row locks, which each engine does its own way.
pytestmark = pytest.mark.engine_dependent

UAS_THAT_COUNT = {
    "chrome": CHROME_UA,
    "safari": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "firefox": "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "wechat": "Mozilla/5.0 (Linux; Android 14; V2309A Build/UP1A.231005.007; wv) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Version/4.0 Chrome/122.0.6261.120 Mobile Safari/537.36 XWEB/1220133 "
    "MMWEBSDK/20240404 MMWEBID/1234 MicroMessenger/8.0.49.2600(0x2800313D) WeChat/arm64 Weixin "
    "NetType/WIFI Language/zh_CN ABI/arm64",
}
CRAWLER_UAS = {
    "googlebot": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "bingbot": "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "baiduspider": "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
    "bytespider": "Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile "
    "Safari/537.36 (compatible; Bytespider; spider-feedback@bytedance.com)",
    "yisouspider": "Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/69.0.3497.81 YisouSpider/5.0 Safari/537.36",
    "sogou": "Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)",
    "360spider": "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/50.0.2661.102 Safari/537.36; 360Spider",
    "curl": "curl/8.5.0",
    "wget": "Wget/1.21.4",
    "python-requests": "python-requests/2.32.3",
    "headlesschrome": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/131.0.0.0 Safari/537.36",
    "empty": "",
}
PREFETCH_HEADERS = {
    "sec-purpose prefetch": {"HTTP_SEC_PURPOSE": "prefetch"},
    "sec-purpose prerender": {"HTTP_SEC_PURPOSE": "prefetch;prerender"},
    "purpose": {"HTTP_PURPOSE": "prefetch"},
    "x-purpose preview": {"HTTP_X_PURPOSE": "preview"},
    "x-moz": {"HTTP_X_MOZ": "prefetch"},
}


@pytest.fixture
def article(column):
    return ArticlePageFactory(
        parent=column, published_at=datetime(2024, 5, 1, 10, tzinfo=SHANGHAI), hits=10
    )


def count(page):
    return store.current_count(page.pk)


def view(page, ua=CHROME_UA, ip="203.0.113.7", **headers):
    return Client(HTTP_USER_AGENT=ua, REMOTE_ADDR=ip).get(page.url, **headers)


# What counts ----------------------------------------------------------------------------------


@pytest.mark.parametrize("ua", UAS_THAT_COUNT.values(), ids=UAS_THAT_COUNT.keys())
def test_browsers_count_one(article, ua):
    assert view(article, ua=ua).status_code == 200
    assert count(article) == 11


@pytest.mark.parametrize("ua", CRAWLER_UAS.values(), ids=CRAWLER_UAS.keys())
def test_crawlers_tools_and_empty_user_agents_count_nothing(article, ua):
    assert view(article, ua=ua).status_code == 200
    assert count(article) == 10


def test_missing_user_agent_counts_nothing(article):
    assert Client().get(article.url).status_code == 200
    assert count(article) == 10


@pytest.mark.parametrize("headers", PREFETCH_HEADERS.values(), ids=PREFETCH_HEADERS.keys())
def test_prefetch_and_prerender_requests_count_nothing(article, headers):
    assert view(article, **headers).status_code == 200
    assert count(article) == 10


@pytest.mark.parametrize("method", ["head", "post", "options"])
def test_other_methods_count_nothing(article, method):
    getattr(Client(HTTP_USER_AGENT=CHROME_UA), method)(article.url)
    assert count(article) == 10


def test_not_found_redirects_and_other_pages_count_nothing(article, reader):
    reader.get("/news/2024/0501/999999/")
    reader.get(f"/news/{article.slug}/")  # redirects to the article
    reader.get("/")
    reader.get("/news/")
    reader.get("/contact/")
    assert PageHits.objects.exclude(page_id=article.pk).count() == 0
    assert count(article) == 10


def test_draft_articles_are_never_counted(column, reader):
    page = ArticlePageFactory(parent=column, live=False)
    assert (
        reader.get(
            f"/news/{page.url_components[0]}/{page.url_components[1]}/{page.pk}/"
        ).status_code
        == 404
    )
    assert not PageHits.objects.filter(page_id=page.pk).exists()


def test_admin_preview_counts_nothing(article, admin_client):
    from django.urls import reverse

    url = reverse("wagtailadmin_pages:preview_on_edit", args=(article.pk,))
    admin_client.get(url, HTTP_USER_AGENT=CHROME_UA)
    admin_client.get(
        reverse("wagtailadmin_pages:view_draft", args=(article.pk,)), HTTP_USER_AGENT=CHROME_UA
    )
    assert count(article) == 10


def test_signed_in_editors_count_nothing_but_other_signed_in_users_do(article, django_user_model):
    editor = django_user_model.objects.create_user("editor", password="x")
    group = Group.objects.create(name="后台")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    editor.groups.add(group)
    member = django_user_model.objects.create_user("member", password="x")
    client = Client(HTTP_USER_AGENT=CHROME_UA)
    client.force_login(editor)
    client.get(article.url)
    assert count(article) == 10
    client = Client(HTTP_USER_AGENT=CHROME_UA)
    client.force_login(member)
    client.get(article.url)
    assert count(article) == 11


def test_counting_sets_no_cookie_and_adds_no_vary_cookie(article):
    response = view(article)
    assert count(article) == 11
    assert not response.cookies
    assert "cookie" not in response.get("Vary", "").lower()


def test_shown_number_includes_the_view_just_counted(article):
    assert "点击数：<span data-hit-count>11</span>" in view(article).content.decode()


# Dedupe ---------------------------------------------------------------------------------------


def test_reload_within_window_counts_once(article):
    for _ in range(3):
        view(article)
    assert count(article) == 11


def test_reload_after_window_counts_again(article, settings):
    from datetime import timedelta

    from django.utils.timezone import now

    settings.HITCOUNT_WINDOW = 60
    view(article)
    later = now() + timedelta(seconds=61)
    with mock.patch("news.hits.store.now", return_value=later):
        view(article)
    assert count(article) == 12


def test_readers_are_remembered_in_the_database_and_forgotten_after_the_window(article):
    from news.hits.models import RecentReader

    view(article)
    reader = RecentReader.objects.get()
    assert "203.0.113.7" not in reader.key
    store._first_views = store.FORGET_EVERY - 1
    from datetime import timedelta

    from django.utils.timezone import now

    with mock.patch("news.hits.store.now", return_value=now() + timedelta(days=1)):
        view(article, ip="203.0.113.9")  # the 500th first view: the expired reader goes
    assert list(RecentReader.objects.exclude(pk=reader.pk).values_list("pk", flat=True))
    assert not RecentReader.objects.filter(pk=reader.pk).exists()


def test_a_flood_of_other_requests_does_not_make_the_counter_forget_a_reader(article, settings):
    settings.PAGE_CACHE = "django"
    view(article)
    for number in range(600):
        Client(HTTP_USER_AGENT=CHROME_UA).get(f"/news/?page={number}")
    view(article)
    assert count(article) == 11


def test_window_zero_counts_every_view(article, settings):
    settings.HITCOUNT_WINDOW = 0
    for _ in range(3):
        view(article)
    assert count(article) == 13


def test_different_readers_each_count(article):
    view(article, ip="203.0.113.7")
    view(article, ip="203.0.113.8")
    view(article, ip="203.0.113.7", ua=UAS_THAT_COUNT["firefox"])
    assert count(article) == 13


def test_reader_key_is_a_hash_not_the_address(article):
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT=CHROME_UA)
    key = counting.reader_key(request, article.pk)
    assert "203.0.113.7" not in key
    assert key != counting.reader_key(
        RequestFactory().get("/", REMOTE_ADDR="203.0.113.8"), article.pk
    )


@pytest.mark.django_db(transaction=True)
def test_32_simultaneous_identical_readers_pass_dedupe_once(article):
    request = RequestFactory().get(
        article.url, REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT=CHROME_UA
    )
    barrier = threading.Barrier(32)
    results = []

    def read():
        barrier.wait()
        try:
            results.append(counting.count_view(request, article.pk) is not counting.NOT_COUNTED)
        finally:
            connection.close()

    run_threads(read, 32)
    assert sorted(results) == [False] * 31 + [True]
    assert count(article) == 11


def run_threads(target, number):
    threads = [threading.Thread(target=target) for _ in range(number)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


# Client address ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "expected"),
    [
        (0, "198.51.100.1", "203.0.113.9", "203.0.113.9"),  # not trusted: X-Forwarded-For ignored
        (1, "198.51.100.1", "10.0.0.2", "198.51.100.1"),
        (1, "6.6.6.6, 198.51.100.1", "10.0.0.2", "198.51.100.1"),  # a spoofed first entry
        (2, "6.6.6.6, 198.51.100.1, 10.0.0.3", "10.0.0.2", "198.51.100.1"),
        (1, "2001:db8::1", "10.0.0.2", "2001:db8::1"),
        (1, "[2001:db8:0:0::1]:4711", "10.0.0.2", "2001:db8::1"),
        (1, "198.51.100.1:5555", "10.0.0.2", "198.51.100.1"),
        (1, "", "10.0.0.2", "10.0.0.2"),
        (3, "198.51.100.1", "10.0.0.2", "198.51.100.1"),  # fewer hops than proxies
        (1, "not-an-ip", "10.0.0.2", "10.0.0.2"),
        (0, "", "::ffff:192.0.2.5", "192.0.2.5"),
    ],
)
def test_client_ip(settings, proxies, forwarded, remote, expected):
    settings.HITCOUNT_TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert clients.client_ip(request) == expected


# Storage -------------------------------------------------------------------------------------


def test_views_land_in_the_total_and_todays_bucket(article):
    view(article)
    view(article, ip="198.51.100.2")
    assert PageHits.objects.get(page_id=article.pk).hits == 12
    bucket = PageDailyHits.objects.get(page_id=article.pk)
    assert bucket.hits == 2


def test_first_view_creates_exactly_one_row(column):
    page = ArticlePageFactory(parent=column)
    view(page)
    view(page, ip="198.51.100.2")
    assert PageHits.objects.filter(page_id=page.pk).count() == 1
    assert count(page) == 2


def test_publish_revert_and_copy_leave_the_count_alone(article, column):
    view(article)
    first_revision = article.save_revision()
    first_revision.publish()
    article.title = "改过的标题"
    article.save_revision().publish()
    assert count(article) == 11
    first_revision.publish()  # revert to the earlier revision
    assert count(article) == 11
    article.refresh_from_db()
    article.move(column, pos="last-child")
    assert count(article) == 11
    copy = article.copy(to=column, update_attrs={"slug": "copy", "title": "副本"})
    assert count(article) == 11
    assert count(copy) == 0


def test_counter_failure_still_serves_the_page(article, caplog):
    with mock.patch("news.hits.store.record_view", side_effect=RuntimeError("database is locked")):
        response = view(article)
    assert response.status_code == 200
    assert "点击数：<span data-hit-count>10</span>" in response.content.decode()
    assert "Counting a view of page" in caplog.text


def test_counting_can_be_switched_off(article, settings):
    settings.HITCOUNT_ENABLED = False
    view(article)
    assert count(article) == 10


# Concurrency on PostgreSQL -------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_views_add_exactly_n_including_the_first_row(settings):
    from news.sitetree import ensure_site_tree

    settings.HITCOUNT_WINDOW = 0
    site = ensure_site_tree()
    column = site.root_page.get_children().get(slug="news")
    page = ArticlePageFactory(parent=column)  # no PageHits row yet: the threads race to create it
    threads, per_thread = 8, 30
    barrier = threading.Barrier(threads)
    errors = []

    def read():
        from django.db import connection as thread_connection

        client = Client(HTTP_USER_AGENT=CHROME_UA)
        barrier.wait()
        try:
            for _ in range(per_thread):
                if client.get(page.url).status_code != 200:
                    errors.append("status")
        finally:
            thread_connection.close()

    run_threads(read, threads)
    assert errors == []
    assert PageHits.objects.filter(page_id=page.pk).count() == 1
    assert PageHits.objects.get(page_id=page.pk).hits == threads * per_thread
    assert PageDailyHits.objects.get(page_id=page.pk).hits == threads * per_thread


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_32_simultaneous_identical_requests_count_once():
    from news.sitetree import ensure_site_tree

    column = ensure_site_tree().root_page.get_children().get(slug="news")
    page = ArticlePageFactory(parent=column)
    barrier = threading.Barrier(32)
    statuses = []

    def read():
        from django.db import connection as thread_connection

        barrier.wait()
        try:
            statuses.append(view(page).status_code)
        finally:
            thread_connection.close()

    run_threads(read, 32)
    assert statuses == [200] * 32
    assert PageHits.objects.get(page_id=page.pk).hits == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("wait_for_disk", [False, True])
def test_a_view_on_postgresql_commits_without_waiting_for_the_disk_unless_asked(
    settings, wait_for_disk
):
    from django.test.utils import CaptureQueriesContext

    from news.sitetree import ensure_site_tree

    settings.HITCOUNT_WINDOW = 0
    settings.HITCOUNT_WAIT_FOR_DISK = wait_for_disk
    column = ensure_site_tree().root_page.get_children().get(slug="news")
    page = ArticlePageFactory(parent=column, hits=7)
    with CaptureQueriesContext(connection) as captured:
        response = view(page)
    counting = [
        sql
        for sql in (query["sql"] for query in captured.captured_queries)
        if 'INTO "news_pagehits"' in sql
    ]
    assert len(counting) == 1
    assert ("synchronous_commit TO OFF" in counting[0]) is not wait_for_disk
    assert "点击数：<span data-hit-count>8</span>" in response.content.decode()
    assert PageHits.objects.get(page_id=page.pk).hits == 8
    assert PageDailyHits.objects.get(page_id=page.pk).hits == 1


# Behind the page cache ----------------------------------------------------------------------


def test_cached_views_are_each_counted_and_show_the_current_number(article, settings):
    settings.PAGE_CACHE = "django"
    settings.HITCOUNT_WINDOW = 0
    first = view(article)
    assert "点击数：<span data-hit-count>11</span>" in first.content.decode()
    for expected in range(12, 17):
        response = view(article)
        assert f"点击数：<span data-hit-count>{expected}</span>" in response.content.decode()
    assert count(article) == 16


def test_cached_view_by_the_same_reader_shows_the_current_number(article, settings):
    settings.PAGE_CACHE = "django"
    view(article)  # cached, counted: 11
    view(article, ip="198.51.100.2")  # from the cache, counted: 12
    response = view(article)  # from the cache, same reader as the first: not counted
    assert "点击数：<span data-hit-count>12</span>" in response.content.decode()


def test_page_cache_serves_from_cache_and_drops_it_on_publish(
    article, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE = "django"
    settings.HITCOUNT_WINDOW = 0
    view(article)
    # Only the counting itself: two upserts inside one transaction (savepoint, release).
    with django_assert_max_num_queries(4):
        view(article)
    article.title = "新标题"
    article.save_revision().publish()
    assert "新标题" in view(article).content.decode()


def test_cdn_mode_sends_shared_cache_headers_and_leaves_counting_to_the_beacon(article, settings):
    settings.PAGE_CACHE = "cdn"
    settings.HITCOUNT_MODE = "beacon"
    response = view(article)
    assert "s-maxage=5" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]
    assert 'data-hit-mode="beacon"' in response.content.decode()
    assert count(article) == 10
    beacon = Client(HTTP_USER_AGENT=CHROME_UA, REMOTE_ADDR="203.0.113.7").post(
        f"/hits/{article.pk}/"
    )
    assert beacon.status_code == 200
    assert beacon.json() == {"count": 11}
    assert "no-store" in beacon["Cache-Control"] or "no-cache" in beacon["Cache-Control"]
    assert count(article) == 11


def test_signed_in_pages_are_never_cached(article, settings, admin_client):
    settings.PAGE_CACHE = "django"
    admin_client.get(article.url)
    assert not any(":page:" in key for key in caches["pages"]._cache)


# The beacon ---------------------------------------------------------------------------------


def beacon(page, reason="", ua=CHROME_UA):
    return Client(HTTP_USER_AGENT=ua, REMOTE_ADDR="203.0.113.7").post(
        f"/hits/{page.pk}/", HTTP_X_HIT_REASON=reason
    )


def test_beacon_in_server_mode_only_reports_the_count(article):
    assert beacon(article).json() == {"count": 10}
    assert count(article) == 10


def test_prerendered_view_counts_once_when_shown(article):
    view(article, HTTP_SEC_PURPOSE="prefetch;prerender")  # the prerender itself: not counted
    assert count(article) == 10
    assert beacon(article, reason="prerender").json() == {"count": 11}  # shown: counted
    assert beacon(article, reason="prerender").json() == {"count": 11}  # the same reader again
    assert count(article) == 11


def test_a_prerender_beacon_without_a_prerender_the_server_sent_counts_nothing(article):
    # What an attacker sends: "shown" for pages this reader's browser was never sent.
    for number in range(100):
        beacon(article, reason="prerender", ua=f"{CHROME_UA} {number}")
    assert count(article) == 10


def test_rotating_user_agents_from_one_address_add_at_most_the_cap(article, settings):
    settings.HITCOUNT_MAX_PER_ADDRESS = 5
    for number in range(100):
        view(article, ua=f"{CHROME_UA} rotation/{number}")
    assert count(article) == 15
    view(article, ip="203.0.113.99")  # another address still counts
    assert count(article) == 16


def test_addresses_of_one_ipv6_subscriber_share_the_cap(article, settings):
    settings.HITCOUNT_MAX_PER_ADDRESS = 5
    for number in range(1, 40):
        view(article, ip=f"2001:db8:1:2::{number:x}")
    assert count(article) == 15
    view(article, ip="2001:db8:1:3::1")  # the next /64 is another subscriber
    assert count(article) == 16


def test_the_address_cap_holds_in_redis_too(article, settings, redis_buffer):
    settings.HITCOUNT_MAX_PER_ADDRESS = 5
    for number in range(30):
        view(article, ua=f"{CHROME_UA} rotation/{number}")
    assert count(article) == 15


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_ORIGIN": "https://evil.example"},
        # No origin a browser sends: urlsplit() cannot read it.
        {"HTTP_ORIGIN": "http://[::1"},
        {"HTTP_ORIGIN": "http://[v1.x]:80"},
    ],
)
def test_a_cross_site_beacon_is_refused(article, settings, headers):
    settings.PAGE_CACHE = "cdn"
    settings.HITCOUNT_MODE = "beacon"
    response = Client(HTTP_USER_AGENT=CHROME_UA, REMOTE_ADDR="203.0.113.7").post(
        f"/hits/{article.pk}/", **headers
    )
    assert response.status_code == 403
    assert count(article) == 10


def test_the_sites_own_beacon_counts_in_cdn_mode(article, settings):
    settings.PAGE_CACHE = "cdn"
    settings.HITCOUNT_MODE = "beacon"
    response = Client(HTTP_USER_AGENT=CHROME_UA, REMOTE_ADDR="203.0.113.7").post(
        f"/hits/{article.pk}/", HTTP_SEC_FETCH_SITE="same-origin", HTTP_ORIGIN="http://testserver"
    )
    assert response.json() == {"count": 11}


def test_one_address_posting_the_beacon_too_often_is_refused(article, settings):
    settings.BEACON_RATE_LIMIT = "3/m"
    poster = Client(HTTP_USER_AGENT=CHROME_UA, REMOTE_ADDR="203.0.113.70")
    statuses = [poster.post(f"/hits/{article.pk}/").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert "频繁" in poster.post(f"/hits/{article.pk}/").json()["error"]
    other = Client(HTTP_USER_AGENT=CHROME_UA, REMOTE_ADDR="203.0.113.71")
    assert other.post(f"/hits/{article.pk}/").status_code == 200


def test_beacon_after_a_counted_view_does_not_count_again(article):
    view(article)
    assert beacon(article, reason="prefetch").json() == {"count": 11}


def test_beacon_ignores_crawlers_get_and_unknown_pages(article):
    assert beacon(article, reason="prerender", ua=CRAWLER_UAS["googlebot"]).json() == {"count": 10}
    assert Client().get(f"/hits/{article.pk}/").status_code == 405
    missing = Client(HTTP_USER_AGENT=CHROME_UA).post("/hits/999999/")
    assert missing.status_code == 404
    assert missing.json()["error"] == "文章不存在或尚未发布。"


# Redis buffering ----------------------------------------------------------------------------


def test_redis_buffers_views_and_the_shown_count_includes_them(article, redis_buffer):
    view(article)
    view(article, ip="198.51.100.2")
    assert PageHits.objects.get(page_id=article.pk).hits == 10  # not flushed yet
    assert count(article) == 12
    shown = view(article, ip="198.51.100.3").content.decode()
    assert "点击数：<span data-hit-count>13</span>" in shown
    assert store.flush() == 3
    assert PageHits.objects.get(page_id=article.pk).hits == 13
    assert PageDailyHits.objects.get(page_id=article.pk).hits == 3
    assert count(article) == 13
    assert store.flush() == 0


def test_views_arriving_during_a_flush_are_neither_lost_nor_doubled(
    article, redis_buffer, settings
):
    settings.HITCOUNT_WINDOW = 0
    for _ in range(5):
        view(article)
    real_add = store.add_to_database

    def add_while_readers_keep_coming(counts):
        for _ in range(4):
            view(article)  # lands in a new pending hash while the batch is being applied
        return real_add(counts)

    with mock.patch("news.hits.store.add_to_database", side_effect=add_while_readers_keep_coming):
        store.flush()
    assert PageHits.objects.get(page_id=article.pk).hits == 15
    assert count(article) == 19
    store.flush()
    assert PageHits.objects.get(page_id=article.pk).hits == 19


def test_crash_before_commit_loses_nothing(article, redis_buffer, settings):
    settings.HITCOUNT_WINDOW = 0
    for _ in range(3):
        view(article)
    with (
        mock.patch("news.hits.store.add_to_database", side_effect=RuntimeError("killed")),
        pytest.raises(RuntimeError),
    ):
        store.flush()
    assert PageHits.objects.get(page_id=article.pk).hits == 10
    assert count(article) == 13
    assert store.flush() == 3
    assert PageHits.objects.get(page_id=article.pk).hits == 13


def test_crash_after_commit_does_not_count_twice(article, redis_buffer, settings):
    settings.HITCOUNT_WINDOW = 0
    for _ in range(3):
        view(article)
    real_pipeline = redis_buffer.__class__.pipeline
    calls = []

    def pipeline_that_dies_at_cleanup(self, *args, **kwargs):
        pipe = real_pipeline(self, *args, **kwargs)
        real_delete = pipe.delete

        def delete(*keys):
            if any(key.startswith(store.BATCH_PREFIX) for key in keys):
                calls.append(keys)
                raise ConnectionError("killed between commit and cleanup")
            return real_delete(*keys)

        pipe.delete = delete
        return pipe

    client = site_redis.client()
    with (
        mock.patch.object(client.__class__, "pipeline", pipeline_that_dies_at_cleanup),
        pytest.raises(ConnectionError),
    ):
        store.flush()
    assert calls
    assert PageHits.objects.get(page_id=article.pk).hits == 13  # committed
    assert count(article) == 13  # the leftover batch is known to be applied
    redis_buffer.delete(store.LOCK_KEY)  # the crashed process never released its lock
    assert store.flush() == 0
    assert PageHits.objects.get(page_id=article.pk).hits == 13
    assert redis_buffer.smembers(store.BATCHES_KEY) == set()


def test_redis_down_falls_back_to_the_database(article, redis_buffer, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    site_redis.reset()
    response = view(article)
    assert response.status_code == 200
    assert PageHits.objects.get(page_id=article.pk).hits == 11
    assert "点击数：<span data-hit-count>11</span>" in response.content.decode()


def redis_away():
    """What every process sees while Redis is away: the store counts in the database."""
    return mock.patch("core.redis.available", return_value=False)


def stored(page):
    return PageHits.objects.get(page_id=page.pk).hits


def test_a_reader_counted_while_redis_was_away_counts_nothing_more_once_it_is_back(
    article, redis_buffer
):
    with redis_away():
        view(article)
    assert stored(article) == 11
    view(article)  # Redis never saw this reader: buffered, then found in the database
    assert store.flush() == 0
    assert stored(article) == count(article) == 11
    view(article)  # Redis remembers them now
    assert store.flush() == 0


def test_a_reader_buffered_in_redis_and_counted_again_while_it_was_away_counts_once(
    article, redis_buffer
):
    view(article)  # buffered, not yet flushed
    with redis_away():
        view(article)  # the database has not seen them: counted there
    assert stored(article) == 11
    assert store.flush() == 0
    assert stored(article) == 11


def test_flushed_readers_are_remembered_when_redis_forgets_them(article, redis_buffer):
    view(article)
    assert store.flush() == 1
    redis_buffer.flushdb()  # a Redis restart without persistence
    view(article)
    with redis_away():
        view(article)
    assert store.flush() == 0
    assert stored(article) == 11


def test_a_reader_whose_window_passed_between_two_buffered_views_counts_twice(
    article, redis_buffer, settings
):
    from datetime import timedelta

    from django.utils.timezone import now

    settings.HITCOUNT_WINDOW = 60
    view(article)
    redis_buffer.delete(*redis_buffer.keys(store.SEEN_PREFIX + "*"))  # its expiry, in Redis
    with mock.patch("news.hits.store.now", return_value=now() + timedelta(seconds=61)):
        view(article)  # in the same batch as the first
    assert store.flush() == 2
    assert stored(article) == 12


def test_views_of_an_article_deleted_before_the_flush_do_not_block_the_others(
    article, column, redis_buffer
):
    other = ArticlePageFactory(parent=column, hits=5)
    view(article)
    view(other)
    other.delete()
    assert store.flush() == 1
    assert PageHits.objects.get(page_id=article.pk).hits == 11
    assert redis_buffer.smembers(store.BATCHES_KEY) == set()


def test_flush_hits_command(article, redis_buffer):
    from io import StringIO

    from django.core.management import call_command

    view(article)
    out = StringIO()
    call_command("flush_hits", stdout=out)
    assert "1" in out.getvalue()
    assert PageHits.objects.get(page_id=article.pk).hits == 11


@pytest.mark.django_db(transaction=True)
def test_buffered_views_reach_the_database_by_themselves_while_there_is_traffic(
    redis_buffer, settings
):
    import time

    from news.sitetree import ensure_site_tree

    settings.HITCOUNT_WINDOW = 0
    settings.HITCOUNT_FLUSH_INTERVAL = 0.2
    store._last_flush = 0.0
    column = ensure_site_tree().root_page.get_children().get(slug="news")
    page = ArticlePageFactory(parent=column)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        view(page)  # traffic: each view may start a background flush
        if PageHits.objects.filter(page_id=page.pk, hits__gt=0).exists():
            break
        time.sleep(0.1)
    assert PageHits.objects.get(page_id=page.pk).hits > 0


def test_random_page_numbers_and_the_sitemap_with_a_query_never_fill_the_page_cache(
    article, settings
):
    settings.PAGE_CACHE = "django"
    reader = Client(HTTP_USER_AGENT=CHROME_UA)
    for junk in ["99999", "0", "-1", "01", "1e3", "abc", "１"]:
        assert reader.get("/news/", {"page": junk}).status_code == 200
        assert reader.get("/search/", {"q": "测试", "page": junk}).status_code in (200, 429)
    assert reader.get("/sitemap.xml", {"page": "123"}).status_code == 200
    assert reader.get("/news/", {"page": "1"}).status_code == 200  # the one real page
    keys = [key for key in caches["pages"]._cache if ":page:" in key]
    assert len(keys) == 1 and keys[0].endswith("/news/?page=1"), keys


def test_page_cache_ignores_requests_with_unknown_query_parameters(article, settings):
    settings.PAGE_CACHE = "django"
    Client(HTTP_USER_AGENT=CHROME_UA).get(article.url + "?utm_source=x")
    Client(HTTP_USER_AGENT=CHROME_UA).get("/news/?page=1")
    keys = [key for key in caches["pages"]._cache if ":page:" in key]
    assert len(keys) == 1 and keys[0].endswith("/news/?page=1")


def password_protected(article, secret="正确的密码"):  # noqa: S107 - a test page's password
    from wagtail.models import PageViewRestriction

    return PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password=secret
    )


def test_the_password_form_of_a_protected_article_counts_no_view(article):
    password_protected(article)
    response = view(article)
    assert response.status_code == 200 and "password" in response.content.decode().lower()
    assert count(article) == 10


def test_password_guesses_are_throttled_per_address(article, settings):
    settings.PAGE_PASSWORD_RATE_LIMIT = "3/m"
    restriction = password_protected(article)
    url = f"/_util/authenticate_with_password/{restriction.pk}/{article.pk}/"
    guesser = Client(HTTP_USER_AGENT=CHROME_UA, REMOTE_ADDR="203.0.113.60")
    statuses = [
        guesser.post(url, {"password": f"猜{n}", "return_url": article.url}).status_code
        for n in range(5)
    ]
    assert statuses[:3] == [200, 200, 200] and statuses[3:] == [429, 429]
    assert "密码尝试次数过多" in guesser.post(url, {"password": "x"}).content.decode()
    # The right password from another address still opens the article.
    reader = Client(HTTP_USER_AGENT=CHROME_UA, REMOTE_ADDR="203.0.113.61")
    opened = reader.post(url, {"password": "正确的密码", "return_url": article.url})
    assert opened.status_code == 302
    assert reader.get(article.url).status_code == 200
    assert count(article) == 11


@pytest.mark.parametrize(
    "return_url", ["https://evil.example/", "", "//evil.example/x", "javascript:alert(1)", "/%"]
)
def test_the_right_password_leads_to_the_page_whatever_return_url_says(article, return_url):
    restriction = password_protected(article)
    url = f"/_util/authenticate_with_password/{restriction.pk}/{article.pk}/"
    reader = Client(HTTP_USER_AGENT=CHROME_UA)
    opened = reader.post(url, {"password": "正确的密码", "return_url": return_url})
    assert opened.status_code == 302
    if return_url != "/%":  # the site's own address, odd as it is, is kept
        assert opened["Location"] == article.url
    assert reader.get(article.url).status_code == 200


def test_the_structured_data_shows_the_same_count_as_the_page(article, settings):
    import json as json_module
    import re as re_module

    settings.PAGE_CACHE = "django"
    for number in range(3):  # the first renders and is kept; the others come from the cache
        html = view(article, ip=f"203.0.113.{20 + number}").content.decode()
        shown = int(re_module.search(r"<span data-hit-count>(\d+)</span>", html).group(1))
        data = re_module.search(
            r'<script type="application/ld\+json">(.*?)</script>', html, re_module.S
        )
        structured = json_module.loads(data.group(1))["interactionStatistic"][
            "userInteractionCount"
        ]
        assert shown == structured == 11 + number


# Decided in one place (news/hits/counting.py) -------------------------------------------------


def served(article, **headers):
    """A reader's request for the article, as ArticlePage.serve marks it once Wagtail serves it."""
    from news.models import COUNTABLE_PAGE_ATTR

    request = RequestFactory(HTTP_USER_AGENT=CHROME_UA, REMOTE_ADDR="203.0.113.7", **headers).get(
        article.url
    )
    setattr(request, COUNTABLE_PAGE_ATTR, article.pk)
    return request


def test_a_view_is_decided_once_however_often_its_number_is_asked(article):
    request = served(article)
    assert counting.shown_count(request, article.pk) == 11
    assert counting.shown_count(request, article.pk) == 11
    assert count(article) == 11


def test_only_the_article_wagtail_served_is_counted(article):
    request = RequestFactory(HTTP_USER_AGENT=CHROME_UA).get(article.url)
    assert counting.shown_count(request, article.pk) == 10
    other = served(article)
    assert counting.shown_count(other, article.pk + 1) == 0  # another page's number: not counted
    assert count(article) == 10


def test_a_prefetch_is_noted_not_counted(article):
    request = served(article, HTTP_SEC_PURPOSE="prefetch")
    assert counting.shown_count(request, article.pk) == 10
    assert beacon(article, reason="prefetch").json() == {"count": 11}


def test_a_kept_article_holds_no_number_and_each_answer_writes_the_current_one(article, settings):
    from core import generation

    settings.PAGE_CACHE = "django"
    settings.HITCOUNT_WINDOW = 0
    view(article)
    kept = generation.get(f"page:testserver:{article.url}", tier="pages", articles=False)
    assert len(kept["pieces"]) == 3 and kept["count"] == 11
    assert not any(b">11</span>" in piece for piece in kept["pieces"])
    html = view(article).content.decode()
    assert "点击数：<span data-hit-count>12</span>" in html
    assert '"userInteractionCount": 12' in html


def test_a_prefetch_of_a_kept_article_counts_when_its_beacon_reports_it_shown(article, settings):
    settings.PAGE_CACHE = "django"
    view(article, ip="198.51.100.9")  # rendered, kept and counted: 11
    response = view(article, HTTP_SEC_PURPOSE="prefetch;prerender")  # kept: not counted
    assert "点击数：<span data-hit-count>11</span>" in response.content.decode()
    assert count(article) == 11
    assert beacon(article, reason="prerender").json() == {"count": 12}
