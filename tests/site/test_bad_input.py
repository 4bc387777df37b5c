"""Bots' and broken clients' requests, fired at the production stack (gunicorn, production
settings) as bytes on a socket: every answer is a 2xx, 3xx or 4xx, every error page that reaches
the site is in Chinese, and the server's log holds no traceback."""

import io
import json
import re
import secrets
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from PIL import Image as PillowImage

from stack.raw_http import AdminSession
from stack.site import ADMIN_PASSWORD, Gunicorn, prepared_sqlite_site

CHINESE = re.compile("[\u4e00-\u9fff]")


# The production stack on a SQLite database of its own, whatever DATABASE_URL says.


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad-input")
    # The corpus is not a password guesser.
    environment = prepared_sqlite_site(folder, LOGIN_FAILURE_LIMIT=1000)
    stack = Gunicorn(environment, folder / "gunicorn.log")
    yield stack
    stack.close()


@pytest.fixture(scope="module")
def article(live):
    html = live.request("GET", "/news/").text
    return re.search(r'href="(/news/\d{4}/\d{4}/\d+/)"', html).group(1)


def assert_answered_well(answer, what):
    assert answer.status < 500, f"{what}: {answer.status}\n{answer.text[:500]}"
    if answer.status >= 400 and answer.body:
        text = answer.text
        if answer.headers.get("content-type", "").startswith("application/json"):
            text = json.dumps(json.loads(text), ensure_ascii=False)  # the beacon's message
        assert CHINESE.search(text), f"{what}: {answer.status} answer is not in Chinese"


def assert_log_clean(live):
    log = live.log()
    assert "Traceback" not in log, log[-5000:]
    assert "Internal Server Error" not in log, log[-5000:]


def paths(article):
    long_query = "x" * 8000
    return [
        # Paths that are not UTF-8, overlong, with NUL or climbing out of the site.
        b"/\xff\xfe\xfd/",
        b"/news/\xc0\xaf\xc0\xae/",
        "/%FF%FE/",
        "/news/%C0%AE%C0%AE/%C0%AF/",
        "/news/%00/",
        "/%00",
        "/../../../../etc/passwd",
        "/static/../../manage.py",
        "/static/%2e%2e/%2e%2e/manage.py",
        "/media/../db.sqlite3",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/documents/1/../../../etc/passwd",
        "/" + "长" * 800 + "/",
        "/" + "a" * 7900 + "/",
        article.rstrip("/") + "%00/",
        article + "..%2f..%2f",
        # Query strings: huge, repeated, garbage pages.
        "/?" + long_query,
        "/news/?" + "&".join(f"a{i}=1" for i in range(1200)),
        "/news/?page=abc",
        "/news/?page=-1",
        "/news/?page=0",
        "/news/?page=99999999999999999999999",
        "/news/?page=1e3",
        "/news/?page=%00",
        "/news/?page=1&page=2",
        "/news/?page[]=1",
        "/news/2024/13/",
        "/news/9999/99/",
        "/news/0000/0000/0/",
        # Searches: long, SQL, HTML, wildcards, nothing.
        "/search/?q=" + "党" * 900,
        "/search/?q=" + "a" * 7900,
        "/search/?q=" + quote("' OR 1=1 --"),
        "/search/?q=" + quote("%' UNION SELECT password FROM auth_user --"),  # noqa: S608
        "/search/?q=" + quote("<script>alert(1)</script>"),
        "/search/?q=" + quote('"><img src=x onerror=alert(1)>'),
        "/search/?q=%25_%25%5C",
        "/search/?q=%00",
        "/search/?q=",
        "/search/?q=%E5%85",  # half a character
        "/search/?q=a&q=b&page=zz",
        "/feed/?page=x",
        "/news/feed/?q=%00",
        "/sitemap.xml?p=-5",
        "/hits/abc/",
        "/hits/99999999999999999999/",
        # Ids no row can have, and digits int() refuses.
        "/news/2024/0315/9223372036854775808/",
        "/news/2024/0315/" + quote("²") + "/",
        "/news/" + quote("２０２４/０３") + "/",
    ]


def test_hostile_paths_and_query_strings_get_no_server_error(live, article):
    for path in paths(article):
        answer = live.request("GET", path)
        assert_answered_well(answer, path[:120])
    assert_log_clean(live)


def test_a_hostile_search_is_shown_back_as_text(live):
    answer = live.request("GET", "/search/?q=" + quote('"><script>alert(1)</script>'))
    assert answer.status == 200
    assert "<script>alert(1)</script>" not in answer.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in answer.text


def test_every_method_on_every_kind_of_page(live, article):
    search = "/search/?q=" + quote("党建")
    for path in ["/", "/news/", article, "/contact/", search, "/feed/", "/sitemap.xml"]:
        for method in ["HEAD", "OPTIONS", "POST", "PUT", "DELETE", "PATCH", "TRACE", "PROPFIND"]:
            answer = live.request(method, path)
            assert_answered_well(answer, f"{method} {path}")
            if method in {"PUT", "DELETE", "PATCH"}:
                assert answer.status in {403, 405}, f"{method} {path}: {answer.status}"
    assert_log_clean(live)


