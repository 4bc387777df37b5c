"""Debian's nginx running deploy/nginx.conf in front of one or more gunicorn stacks."""

import contextlib
import http.client
import re
import socket
import ssl
import subprocess
from pathlib import Path

from stack.raw_http import Answer
from stack.services import free_port, wait_for
from stack.site import ROOT, Gunicorn, prepared_sqlite_site

# The front's certificate is its own, made for the test: not checked. One context for every
# request: ssl.create_default_context() reads the machine's whole CA bundle each time, which
# cost more than the request itself.
_UNVERIFIED = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
_UNVERIFIED.check_hostname, _UNVERIFIED.verify_mode = False, ssl.CERT_NONE


# What Debian 12's /etc/nginx/nginx.conf sets around the files of conf.d, so that deploy/nginx.conf
# is tested in the surroundings it is deployed in: the MIME types (with nosniff, a stylesheet sent
# as text/plain is refused), and the TLS protocols it offers unless a server says otherwise.
DEBIAN_HTTP_BLOCK = """
sendfile on;
tcp_nopush on;
types_hash_max_size 2048;
include /etc/nginx/mime.types;
default_type application/octet-stream;
ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
ssl_prefer_server_ciphers on;
gzip on;
"""


def _ipv6_loopback():
    """Whether this machine has ::1 to listen on (a container may have IPv6 switched off)."""
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


IPV6 = _ipv6_loopback()


def self_signed_certificate(folder):
    """A throw-away key and certificate for example.cn in `folder`, valid for a day: (key,
    certificate). Never issued by a CA, so nginx ignores OCSP stapling for it, with a warning."""
    key, certificate = Path(folder) / "key.pem", Path(folder) / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=example.cn",
            "-keyout",
            key,
            "-out",
            certificate,
        ],
        check=True,
        capture_output=True,
    )
    return key, certificate


