"""Faults: the database or the cache going away, a worker killed in the middle of its work, a
publish failing half-way. Readers get a Chinese 503 and no traceback while the database is gone,
and the site recovers by itself; no click that was answered and no revision that was saved is lost;
a failed publish leaves the old version live; and nginx in front answers in Chinese when every
application server is down or an upload is over its cap."""

import os
import re
import shutil
import signal
import threading
import time
from types import SimpleNamespace

import psycopg2
import pytest
from wagtail.signals import page_published

from news.hits import store
from news.models import ArticlePage
from stack.nginx import Nginx
from stack.raw_http import AdminSession
from stack.services import PG_BIN, PrivatePostgres, PrivateRedis, free_port, wait_for
from stack.site import (
    ADMIN_PASSWORD,
    Gunicorn,
    manage,
    prepared_postgres_site,
    prepared_sqlite_site,
)
from tests.admin_forms import article_form
from tests.factories import ArticlePageFactory

# A private PostgreSQL cluster and Redis server of its own, whatever DATABASE_URL says.

needs_postgres_programs = pytest.mark.skipif(
    PG_BIN is None or os.geteuid() != 0 or not shutil.which("runuser"),
    reason="needs PostgreSQL's programs and root (to run a private cluster as postgres)",
)


# A publish that fails half-way ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_publish_failing_half_way_leaves_the_old_version_live(reader, column):
    page = ArticlePageFactory(parent=column, title="旧标题")
    page.save_revision().publish()
    old_revision = ArticlePage.objects.get(pk=page.pk).live_revision_id
    page.title = "新标题"
    revision = page.save_revision()

    def fail(**kwargs):
        raise RuntimeError("injected: the step after saving the page fails")

    page_published.connect(fail, dispatch_uid="injected-failure")
    try:
        with pytest.raises(RuntimeError, match="injected"):
            revision.publish()
    finally:
        page_published.disconnect(dispatch_uid="injected-failure")

    stored = ArticlePage.objects.get(pk=page.pk)
    assert stored.title == "旧标题"
    assert stored.live_revision_id == old_revision
    html = reader.get(stored.url).content.decode()
    assert "旧标题" in html and "新标题" not in html

    revision.publish()  # the same revision publishes once the fault is gone
    assert ArticlePage.objects.get(pk=page.pk).title == "新标题"


# The production stack on a private PostgreSQL ---------------------------------------------------


@pytest.fixture(scope="module")
def postgres(tmp_path_factory):
    cluster = PrivatePostgres()
    environment = prepared_postgres_site(
        cluster.url,
        tmp_path_factory.mktemp("site"),
        PAGE_CACHE="off",
        HITCOUNT_WINDOW=0,
        DB_CONN_MAX_AGE=60,
    )
    yield cluster, environment
    cluster.close()


def query(cluster, sql, *args):
    with psycopg2.connect(cluster.url) as connection, connection.cursor() as cursor:
        cursor.execute(sql, args)
        return cursor.fetchall()


def first_article(stack):
    html = stack.request("GET", "/news/").text
    return re.search(r'href="(/news/\d{4}/\d{4}/(\d+)/)"', html).groups()


def assert_no_traceback(stack):
    assert "Traceback" not in stack.log(), stack.log()[-5000:]


@needs_postgres_programs
def test_readers_get_a_503_while_postgres_is_down_and_the_site_recovers_by_itself(
    postgres, tmp_path
):
    cluster, environment = postgres
    # One worker, so that the page cache (in its memory) is the one every request meets.
    stack = Gunicorn({**environment, "PAGE_CACHE": "django"}, tmp_path / "gunicorn.log", workers=1)
    try:
        article, _ = first_article(stack)
        assert stack.request("GET", article).status == 200  # now in the page cache
        cluster.stop()
        for path in ["/news/?page=2", "/", "/search/?q=abc", "/contact/"]:
            answer = stack.request("GET", path)
            assert answer.status == 503, f"{path}: {answer.status}"
            assert "网站暂时无法访问" in answer.text
            assert answer.headers["retry-after"] == "30"
        # A page the cache holds is still served (its view cannot be counted meanwhile).
        assert stack.request("GET", article).status == 200
        cluster.start()
        back = time.monotonic()
        assert wait_for(lambda: stack.request("GET", "/news/?page=2").status == 200, seconds=10)
        recovered_in = time.monotonic() - back
        assert recovered_in < 5, recovered_in
        assert stack.request("GET", "/news/").status == 200
        assert "database unavailable" in stack.log()
        assert_no_traceback(stack)
    finally:
        stack.close()