def test_a_form_post_without_its_csrf_token_is_refused_in_chinese(live):
    body = urlencode({"username": "admin", "password": "x"}).encode()
    answer = live.request(
        "POST",
        "/admin/login/",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        body=body,
    )
    assert answer.status == 403
    assert "安全验证" in answer.text


def test_broken_bodies_and_too_many_fields_are_refused(live, article):
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    bodies = [
        ({"Content-Type": "multipart/form-data; boundary=xyz"}, b"--xyz\r\ngarbage\r\n--xy"),
        ({"Content-Type": "multipart/form-data"}, b"no boundary at all"),
        ({"Content-Type": "multipart/form-data; boundary=" + "b" * 300}, b"--x\r\n\r\n"),
        (form, "&".join(f"f{i}=1" for i in range(12_000)).encode()),
        (form, b"a=%FF%FE&b=%00&" + b"c" * 5000),
        ({"Content-Type": "application/json"}, b"{" * 10_000),
    ]
    for path in ["/", article, "/admin/login/", "/hits/1/"]:
        for headers, body in bodies:
            answer = live.request("POST", path, headers=headers, body=body)
            assert_answered_well(answer, f"POST {path} {headers}")
    assert_log_clean(live)


def test_crafted_beacon_and_report_posts_are_refused_without_an_error(live, article):
    page_id = article.rstrip("/").rsplit("/", 1)[1]
    for origin in ["http://[::1", "http://[", "http://[v1.x]:80", "http://a:b:c"]:
        answer = live.request("POST", f"/hits/{page_id}/", headers={"Origin": origin})
        assert answer.status == 403, (origin, answer.status)
        assert_answered_well(answer, f"beacon from {origin}")
    report = {"Content-Type": "application/csp-report"}
    for deep in (b"[" * 3000 + b"]" * 3000, b'{"csp-report":' * 2000 + b"1" + b"}" * 2000):
        answer = live.request("POST", "/csp-report/", headers=report, body=deep)
        assert answer.status == 400, answer.status
    assert_log_clean(live)


def test_garbage_cookies_and_headers_are_ignored(live, article):
    cookies = [
        "sessionid=garbage; csrftoken=\x01\x02",
        "sessionid=" + "A" * 4000,
        ";;;=;a=b;;c",
        'csrftoken="unterminated',
        "font_size=huge; elder_mode=<script>",
        "\u515a\u5efa=1",
    ]
    for cookie in cookies:
        for path in ["/", article, "/admin/login/"]:
            answer = live.request("GET", path, headers={"Cookie": cookie.encode("utf-8")})
            assert_answered_well(answer, f"cookie {cookie[:30]} {path}")
    odd_headers = [
        {"X-Forwarded-For": "not-an-ip, 999.1.1.1, ::::"},
        {"User-Agent": "\xff" * 200},
        {"Accept-Language": "zz-ZZ;q=abc, *;q=-1"},
        {"Range": "bytes=999999999-"},
        {"If-Modified-Since": "yesterday"},
        {"Host": "evil.example"},
    ]
    for headers in odd_headers:
        answer = live.request("GET", article, headers=headers)
        assert_answered_well(answer, f"headers {headers}")
    assert_log_clean(live)


def test_a_request_line_longer_than_gunicorn_accepts_is_refused_in_chinese(live):
    answer = live.request("GET", "/search/?q=" + "a" * 10_000)
    assert answer.status == 414
    assert_answered_well(answer, "a 10,000-character search")
    assert "aaaa" not in answer.text  # the request is not echoed back
    assert_log_clean(live)


def png(width, height):
    buffer = io.BytesIO()
    PillowImage.new("L", (width, height)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def test_hostile_picture_uploads_are_refused_with_a_chinese_message(live):
    admin = AdminSession(live, ADMIN_PASSWORD)
    bomb = png(8000, 6000)  # 48 megapixels in a file of a few dozen kilobytes
    mislabelled = png(40, 30)
    photo = io.BytesIO()
    PillowImage.frombytes("L", (400, 300), secrets.token_bytes(400 * 300)).save(photo, "PNG")
    truncated = photo.getvalue()[: len(photo.getvalue()) // 2]
    for name, content in [("bomb.png", bomb), ("photo.jpg", mislabelled), ("cut.png", truncated)]:
        answer = admin.upload_image(name, content)
        assert answer.status == 200, f"{name}: {answer.status} {answer.headers.get('location')}"
        assert 'class="error-message"' in answer.text or "error" in answer.text, name
        assert CHINESE.search(answer.text)
    assert "/admin/images/" in admin.get("/admin/images/").text
    assert_log_clean(live)


def test_the_server_names_no_software_and_lists_no_assets(live):
    answer = live.request("GET", "/")
    assert answer.headers["server"] == "web"
    assert live.request("GET", "/static/staticfiles.json").status == 404
    assert live.request("POST", "/hits/9223372036854775808/").status == 404


def test_the_database_file_is_readable_by_its_owner_only(live):
    import stat

    database = Path(live.environment["DATABASE_URL"].removeprefix("sqlite:///"))
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