class Nginx:
    """Debian's nginx running deploy/nginx.conf, with its ports, certificate and folders moved
    into `folder`, the media files taken from `media_root` and `stacks` as its upstream servers.
    It listens on 127.0.0.1 and, where the machine has it, on ::1: HTTPS on `port`, plain HTTP
    on `http_port`. Requests go over HTTPS with Host example.cn, the name the file serves.
    The certificate is a self-signed one made here, unless `key`, `certificate` and `chain` (the
    CA's certificates, for OCSP stapling) are given. What `nginx -t` said is in `checked`."""

    def __init__(self, folder, stacks, media_root=None, key=None, certificate=None, chain=None):
        self.folder = Path(folder)
        self.stacks = stacks
        self.port = free_port()
        self.http_port = free_port()
        # The address a browser would show, so that a form's Referer matches its Host.
        self.url = "https://example.cn"
        if certificate is None:
            key, certificate = self_signed_certificate(self.folder)
        (self.folder / "cache").mkdir()
        self.acme = self.folder / "acme"
        self.access_log = self.folder / "access.log"
        site = (ROOT / "deploy" / "nginx.conf").read_text()
        upstreams = "\n".join(f"    server 127.0.0.1:{stack.port};" for stack in stacks)
        if media_root is not None:
            site = site.replace("/srv/sitecms/media/", f"{media_root}/")
        site = (
            site.replace("/var/cache/nginx/sitecms", str(self.folder / "cache"))
            .replace("/var/log/nginx/sitecms.access.log", str(self.access_log))
            .replace("    server 127.0.0.1:8000;", upstreams)
            .replace("listen 80;", f"listen 127.0.0.1:{self.http_port};")
            .replace("listen [::]:80;", f"listen [::1]:{self.http_port};" if IPV6 else "")
            .replace("listen 443 ssl http2;", f"listen 127.0.0.1:{self.port} ssl http2;")
            .replace(
                "listen [::]:443 ssl http2;", f"listen [::1]:{self.port} ssl http2;" if IPV6 else ""
            )
            .replace("/etc/ssl/example.cn/fullchain.pem", str(certificate))
            .replace("/etc/ssl/example.cn/privkey.pem", str(key))
            .replace("/etc/ssl/example.cn/chain.pem", str(chain or certificate))
            .replace("/var/www/acme", str(self.acme))
            .replace("/srv/sitecms/", f"{ROOT}/")
        )
        self.config = self.folder / "nginx.conf"
        self.config.write_text(
            "user root;\npid nginx.pid;\nerror_log error.log;\nevents {}\n"
            f"http {{\n{DEBIAN_HTTP_BLOCK}\naccess_log access.log;\n{site}\n}}\n"
        )
        self.checked = self._nginx("-t")
        self._nginx()

    def _nginx(self, *args):
        """What nginx said (it writes to its error output) when run with `args`."""
        return subprocess.run(
            ["nginx", "-p", str(self.folder), "-c", str(self.config), *args],
            check=True,
            capture_output=True,
            encoding="utf-8",
        ).stderr

    def connection(self, address="127.0.0.1", context=_UNVERIFIED):
        """An HTTPS connection to the front on `address` (127.0.0.1 or ::1), made by `context`."""
        return http.client.HTTPSConnection(address, self.port, context=context, timeout=10)

    def request(self, method, path, headers=None, body=None, address="127.0.0.1"):
        connection = self.connection(address)
        try:
            return _exchange(connection, method, path, headers, body)
        finally:
            connection.close()

    def plain_request(self, method, path, headers=None, address="127.0.0.1"):
        """A request over plain HTTP, on port 80's stand-in."""
        connection = http.client.HTTPConnection(address, self.http_port, timeout=10)
        try:
            return _exchange(connection, method, path, headers)
        finally:
            connection.close()

    def reader(self, path, headers=None):
        """A reader asking for `path` again and again over one kept-alive connection, as a
        browser does: a function that sends one request and returns its answer."""
        connection = self.connection()
        return lambda: _exchange(connection, "GET", path, headers)

    def cache_statuses(self, path, count):
        """What the micro-cache did for each of the first `count` requests for `path`, as
        nginx's log says (HIT, MISS, EXPIRED, UPDATING, STALE…; "-" when it was not asked):
        readers are never told. nginx writes a line as its answer leaves, so they are waited for."""

        def statuses():
            return [
                re.search(r" cache=(\S+) ", line).group(1)
                for line in self.access_log.read_text().splitlines()
                if f" {path} HTTP/" in line
            ]

        assert wait_for(lambda: len(statuses()) >= count, seconds=2), (path, statuses())
        return statuses()[:count]

    def close(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            self._nginx("-s", "stop")


def _exchange(connection, method, path, headers=None, body=None):
    connection.request(method, path, body=body, headers={"Host": "example.cn", **(headers or {})})
    response = connection.getresponse()
    return Answer(
        response.status,
        [(name.lower(), value) for name, value in response.getheaders()],
        response.read(),
    )


@contextlib.contextmanager
def sqlite_site_behind_nginx(folder, **env):
    """The production stack (gunicorn, production settings) on a SQLite site of its own prepared
    in `folder`, with `env` added, behind nginx: the Nginx, stopped with the stack on leaving.
    Django takes nginx's X-Forwarded-Proto, as deploy/nginx.conf says to run it; SECURE_SSL_REDIRECT
    stays off unless `env` turns it on, so that gunicorn itself still answers plain HTTP."""
    environment = prepared_sqlite_site(
        folder,
        **{
            "SCHEDULER_ENABLED": 0,
            "ALLOWED_HOSTS": "example.cn,127.0.0.1,localhost",
            "TRUST_X_FORWARDED_PROTO": 1,
            **env,
        },
    )
    with Gunicorn(environment, folder / "gunicorn.log") as stack:
        nginx = Nginx(folder, [stack], media_root=folder / "media")
        try:
            yield nginx
        finally:
            nginx.close()