@needs_postgres_programs
def test_a_worker_killed_under_load_loses_no_answered_click_and_no_saved_revision(
    postgres, tmp_path
):
    cluster, environment = postgres
    stack = Gunicorn(environment, tmp_path / "gunicorn.log", workers=3)
    try:
        article, page_id = first_article(stack)
        [(column_id,)] = query(
            cluster, "SELECT id FROM wagtailcore_page WHERE slug = %s AND depth = 3", "news"
        )
        [(before,)] = query(
            cluster, "SELECT coalesce(sum(hits), 0) FROM news_pagehits WHERE page_id = %s", page_id
        )
        answered, sent, saved, stop = [0], [0], [], threading.Event()
        lock = threading.Lock()

        def reader():
            while not stop.is_set():
                with lock:
                    sent[0] += 1
                try:
                    if stack.request("GET", article, timeout=5).status == 200:
                        with lock:
                            answered[0] += 1
                except OSError:
                    pass  # the connection the killed worker held

        def editor():
            admin = AdminSession(stack, ADMIN_PASSWORD)
            add = f"/admin/pages/add/news/articlepage/{column_id}/"
            number = 0
            while not stop.is_set():
                number += 1
                title = f"断电测试稿件{number}"
                try:
                    if admin.post_form(add, article_form(title=title)).status == 302:
                        saved.append(title)
                except OSError:
                    pass

        threads = [threading.Thread(target=reader) for _ in range(4)]
        threads.append(threading.Thread(target=editor))
        for thread in threads:
            thread.start()
        # Under load: readers answered and the editor's first draft saved, however long the
        # machine takes to get there; then the kill, and load until more is saved after it.
        assert wait_for(lambda: answered[0] > 50 and saved, seconds=60)
        os.kill(stack.worker_pids()[0], signal.SIGKILL)
        saved_before_kill, answered_before_kill = len(saved), answered[0]
        wait_for(
            lambda: len(saved) > saved_before_kill and answered[0] > answered_before_kill + 50,
            seconds=60,
        )
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

        [(after,)] = query(
            cluster, "SELECT coalesce(sum(hits), 0) FROM news_pagehits WHERE page_id = %s", page_id
        )
        assert answered[0] > 50 and saved
        # Every answered view was committed before its answer was sent; a view cut off by the
        # kill may or may not have been.
        assert answered[0] <= after - before <= sent[0]
        stored = {
            title
            for (title,) in query(
                cluster,
                "SELECT p.title FROM wagtailcore_page p JOIN wagtailcore_revision r "
                "ON r.object_id = p.id::text WHERE p.title LIKE %s",
                "断电测试稿件%",
            )
        }
        assert set(saved) <= stored
        assert stack.request("GET", article).status == 200  # gunicorn replaced the worker
    finally:
        stack.close()


# The production stack with Redis as cache and click buffer ------------------------------------


@pytest.fixture(scope="module")
def with_redis(tmp_path_factory):
    folder = tmp_path_factory.mktemp("redis-site")
    redis = PrivateRedis()
    environment = prepared_sqlite_site(
        folder,
        REDIS_URL=redis.url,
        PAGE_CACHE="django",
        HITCOUNT_WINDOW=0,
        HITCOUNT_FLUSH_INTERVAL=0.2,
    )
    yield redis, environment, folder
    redis.close()


def stored_hits(folder, page_id):
    import sqlite3

    with sqlite3.connect(folder / "site.sqlite3") as connection:
        row = connection.execute(
            "SELECT hits FROM news_pagehits WHERE page_id = ?", (page_id,)
        ).fetchone()
    return row[0] if row else 0


def test_with_redis_stopped_pages_keep_serving_and_clicks_go_to_the_database(with_redis, tmp_path):
    redis, environment, folder = with_redis
    stack = Gunicorn(environment, tmp_path / "gunicorn.log")
    try:
        article, page_id = first_article(stack)
        start = stored_hits(folder, page_id)
        for _ in range(5):
            assert stack.request("GET", article).status == 200
        manage(environment, "flush_hits")  # as cron would; a flush also follows traffic
        assert stored_hits(folder, page_id) == start + 5

        redis.stop()
        for path in [article, "/", "/news/", "/search/?q=abc", "/contact/"] * 2:
            answer = stack.request("GET", path)
            assert answer.status == 200, f"{path}: {answer.status}"
        assert stored_hits(folder, page_id) == start + 7  # counted straight into the database

        redis.start()
        time.sleep(5.5)  # Redis is asked again once its retry pause has passed (core/redis.py)
        for _ in range(3):
            assert stack.request("GET", article).status == 200
        manage(environment, "flush_hits")
        assert stored_hits(folder, page_id) == start + 10
        assert "Redis unreachable" in stack.log()
        assert_no_traceback(stack)
    finally:
        stack.close()


