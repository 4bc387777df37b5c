"""Debian's nginx running deploy/nginx.conf in front of one or more gunicorn stacks."""

import contextlib
import http.client
import re
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


class Nginx:
    """Debian's nginx running deploy/nginx.conf, with its ports, certificate and folders moved
    into `folder`, the media files taken from `media_root` and `stacks` as its upstream servers.
    Requests go over HTTPS with Host example.cn, the name the file serves."""

    def __init__(self, folder, stacks, media_root=None):
        self.folder = Path(folder)
        self.stacks = stacks
        self.port = free_port()
        # The address a browser would show, so that a form's Referer matches its Host.
        self.url = "https://example.cn"
        key, certificate = self.folder / "key.pem", self.folder / "cert.pem"
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
        (self.folder / "cache").mkdir()
        self.access_log = self.folder / "access.log"
        site = (ROOT / "deploy" / "nginx.conf").read_text()
        upstreams = "\n".join(f"    server 127.0.0.1:{stack.port};" for stack in stacks)
        if media_root is not None:
            site = site.replace("/srv/sitecms/media/", f"{media_root}/")
        site = (
            site.replace("/var/cache/nginx/sitecms", str(self.folder / "cache"))
            .replace("/var/log/nginx/sitecms.access.log", str(self.access_log))
            .replace("    server 127.0.0.1:8000;", upstreams)
            .replace("listen 80;", f"listen 127.0.0.1:{free_port()};")
            .replace("listen 443 ssl http2;", f"listen 127.0.0.1:{self.port} ssl http2;")
            .replace("/etc/ssl/example.cn/fullchain.pem", str(certificate))
            .replace("/etc/ssl/example.cn/privkey.pem", str(key))
            .replace("/srv/sitecms/", f"{ROOT}/")
        )
        self.config = self.folder / "nginx.conf"
        self.config.write_text(
            "user root;\npid nginx.pid;\nerror_log error.log;\nevents {}\n"
            f"http {{\n{DEBIAN_HTTP_BLOCK}\naccess_log access.log;\n{site}\n}}\n"
        )
        self._nginx("-t")
        self._nginx()

    def _nginx(self, *args):
        subprocess.run(
            ["nginx", "-p", str(self.folder), "-c", str(self.config), *args],
            check=True,
            capture_output=True,
        )

    def connection(self):
        return http.client.HTTPSConnection("127.0.0.1", self.port, context=_UNVERIFIED, timeout=10)

    def request(self, method, path, headers=None, body=None):
        connection = self.connection()
        try:
            return _exchange(connection, method, path, headers, body)
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
    in `folder`, with `env` added, behind nginx: the Nginx, stopped with the stack on leaving."""
    environment = prepared_sqlite_site(
        folder,
        **{"SCHEDULER_ENABLED": 0, "ALLOWED_HOSTS": "example.cn,127.0.0.1,localhost", **env},
    )
    with Gunicorn(environment, folder / "gunicorn.log") as stack:
        nginx = Nginx(folder, [stack], media_root=folder / "media")
        try:
            yield nginx
        finally:
            nginx.close()
