"""What deploy/nginx.conf sends a reader's phone: pages, feeds, the site map and the static files
compressed when the phone asks for it (and the same bytes when it does not), the static files
as the compressed copies collectstatic made, and cached for good; the admin never compressed.
And how: over HTTPS only, on IPv4 and IPv6 (plain HTTP sends every address on to HTTPS, except
a CA's ACME challenge); over TLS 1.2 or 1.3 with forward secrecy only (Python's ssl module and
openssl s_client try older protocols and suites without it), HTTP/2 offered, the certificate's
revocation status stapled where its CA runs an OCSP responder; with HSTS, nosniff and a
Permissions-Policy on every answer, nginx's own files and error pages included, and nothing said
about its cache; Django knowing the request came over HTTPS (its cookies are Secure).

The stack is the production one (gunicorn, production settings, SQLite) behind Debian's nginx,
run as deploy/nginx.conf says (TRUST_X_FORWARDED_PROTO=1, SECURE_SSL_REDIRECT on).
"""

import gzip
import re
import secrets
import shutil
import socket
import ssl
import subprocess
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest

from stack.nginx import IPV6, Nginx, sqlite_site_behind_nginx
from stack.raw_http import CHROME_UA
from stack.services import free_port, wait_for
from stack.site import ADMIN_PASSWORD, ROOT

# The production stack on a SQLite database of its own, whatever DATABASE_URL says.

COMPRESSED = {"User-Agent": CHROME_UA, "Accept-Encoding": "gzip, deflate, br"}
PLAIN = {"User-Agent": CHROME_UA}


@pytest.fixture(scope="module")
def front(tmp_path_factory):
    if not shutil.which("nginx"):
        pytest.skip("needs Debian's nginx (apt-get install nginx-light)")
    folder = tmp_path_factory.mktemp("nginx-front")
    with sqlite_site_behind_nginx(folder, SECURE_SSL_REDIRECT=1) as nginx:
        yield nginx


# Both loopback addresses: a government site must be reachable over IPv6 as well as IPv4.
ADDRESSES = [
    "127.0.0.1",
    pytest.param(
        "::1",
        marks=pytest.mark.skipif(
            not IPV6, reason="this machine has no IPv6 loopback (`ip -6 addr show lo`)"
        ),
    ),
]


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


def handshake(front, *options, address="127.0.0.1"):
    """openssl s_client's handshake with the front on `address`, with `options`: (whether it was
    completed, what openssl said)."""
    host = f"[{address}]" if ":" in address else address
    address = ["-connect", f"{host}:{front.port}", "-servername", "example.cn"]
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


