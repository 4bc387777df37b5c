"""What deploy/nginx.conf sends a reader's phone: pages, feeds, the site map and the static files
compressed when the phone asks for it (and the same bytes when it does not), the static files
as the compressed copies collectstatic made, and cached for good; the admin never compressed.

The stack is the production one (gunicorn, production settings, SQLite) behind Debian's nginx.
"""

import gzip
import re
import shutil

import pytest

from stack.nginx import sqlite_site_behind_nginx
from stack.raw_http import CHROME_UA
from stack.site import ROOT

# The production stack on a SQLite database of its own, whatever DATABASE_URL says.
pytestmark = pytest.mark.engine_independent

COMPRESSED = {"User-Agent": CHROME_UA, "Accept-Encoding": "gzip, deflate, br"}
PLAIN = {"User-Agent": CHROME_UA}


@pytest.fixture(scope="module")
def front(tmp_path_factory):
    if not shutil.which("nginx"):
        pytest.skip("needs Debian's nginx (apt-get install nginx-light)")
    with sqlite_site_behind_nginx(tmp_path_factory.mktemp("nginx-front")) as nginx:
        yield nginx


def static_files(front):
    """The hashed addresses of the stylesheets and scripts the home page asks for."""
    home = front.request("GET", "/", headers=PLAIN).text
    found = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', home)
    assert any(path.endswith(".css") for path in found), home[:2000]
    assert any(path.endswith(".js") for path in found), home[:2000]
    return found


def vary(answer):
    return {
        name.strip().lower()
        for header, value in answer.all_headers
        if header == "vary"
        for name in value.split(",")
    }


@pytest.mark.parametrize(
    ("path", "marker"),
    [
        ("/", "联系我们"),
        ("/feed/", "<rss"),
        ("/sitemap.xml?p=1", "<urlset"),
        ("/search/?q=%E5%85%9A%E5%BB%BA", "搜索"),
    ],
)
def test_pages_feeds_and_the_site_map_reach_a_phone_compressed(front, path, marker):
    compressed = front.request("GET", path, headers=COMPRESSED)
    plain = front.request("GET", path, headers=PLAIN)

    assert compressed.status == plain.status == 200
    assert compressed.headers.get("content-encoding") == "gzip", compressed.headers
    assert "accept-encoding" in vary(compressed), compressed.all_headers
    text = gzip.decompress(compressed.body).decode()
    assert marker in text
    assert len(compressed.body) < len(text.encode()) / 2
    # A client that does not ask for compression gets the page as it is.
    assert "content-encoding" not in plain.headers
    assert marker in plain.text


def test_static_files_go_as_the_copies_collectstatic_compressed_and_are_cached_for_good(front):
    for path in static_files(front):
        compressed = front.request("GET", path, headers=COMPRESSED)
        plain = front.request("GET", path, headers=PLAIN)
        on_disk = ROOT / "staticfiles" / path.removeprefix("/static/")

        assert compressed.status == plain.status == 200, path
        assert compressed.headers.get("content-encoding") == "gzip", (path, compressed.headers)
        # Byte for byte the .gz copy (compressed at the highest level when collected), not a
        # quicker compression made for each request.
        assert compressed.body == on_disk.with_name(on_disk.name + ".gz").read_bytes(), path
        assert gzip.decompress(compressed.body) == plain.body == on_disk.read_bytes(), path
        assert "accept-encoding" in vary(compressed), compressed.all_headers
        for answer in (compressed, plain):
            assert "immutable" in answer.headers.get("cache-control", ""), answer.headers
            assert answer.headers.get("expires", "").endswith("2037 23:55:55 GMT"), answer.headers


def test_the_admin_is_never_compressed(front):
    """Its pages repeat what an editor typed beside what only they may see: what BREACH needs."""
    answer = front.request("GET", "/admin/login/", headers=COMPRESSED)
    assert answer.status == 200
    assert "content-encoding" not in answer.headers, answer.headers
    assert "登录" in answer.text
