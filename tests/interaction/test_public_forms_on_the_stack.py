"""互动交流's public forms on the production stack (gunicorn with three workers, production
settings), once on a SQLite database of its own and once on PostgreSQL with Redis counting the
limits, over raw sockets: one address sending 30 messages is
refused, with its form back, after exactly INTERACTION_SEND_RATE, whichever worker answers; a
storm of wrong 查询码 is throttled per address and per 受理编号 from many addresses; and no
malformed post (empty, 100,000 characters, NUL bytes, emoji, lists, broken bodies, no CSRF
token) gets a server error, nor leaves a traceback in the log.

The question each form asks is answered from the database, as the server reads it.
"""

import re
import shutil
import sqlite3
import time
import uuid
from urllib.parse import quote, urlencode

import pytest

from stack.raw_http import CHROME_UA
from stack.services import PrivateRedis, create_database, drop_database, postgres_answers
from stack.site import Gunicorn, prepared_postgres_site, prepared_sqlite_site

SEND_LIMIT = 5
LOOKUP_LIMIT = 8
NUMBER_LIMIT = 12
CHANNEL = "/liuyan/"
HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')
CHINESE = re.compile("[\u4e00-\u9fff]")


LIMITS = {
    "SCHEDULER_ENABLED": 0,
    "HITCOUNT_TRUSTED_PROXIES": 1,
    "INTERACTION_MIN_FILL_SECONDS": 0,
    "INTERACTION_SEND_RATE": f"{SEND_LIMIT}/h",
    "INTERACTION_LOOKUP_RATE": f"{LOOKUP_LIMIT}/h",
    "INTERACTION_NUMBER_LOOKUP_RATE": f"{NUMBER_LIMIT}/h",
}


@pytest.fixture(scope="module", params=["sqlite", "postgres-redis"])
def live(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"interaction-{request.param}")
    private = {"INTERACTION_FILES_DIR": folder / "private"}
    if request.param == "sqlite":
        environment = prepared_sqlite_site(folder, **LIMITS, **private)
        stack = Gunicorn(environment, folder / "gunicorn.log", workers=3)
        stack.database = folder / "site.sqlite3"
        yield stack
        stack.close()
        return
    if not postgres_answers():
        pytest.skip("PostgreSQL is not answering on 127.0.0.1:5432")
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server")
    name = f"sitecms_interaction_{uuid.uuid4().hex[:8]}"
    database_url = create_database(name)
    redis = PrivateRedis()
    try:
        environment = prepared_postgres_site(
            database_url, folder, REDIS_URL=redis.url, **LIMITS, **private
        )
        stack = Gunicorn(environment, folder / "gunicorn.log", workers=3)
        stack.database = database_url
        yield stack
        stack.close()
    finally:
        redis.close()
        drop_database(name)


class Reader:
    """A browser at one address: its cookies (the CSRF token's among them)."""

    def __init__(self, live, address):
        self.live, self.address, self.cookies = live, address, {}

    def send(self, method, path, body=b"", content_type=None):
        headers = {"User-Agent": CHROME_UA, "X-Forwarded-For": self.address}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
            headers["Origin"] = "http://127.0.0.1"  # the Host raw requests name
        answer = self.live.request(method, path, headers=headers, body=body)
        for name, value in answer.all_headers:
            if name == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";")[0]
        return answer

    def form(self, path):
        """The hidden fields of the form at `path`, the CSRF token and the question answered."""
        answer = self.send("GET", path)
        assert answer.status == 200, answer.text[:500]
        values = {k: v for k, v in HIDDEN.findall(answer.text) if k != "csrfmiddlewaretoken"}
        values["csrfmiddlewaretoken"] = self.cookies["csrftoken"]
        if "captcha_key" in values:
            values["captcha_answer"] = answer_of(self.live, values["captcha_key"])
        return values

    def post(self, path, data):
        body = urlencode(data, doseq=True).encode()
        return self.send("POST", path, body, "application/x-www-form-urlencoded")


def answer_of(live, key):
    """The answer the captcha app keeps for the question `key`, read from the stack's database."""
    query = "SELECT response FROM captcha_captchastore WHERE hashkey = {}"
    if isinstance(live.database, str):
        import psycopg2

        with psycopg2.connect(live.database) as database, database.cursor() as cursor:
            cursor.execute(query.format("%s"), [key])
            return cursor.fetchone()[0]
    with sqlite3.connect(live.database) as database:
        return database.execute(query.format("?"), [key]).fetchone()[0]


MESSAGE = {
    "category": "question",
    "title": "社区党群服务中心开放时间",
    "content": "请问周末是否开放？",
    "name": "张三",
    "phone": "13800000000",
    "agree_privacy": "on",
    "homepage": "",
}


def assert_log_clean(live):
    log = live.log()
    assert "Traceback" not in log, log[-5000:]
    assert "Internal Server Error" not in log, log[-5000:]


def clear_of_the_hours_edge(margin=120):
    """The limits count in windows of the clock (core/limits.py: an hour from :00 for these
    rates); a test's requests must not straddle the top of an hour, or a limit would start again
    halfway through them. Within `margin` seconds of it, wait until it has passed."""
    left = 3600 - time.time() % 3600
    if left < margin:
        time.sleep(left + 1)


@pytest.fixture
def one_window():
    clear_of_the_hours_edge()