def client_context(version):
    """A client speaking TLS `version` only, not checking the front's own certificate."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    context.minimum_version = context.maximum_version = version
    if version < ssl.TLSVersion.TLSv1_2:
        # The client's own floor lowered, so that it does offer the old protocol: the refusal is
        # nginx's.
        context.set_ciphers("DEFAULT@SECLEVEL=0")
    return context


def handshake_with(front, address, context):
    """Python's handshake with the front on `address`: (the protocol, the application protocol
    agreed by ALPN)."""
    with (
        socket.create_connection((address, front.port), timeout=10) as raw,
        context.wrap_socket(raw, server_hostname="example.cn") as tls,
    ):
        return tls.version(), tls.selected_alpn_protocol()


@pytest.mark.parametrize("address", ADDRESSES)
@pytest.mark.parametrize(
    "version", [ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3], ids=lambda version: version.name
)
def test_tls_1_2_and_1_3_carry_the_admin_on_both_addresses(front, address, version):
    connection = front.connection(address, client_context(version))
    try:
        connection.request("GET", "/admin/login/", headers={"Host": "example.cn", **PLAIN})
        answer = connection.getresponse()
        assert answer.status == 200
        assert "登录" in answer.read().decode()
        assert connection.sock.version() == version.name.replace("_", ".")
    finally:
        connection.close()


@pytest.mark.parametrize("address", ADDRESSES)
@pytest.mark.parametrize(
    "version", [ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1], ids=lambda version: version.name
)
# Python deprecates asking for them, which is what this test does.
@pytest.mark.filterwarnings("ignore:ssl.TLSVersion.TLSv1:DeprecationWarning")
def test_tls_1_0_and_1_1_are_refused_on_both_addresses(front, address, version):
    with pytest.raises(ssl.SSLError, match="TLSV1_ALERT_PROTOCOL_VERSION"):
        handshake_with(front, address, client_context(version))


@pytest.mark.parametrize("address", ADDRESSES)
def test_http2_is_offered_on_both_addresses(front, address):
    context = client_context(ssl.TLSVersion.TLSv1_3)
    context.set_alpn_protocols(["h2", "http/1.1"])
    assert handshake_with(front, address, context) == ("TLSv1.3", "h2")


def test_nginx_takes_the_stapling_directives_and_skips_them_for_a_certificate_of_no_ca(front):
    # nginx -t passes; it warns that a self-signed certificate names no OCSP responder.
    assert "test is successful" in front.checked, front.checked
    assert '"ssl_stapling" ignored' in front.checked, front.checked


def openssl(*arguments, folder):
    subprocess.run(["openssl", *map(str, arguments)], cwd=folder, check=True, capture_output=True)


@pytest.fixture(scope="module")
def stapling_front(tmp_path_factory):
    """deploy/nginx.conf with a certificate for example.cn from a CA of the test's own, whose OCSP
    responder (openssl ocsp) says it is good. No application server behind it: only its
    handshakes are looked at."""
    if not shutil.which("nginx"):
        pytest.skip("needs Debian's nginx (apt-get install nginx-light)")
    folder = tmp_path_factory.mktemp("nginx-stapling")
    ca = folder / "ca"
    ca.mkdir()
    responder_port = free_port()
    openssl(
        *("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=Test CA"),
        *("-addext", "basicConstraints=critical,CA:TRUE"),
        *("-addext", "keyUsage=critical,keyCertSign,cRLSign"),
        *("-keyout", "ca-key.pem", "-out", "ca.pem"),
        folder=ca,
    )
    openssl(
        *("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=example.cn"),
        *("-keyout", "key.pem", "-out", "request.pem"),
        folder=ca,
    )
    (ca / "extensions.cnf").write_text(
        f"authorityInfoAccess = OCSP;URI:http://127.0.0.1:{responder_port}\n"
        "subjectAltName = DNS:example.cn\nbasicConstraints = CA:FALSE\n"
    )
    openssl(
        *("x509", "-req", "-in", "request.pem", "-CA", "ca.pem", "-CAkey", "ca-key.pem"),
        *("-set_serial", "0x1001", "-days", "1", "-extfile", "extensions.cnf"),
        *("-out", "cert.pem"),
        folder=ca,
    )
    # The CA's database: one certificate, serial 1001, valid.
    (ca / "index.txt").write_text("V\t991231235959Z\t\t1001\tunknown\t/CN=example.cn\n")
    with (ca / "responder.log").open("w") as log:
        responder = subprocess.Popen(
            [
                *("openssl", "ocsp", "-index", "index.txt", "-port", str(responder_port)),
                *("-CA", "ca.pem", "-rsigner", "ca.pem", "-rkey", "ca-key.pem", "-nmin", "5"),
            ],
            cwd=ca,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        # Told by what it prints: it serves one connection at a time, and one opened to see
        # whether it listens, with no request in it, would hold it up for good.
        assert wait_for(lambda: "waiting for OCSP" in (ca / "responder.log").read_text(), 10)
        nginx = Nginx(
            folder,
            [SimpleNamespace(port=free_port())],
            key=ca / "key.pem",
            certificate=ca / "cert.pem",
            chain=ca / "ca.pem",
        )
        try:
            yield nginx
        finally:
            nginx.close()
    finally:
        responder.terminate()
        responder.wait(timeout=10)


def stapled_status(front, address):
    """What openssl s_client says of the certificate status the front staples (-brief leaves it
    out)."""
    host = f"[{address}]" if ":" in address else address
    result = subprocess.run(
        ["openssl", "s_client", "-status", "-connect", f"{host}:{front.port}"],
        input=b"",
        capture_output=True,
        timeout=10,
        check=False,
    )
    return (result.stdout + result.stderr).decode(errors="replace")


@pytest.mark.parametrize("address", ADDRESSES)
def test_the_certificate_status_is_stapled_where_the_ca_answers_ocsp(stapling_front, address):
    assert "ssl_stapling" not in stapling_front.checked, stapling_front.checked
    said = []

    def stapled():
        # nginx asks the responder once a handshake wants the status, and staples from then on;
        # the answer is verified against the CA's certificate (ssl_stapling_verify).
        said.append(stapled_status(stapling_front, address))
        return "OCSP Response Status: successful" in said[-1] and "Cert Status: good" in said[-1]

    assert wait_for(stapled, seconds=10, interval=0.2), said[-1]


# HTTPS only, on IPv4 and IPv6 -----------------------------------------------------------------


@pytest.mark.parametrize("address", ADDRESSES)
@pytest.mark.parametrize("path", ["/admin/", "/admin/login/?next=/admin/", "/", "/feed/"])
def test_plain_http_sends_every_address_on_to_https(front, address, path):
    answer = front.plain_request("GET", path, headers=PLAIN, address=address)
    assert answer.status == 301, answer.all_headers
    assert answer.headers["location"] == f"https://example.cn{path}"


@pytest.mark.parametrize("address", ADDRESSES)
def test_a_cas_acme_challenge_is_answered_over_plain_http(front, address):
    # What certbot --webroot -w /var/www/acme leaves for the CA to fetch.
    token = secrets.token_urlsafe(32)
    challenges = front.acme / ".well-known" / "acme-challenge"
    challenges.mkdir(parents=True, exist_ok=True)
    (challenges / token).write_text(f"{token}.thumbprint")
    answer = front.plain_request("GET", f"/.well-known/acme-challenge/{token}", address=address)
    assert answer.status == 200
    assert answer.text == f"{token}.thumbprint"
    assert answer.headers["content-type"] == "text/plain"
    # Nothing else under /.well-known/ stays on plain HTTP.
    assert front.plain_request("GET", "/.well-known/security.txt", address=address).status == 301


def cookie_attributes(answer, name):
    """The attributes (lower-case names) of the cookie `name` the answer sets."""
    for header, value in answer.all_headers:
        if header == "set-cookie" and value.startswith(f"{name}="):
            return {part.split("=")[0].strip().lower() for part in value.split(";")[1:]}
    raise AssertionError((name, answer.all_headers))


def cookie_value(answer, name):
    for header, value in answer.all_headers:
        if header == "set-cookie" and value.startswith(f"{name}="):
            return value.partition("=")[2].split(";")[0]
    raise AssertionError((name, answer.all_headers))


@pytest.mark.parametrize("address", ADDRESSES)
def test_the_admin_sign_in_page_is_served_over_https_with_hsts(front, address):
    answer = front.request("GET", "/admin/login/", headers=PLAIN, address=address)
    assert answer.status == 200
    assert "登录" in answer.text
    hsts = answer.headers["strict-transport-security"]
    assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 365 * 24 * 3600, hsts
    # Django knows the request came over HTTPS: its CSRF cookie goes back over HTTPS only.
    assert "secure" in cookie_attributes(answer, "csrftoken")


def sign_in(front, referer):
    page = front.request("GET", "/admin/login/", headers=PLAIN)
    token = cookie_value(page, "csrftoken")
    form = urlencode(
        {"username": "admin", "password": ADMIN_PASSWORD, "csrfmiddlewaretoken": token}
    )
    headers = {
        **PLAIN,
        "Cookie": f"csrftoken={token}",
        "Referer": referer,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    return front.request("POST", "/admin/login/", headers=headers, body=form.encode())


def test_an_admin_signs_in_over_https_and_gets_a_secure_session_cookie(front):
    answer = sign_in(front, "https://example.cn/admin/login/")
    assert answer.status == 302, answer.text[:1000]
    assert {"secure", "httponly"} <= cookie_attributes(answer, "sessionid")


def test_a_sign_in_sent_from_a_plain_http_page_is_refused(front):
    # Django holds a request it knows came over HTTPS to a Referer on HTTPS.
    answer = sign_in(front, "http://example.cn/admin/login/")
    assert answer.status == 403
    assert not [value for name, value in answer.all_headers if value.startswith("sessionid=")]


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
