"""What deploy/nginx.conf sends a reader's phone: pages, feeds, the site map and the static files
compressed when the phone asks for it (and the same bytes when it does not), the static files
as the compressed copies collectstatic made, and cached for good; the admin never compressed.
And how: over TLS 1.2 or 1.3 with forward secrecy only (openssl s_client tries older protocols
and suites without it), with HSTS, nosniff and a Permissions-Policy on every answer, nginx's own
files and error pages included, and nothing said about its cache.

The stack is the production one (gunicorn, production settings, SQLite) behind Debian's nginx.
"""

import gzip
import re
import shutil
import subprocess

import pytest

from stack.nginx import sqlite_site_behind_nginx
from stack.raw_http import CHROME_UA
from stack.site import ROOT

# The production stack on a SQLite database of its own, whatever DATABASE_URL says.

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


# TLS ------------------------------------------------------------------------------------------


def handshake(front, *options):
    """openssl s_client's handshake with the front, with `options`: (whether it was completed,
    what openssl said)."""
    address = ["-connect", f"127.0.0.1:{front.port}", "-servername", "example.cn"]
    result = subprocess.run(
        ["openssl", "s_client", "-brief", *address, *options],
        input=b"",
        capture_output=True,
        timeout=10,
        check=False,
    )
    said = (result.stdout + result.stderr).decode(errors="replace")
    return result.returncode == 0 and "CONNECTION ESTABLISHED" in said, said


def test_tls_1_3_is_spoken(front):
    completed, said = handshake(front)
    assert completed, said
    assert "Protocol version: TLSv1.3" in said, said


def test_tls_1_2_is_spoken_with_forward_secrecy_only(front):
    completed, said = handshake(front, "-tls1_2")
    assert completed, said
    assert re.search(r"Ciphersuite: ECDHE-(RSA|ECDSA)-(AES\d+-GCM|CHACHA20-POLY1305)", said), said


def test_tls_1_1_is_refused(front):
    # The client's own floor lowered, so that it does offer TLS 1.1: the refusal is nginx's.
    completed, said = handshake(front, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0")
    assert not completed, said
    assert "alert protocol version" in said, said


@pytest.mark.parametrize(
    "suite",
    [
        "AES128-GCM-SHA256",  # RSA key exchange: no forward secrecy, though an AEAD cipher
        "AES256-SHA",  # RSA key exchange, CBC mode, SHA-1
        "DHE-RSA-AES128-GCM-SHA256",  # finite-field DH, left out with the whole DHE family
        "ECDHE-RSA-AES128-SHA",  # forward secret, but CBC mode and SHA-1
    ],
)
def test_tls_1_2_suites_without_forward_secrecy_or_aead_are_refused(front, suite):
    completed, said = handshake(front, "-tls1_2", "-cipher", suite)
    assert not completed, said
    assert "alert handshake failure" in said, said


# Security headers -----------------------------------------------------------------------------

PERMISSIONS = {"camera=()", "microphone=()", "geolocation=()", "payment=()"}


def assert_security_headers(answer):
    """One of each: nginx adds its own only where the answer from Django has none."""
    names = [name for name, _ in answer.all_headers]
    for name in ("strict-transport-security", "x-content-type-options", "permissions-policy"):
        assert names.count(name) == 1, (name, answer.all_headers)
    assert answer.headers["strict-transport-security"].startswith("max-age=31536000")
    assert answer.headers["x-content-type-options"] == "nosniff"
    policy = {part.strip() for part in answer.headers["permissions-policy"].split(",")}
    assert policy >= PERMISSIONS, policy
    assert "x-cache-status" not in answer.headers


def test_static_files_carry_the_security_headers_and_their_own_type(front):
    # With nosniff, a browser refuses a stylesheet or script sent under any other type.
    types = {".css": "text/css", ".js": "application/javascript"}
    for path in static_files(front):
        answer = front.request("GET", path, headers=COMPRESSED)
        assert answer.status == 200, path
        assert answer.headers["content-type"] == types[path[path.rindex(".") :]], path
        assert_security_headers(answer)


def test_pictures_carry_the_security_headers(front):
    home = front.request("GET", "/", headers=PLAIN).text
    picture = re.search(r'src="(/media/images/[^"]+)"', home).group(1)
    answer = front.request("GET", picture, headers=PLAIN)
    assert answer.status == 200, picture
    assert answer.headers["content-type"].startswith("image/")
    assert_security_headers(answer)


def test_nginx_error_pages_carry_the_security_headers(front):
    # An upload announced over the cap is refused before a byte of it is read.
    answer = front.request("POST", "/search/", headers={**PLAIN, "Content-Length": "30000000"})
    assert answer.status == 413
    assert "文件太大" in answer.text, answer.text[:500]
    assert answer.headers["cache-control"] == "no-store"
    assert_security_headers(answer)


def test_pages_carry_each_security_header_once(front):
    for path in ("/", "/admin/login/", "/no-such-page/"):
        assert_security_headers(front.request("GET", path, headers=PLAIN))