# A Redis restart, with persistence on ------------------------------------------------------


@pytest.fixture(scope="module")
def persistent_redis(tmp_path_factory):
    folder = tmp_path_factory.mktemp("persistent-redis-site")
    redis = PrivateRedis(folder=folder / "redis")
    environment = prepared_sqlite_site(
        folder,
        REDIS_URL=redis.url,
        PAGE_CACHE="django",
        # Views stay in Redis until flush_hits, so that the restart meets all of them.
        HITCOUNT_FLUSH_INTERVAL=0,
        # Each reader an address of their own, as nginx passes it on.
        HITCOUNT_TRUSTED_PROXIES=1,
    )
    yield redis, environment, folder
    redis.close()


def buffered_views(redis, page_id):
    import redis as redis_client

    client = redis_client.Redis.from_url(redis.url, decode_responses=True)
    return int(client.hget(store.PENDING_KEY, f"t:{page_id}") or 0)


def test_a_redis_restart_with_persistence_loses_no_view_and_counts_each_reader_once(
    persistent_redis, tmp_path
):
    redis, environment, folder = persistent_redis
    stack = Gunicorn(environment, tmp_path / "gunicorn.log", workers=2)
    try:
        article, page_id = first_article(stack)
        start = stored_hits(folder, page_id)

        def read(*numbers):
            for number in numbers:
                reader = {"X-Forwarded-For": f"198.51.100.{number}"}
                assert stack.request("GET", article, headers=reader).status == 200

        read(*range(12))  # twelve readers, their views buffered in Redis
        assert buffered_views(redis, page_id) == 12
        redis.stop()
        read(*range(4), *range(12, 16))  # four of them again and four new, into the database
        redis.start()
        kept = buffered_views(redis, page_id)
        time.sleep(5.5)  # Redis is asked again once its retry pause has passed (core/redis.py)
        # Eight of the first twelve, the four seen while Redis was away, and four new readers.
        read(*range(8), *range(12, 16), *range(16, 20))
        manage(environment, "flush_hits")
        counted = stored_hits(folder, page_id) - start
        assert (kept, counted) == (12, 20), (
            f"kept {kept} of 12 buffered views; 20 readers counted {counted}"
        )
        assert "Redis unreachable" in stack.log()
        assert_no_traceback(stack)
    finally:
        stack.close()


def test_a_view_whose_worker_dies_before_answering_is_counted_and_its_reload_is_not(
    persistent_redis, tmp_path
):
    # The trade-off news/hits/counting.py documents: the count is written into the page, so
    # it is made before the page leaves the worker.
    redis, environment, folder = persistent_redis
    stack = Gunicorn(environment, tmp_path / "gunicorn.log", workers=2, app="tests.dying_worker")
    try:
        article, page_id = first_article(stack)
        start = stored_hits(folder, page_id) + buffered_views(redis, page_id)
        reader = {"X-Forwarded-For": "198.51.100.200"}
        with pytest.raises(ConnectionResetError):  # behind nginx: a 502
            stack.request("GET", article, headers={**reader, "X-Test-Die-Before-Sending": "1"})
        assert stored_hits(folder, page_id) + buffered_views(redis, page_id) == start + 1
        assert stack.request("GET", article, headers=reader).status == 200  # another worker
        manage(environment, "flush_hits")
        assert stored_hits(folder, page_id) == start + 1
    finally:
        stack.close()


# nginx's own answers ------------------------------------------------------------------------


@pytest.mark.skipif(
    not shutil.which("nginx"), reason="needs Debian's nginx (apt-get install nginx-light)"
)
def test_nginx_answers_in_chinese_when_no_server_answers_and_when_an_upload_is_too_big(tmp_path):
    # deploy/nginx.conf in front of an address where no application server listens.
    nginx = Nginx(tmp_path, [SimpleNamespace(port=free_port())])
    try:
        down = nginx.request("GET", "/")
        assert down.status == 502
        assert "服务器正忙或正在维护" in down.text and "Bad Gateway" not in down.text
        assert down.headers["cache-control"] == "no-store"
        too_big = nginx.request(
            "POST", "/admin/documents/multiple/add/", body=b"x" * (22 * 1024 * 1024)
        )
        assert too_big.status == 413
        assert "上传的文件超过了网站允许的大小" in too_big.text
        assert "Request Entity Too Large" not in too_big.text
        # The pages themselves are not an address of the site.
        assert nginx.request("GET", "/_errors/50x.html").status == 404
    finally:
        nginx.close()