@pytest.mark.usefixtures("one_window")
def test_thirty_sendings_from_one_address_stop_at_the_limit_on_every_worker(live):
    reader = Reader(live, "203.0.113.30")
    statuses, numbers = [], []
    for number in range(30):
        answer = reader.post(
            CHANNEL, {**reader.form(CHANNEL), **MESSAGE, "title": f"来信{number:02d}号标题"}
        )
        statuses.append(answer.status)
        if answer.status == 200:
            numbers += re.findall(r'id="receipt-number">(\w+-\d+)<', answer.text)
        else:
            assert "太频繁" in answer.text and f"来信{number:02d}号标题" in answer.text
    assert statuses == [200] * SEND_LIMIT + [429] * (30 - SEND_LIMIT)
    assert len(set(numbers)) == SEND_LIMIT
    # Another address is not held back by this one.
    other = Reader(live, "198.51.100.30")
    assert other.post(CHANNEL, {**other.form(CHANNEL), **MESSAGE}).status == 200
    assert_log_clean(live)


def sent_message(live, address):
    """(受理编号, 查询码) of a message sent from `address`."""
    sender = Reader(live, address)
    sent = sender.post(CHANNEL, {**sender.form(CHANNEL), **MESSAGE})
    number = re.search(r'id="receipt-number">(\w+-\d+)<', sent.text).group(1)
    return number, "".join(re.search(r'id="receipt-code">(\w{5}) (\w{5})<', sent.text).groups())


@pytest.mark.usefixtures("one_window")
def test_a_storm_of_wrong_codes_is_throttled_per_address(live):
    number, code = sent_message(live, "192.0.2.40")
    guesser = Reader(live, "192.0.2.41")
    token = guesser.form("/hudong/chaxun/")
    answers = [
        guesser.post("/hudong/chaxun/", {**token, "number": number, "code": f"WRONG{i:05d}"})
        for i in range(LOOKUP_LIMIT + 5)
    ]
    assert [answer.status for answer in answers] == [200] * LOOKUP_LIMIT + [429] * 5
    assert "受理编号或查询码不正确" in answers[0].text and "查询次数过多" in answers[-1].text
    # The right code from that address waits too; from another it is found.
    assert guesser.post("/hudong/chaxun/", {**token, "number": number, "code": code}).status == 429
    writer = Reader(live, "192.0.2.42")
    found = writer.post(
        "/hudong/chaxun/", {**writer.form("/hudong/chaxun/"), "number": number, "code": code}
    )
    assert found.status == 200 and "待受理" in found.text
    assert_log_clean(live)


@pytest.mark.usefixtures("one_window")
def test_a_storm_of_wrong_codes_from_many_addresses_is_throttled_per_number(live):
    number, code = sent_message(live, "192.0.2.50")
    statuses = []
    for i in range(NUMBER_LIMIT + 3):
        guesser = Reader(live, f"2001:db8:{i + 1:x}::1")
        token = guesser.form("/hudong/chaxun/")
        statuses.append(
            guesser.post(
                "/hudong/chaxun/", {**token, "number": number, "code": "23456789AB"}
            ).status
        )
    assert statuses == [200] * NUMBER_LIMIT + [429] * 3
    # The storm locks out no writer: the right code is found.
    writer = Reader(live, "192.0.2.51")
    found = writer.post(
        "/hudong/chaxun/", {**writer.form("/hudong/chaxun/"), "number": number, "code": code}
    )
    assert found.status == 200 and "待受理" in found.text
    assert_log_clean(live)


def test_malformed_posts_never_get_a_server_error(live):
    reader = Reader(live, "203.0.113.77")
    token = reader.form(CHANNEL)
    bad_values = [
        {},
        {"title": ""},
        {"title": "x" * 100_000, "content": "y" * 100_000, "name": "z" * 100_000},
        {"title": "标题\x00空字符", "content": "\x00" * 10, "captcha_key": "\x00"},
        {"title": "😀" * 41, "content": "🧧" * 2001, "email": "😀@例子.中国"},
        {"category": ["question", "complaint"], "title": ["a", "b"], "phone": ["1", "2"]},
        {"started": "x" * 100_000, "captcha_key": "k" * 100_000, "captcha_answer": "1" * 1000},
        {"status": "replied", "reply": "<script>", "address": "::1", "unit": "x"},
        {"number": "\x00" * 50, "code": "😀" * 30, "satisfaction": ["a", "b"], "rate": "1"},
    ]
    for place, path in enumerate([CHANNEL, "/hudong/jiucuo/", "/hudong/chaxun/"]):
        for number, values in enumerate(bad_values):
            reader.address = f"10.{place}.{number}.1"  # each post within every limit
            answer = reader.post(path, {**token, **MESSAGE, **values})
            assert answer.status in {200, 400, 429}, (path, values.keys(), answer.status)
            assert CHINESE.search(answer.text), (path, answer.status)
        for query in ["?url=" + "x" * 8000, "?url=%00&text=%00", "?url=" + quote("😀") * 500]:
            assert reader.send("GET", "/hudong/jiucuo/" + query).status < 500
    form = "application/x-www-form-urlencoded"
    for path in [CHANNEL, "/hudong/jiucuo/", "/hudong/chaxun/"]:
        for content_type, body in [
            (form, b"a=%FF%FE&b=%00&" + b"c" * 5000),
            ("multipart/form-data; boundary=xyz", b"--xyz\r\ngarbage\r\n--xy"),
            ("application/json", b"{" * 10_000),
        ]:
            assert reader.send("POST", path, body, content_type).status < 500
        # No CSRF token: the site's Chinese 403 page.
        stranger = Reader(live, "203.0.113.78")
        refused = stranger.post(path, MESSAGE)
        assert refused.status == 403 and "安全验证" in refused.text
    assert_log_clean(live)
