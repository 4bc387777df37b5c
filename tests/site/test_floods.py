"""Floods leave the site answering: the production stack (gunicorn with 3 workers, production
settings, SQLite, the page cache on, 2,000 generated articles from bench/corpus.py) while six
clients, each request from a new address, send searches of 24 characters separated by spaces in a
new order each time, or ask for /sitemap.xml with a new query string each time, for
FLOOD_SECONDS. And one client searching too often is told in Chinese to wait, after exactly the
searches the limit allows, whichever worker answers (core/limits.py).

A new address with every request, as from many machines behind the proxy
(HITCOUNT_TRUSTED_PROXIES=1), is what no per-address limit can stop: the cost bound of each search
(news/search/queries.py, news/search/views.py) and the kept sitemap (news/sitemap_xml.py) are
what is tested. `make bench` (bench/search_flood.py) measures the search flood on 10,000 articles
against tight goals; this test only bounds the damage.
"""

import random
import re
import subprocess
import sys
import threading
import time
from urllib.parse import quote

import pytest

from stack.site import ROOT, Gunicorn, overruns, prepared_sqlite_site

# The production stack on a SQLite database of its own, whatever DATABASE_URL says.

CHARACTERS = "党建社会组织服务中心工作会议召开活动学习教育主题"
CORPUS = 2_000
FLOODERS = 6
FLOOD_SECONDS = 10
# Each worker's first search loads what searching needs; the reader starts once that is done.
RAMP_SECONDS = 1
RATE_LIMIT = 10
# A reader waits for at most a search already running on every worker; a search gives up after
# SEARCH_TIME_LIMIT (1.5 s) and takes a small fraction of that here. One second leaves room for a
# busy machine; the benchmark holds the tight goal (200 ms).
READER_P99_SECONDS = 1.0
# What the sitemap flood asks of a worker is a kept document: a reader hardly waits.
READER_P99_SITEMAP_FLOOD_SECONDS = 0.2
# On a machine busy with other work every answer is slower, flood or not: a reader may then wait
# this many times what the same reader waited just before the flood (the bounds above hold on a
# machine that is not busy, where that is a few milliseconds).
BUSY_MACHINE_FACTOR = 10
QUIET_READS = 30


def searched(characters):
    return "/search/?q=" + quote(" ".join(characters))


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    folder = tmp_path_factory.mktemp("search-flood")
    environment = prepared_sqlite_site(
        folder,
        SCHEDULER_ENABLED=0,
        PAGE_CACHE="django",
        HITCOUNT_TRUSTED_PROXIES=1,
        SEARCH_RATE_LIMIT=f"{RATE_LIMIT}/m",
        # A search that escaped its bounds would run past this, and gunicorn's log would say so
        # within the flood.
        GUNICORN_TIMEOUT=5,
    )
    subprocess.run(
        [sys.executable, "bench/corpus.py", str(CORPUS)],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
    )
    stack = Gunicorn(environment, folder / "gunicorn.log", workers=3)
    yield stack
    stack.close()


def an_article(live):
    html = live.request("GET", "/news/?page=20").text
    return re.search(r'href="(/news/\d{4}/\d{4}/\d+/)"', html).group(1)


def flood_while_reading(live, ask, article, seconds=FLOOD_SECONDS):
    """Six clients send `ask(shuffler)`'s paths for `seconds`, each from a new address, while a
    reader reads the page-cached `article`; the reader's times, after checking that nothing
    failed."""
    assert live.request("GET", article).status == 200  # now in the page cache
    stop = time.monotonic() + seconds
    statuses, reader_seconds = [], []

    def flood(number):
        shuffler = random.Random(number)
        while time.monotonic() < stop:
            address = f"198.51.{shuffler.randrange(256)}.{shuffler.randrange(1, 255)}"
            answer = live.request(
                "GET", ask(shuffler), headers={"X-Forwarded-For": address}, timeout=30
            )
            statuses.append(answer.status)

    def read():
        time.sleep(RAMP_SECONDS)
        while time.monotonic() < stop:
            answer, seconds = read_as_the_reader(live, article)
            reader_seconds.append(seconds)
            statuses.append(answer.status)

    clients = [threading.Thread(target=flood, args=(n,)) for n in range(FLOODERS)]
    clients.append(threading.Thread(target=read))
    for client in clients:
        client.start()
    for client in clients:
        client.join()

    log = live.log()
    assert overruns(log) == 0, log[-3000:]
    assert not [status for status in statuses if status >= 500], sorted(set(statuses))
    assert len(statuses) - len(reader_seconds) >= FLOODERS  # the flood did reach the site
    return sorted(reader_seconds)


def read_as_the_reader(live, article):
    """The reader's answer for `article`, and how long it took."""
    start = time.monotonic()
    answer = live.request("GET", article, headers={"X-Forwarded-For": "192.0.2.1"})
    return answer, time.monotonic() - start


def p99(seconds):
    return seconds[int(len(seconds) * 0.99)]


def allowed_wait(live, article, bound):
    """`bound`, or more on a busy machine: BUSY_MACHINE_FACTOR times the reader's p99 over
    QUIET_READS reads of `article` with no flood, once it is in the page cache."""
    assert live.request("GET", article).status == 200
    seconds = sorted(read_as_the_reader(live, article)[1] for _ in range(QUIET_READS))
    return max(bound, BUSY_MACHINE_FACTOR * p99(seconds))


def test_a_flood_of_common_character_searches_leaves_readers_answered(live):
    def ask(shuffler):
        return searched(shuffler.sample(CHARACTERS, len(CHARACTERS)))

    article = an_article(live)
    allowed = allowed_wait(live, article, READER_P99_SECONDS)
    reader_seconds = flood_while_reading(live, ask, article)
    slowest = p99(reader_seconds)
    assert slowest < allowed, (
        f"p99 {slowest:.3f} s (allowed {allowed:.3f} s) over {len(reader_seconds)} reads"
    )


def test_a_flood_of_sitemap_query_strings_leaves_readers_answered(live):
    def ask(shuffler):
        junk = f"{shuffler.randrange(10**9)}={shuffler.randrange(10**9)}"
        return f"/sitemap.xml?{junk}" if shuffler.random() < 0.5 else f"/sitemap.xml?p=2&{junk}"

    article = an_article(live)
    allowed = allowed_wait(live, article, READER_P99_SITEMAP_FLOOD_SECONDS)
    # Half as long: each request of this flood is answered at once.
    reader_seconds = flood_while_reading(live, ask, article, FLOOD_SECONDS / 2)
    slowest = p99(reader_seconds)
    assert slowest < allowed, (
        f"p99 {slowest:.3f} s (allowed {allowed:.3f} s) over {len(reader_seconds)} reads"
    )


def wait_for_a_fresh_minute():
    """Limits count in minutes of the clock: a test's few requests stay within one."""
    if time.time() % 60 > 50:
        time.sleep(61 - time.time() % 60)


def test_a_client_searching_too_often_is_told_in_chinese_to_wait(live):
    shuffler = random.Random(1)
    wait_for_a_fresh_minute()
    statuses = []
    # However the searches are spread over the three workers, the limit is one count.
    for _ in range(RATE_LIMIT + 1):
        path = searched(shuffler.sample(CHARACTERS, 4))
        answer = live.request("GET", path, headers={"X-Forwarded-For": "203.0.113.7"})
        statuses.append(answer.status)
    assert statuses == [200] * RATE_LIMIT + [429]
    assert "搜索太频繁了，请稍候一分钟再试。" in answer.text
    # Another reader searches on.
    answer = live.request("GET", searched("党建"), headers={"X-Forwarded-For": "203.0.113.8"})
    assert answer.status == 200
