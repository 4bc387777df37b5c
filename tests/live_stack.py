"""The production stack as a separate program, for the tests that fire at a live server or
take its database or cache away: gunicorn with sitecms.settings.production on a database of its
own, Debian's nginx in front of it with deploy/nginx.conf, and, where a test stops them, a private
PostgreSQL cluster and a private Redis server."""

import contextlib
import http.client
import os
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings

from tests.conftest import CHROME_UA

ROOT = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent
PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"))), None)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(check, seconds=30, interval=0.1):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(interval)
    return False


class PrivatePostgres:
    """A PostgreSQL cluster in a temporary folder, which a test may stop and start again."""

    def __init__(self):
        # Its own folder in /tmp: the postgres user cannot enter pytest's private ones.
        self.folder = Path(tempfile.mkdtemp(prefix="sitecms-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        shutil.chown(self.folder, "postgres", "postgres")
        self._as_postgres("initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "--no-sync")
        self.start()
        subprocess.run(
            [
                PG_BIN / "createdb",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "site",
            ],
            check=True,
        )

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/site"

    def _as_postgres(self, program, *args):
        command = ["runuser", "-u", "postgres", "--", str(PG_BIN / program), *map(str, args)]
        subprocess.run(command, check=True, capture_output=True)

    def start(self):
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.folder}"
        )
        self._as_postgres(
            "pg_ctl", "-D", self.data, "-o", options, "-w", "-l", self.folder / "log", "start"
        )

    def stop(self):
        self._as_postgres("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def close(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


class PrivateRedis:
    """A Redis server that keeps nothing on disk, which a test may stop and start again."""

    def __init__(self):
        self.port = free_port()
        self.process = None
        self.start()

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        assert wait_for(self._answers), "redis-server did not start"

    def _answers(self):
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
            return True
        except OSError:
            return False

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)

    def close(self):
        if self.process.poll() is None:
            self.stop()


def stack_environment(database_url, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="sitecms.settings.production",
        SECRET_KEY="live-stack-test-" + "k" * 40,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database_url,
        PYTHONUNBUFFERED="1",
    )
    environment.update({key: str(value) for key, value in env.items()})
    return environment


def manage(environment, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
    )


def prepare_site(environment):
    """What `make serve` does before starting gunicorn: migrate, the demo site, the first admin
    (DJANGO_SUPERUSER_PASSWORD in the environment) and the collected static files."""
    manage(environment, "migrate", "--noinput")
    manage(environment, "setup_site", "--demo")
    manage(environment, "ensure_admin")
    manage(environment, "collectstatic", "--noinput")


class LiveStack:
    """gunicorn with the project's gunicorn.conf.py; everything it prints goes to `log_path`."""

    def __init__(self, environment, log_path, workers=2):
        self.environment = environment
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(log_path)
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - kept open while gunicorn runs
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "sitecms.wsgi"],
            cwd=ROOT,
            env={
                **environment,
                "BIND": f"127.0.0.1:{self.port}",
                "WEB_CONCURRENCY": str(workers),
                "GUNICORN_MAX_REQUESTS": "0",
            },
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        assert wait_for(self._answers, seconds=60), self.log()

    def _answers(self):
        try:
            return self.request("GET", "/robots.txt", timeout=2).status == 200
        except OSError:
            return False

    def request(self, method, path, **options):
        return send(self.port, method, path, **options)

    def worker_pids(self):
        pid = self.process.pid
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]

    def log(self):
        return self.log_path.read_text(errors="replace")

    def close(self):
        self.process.terminate()
        self.process.wait(timeout=30)
        self._log.close()


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
        site = (ROOT / "deploy" / "nginx.conf").read_text()
        upstreams = "\n".join(f"    server 127.0.0.1:{stack.port};" for stack in stacks)
        if media_root is not None:
            site = site.replace("/srv/sitecms/media/", f"{media_root}/")
        site = (
            site.replace("/var/cache/nginx/sitecms", str(self.folder / "cache"))
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
            f"http {{\naccess_log access.log;\n{site}\n}}\n"
        )
        self._nginx("-t")
        self._nginx()

    def _nginx(self, *args):
        subprocess.run(
            ["nginx", "-p", str(self.folder), "-c", str(self.config), *args],
            check=True,
            capture_output=True,
        )

    def request(self, method, path, headers=None, body=None):
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        connection = http.client.HTTPSConnection(
            "127.0.0.1", self.port, context=context, timeout=10
        )
        try:
            connection.request(
                method, path, body=body, headers={"Host": "example.cn", **(headers or {})}
            )
            response = connection.getresponse()
            return Answer(
                response.status,
                [(name.lower(), value) for name, value in response.getheaders()],
                response.read(),
            )
        finally:
            connection.close()

    def close(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            self._nginx("-s", "stop")


@dataclass
class Answer:
    status: int
    all_headers: list  # (lower-case name, value), in order, repeated names included
    body: bytes

    @property
    def headers(self):
        return dict(self.all_headers)

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")


class AdminSession:
    """A browser-like session in the admin over raw requests: cookies and the CSRF token."""

    def __init__(self, live, password, username="admin"):
        self.live = live
        self.cookies = {}
        self.get("/admin/login/")
        answer = self.post_form("/admin/login/", {"username": username, "password": password})
        assert answer.status == 302, answer.text[:500]

    def post_form(self, path, data):
        """A form post with the CSRF token Django accepts: the cookie's own secret."""
        body = urlencode({**data, "csrfmiddlewaretoken": self.cookies["csrftoken"]}, doseq=True)
        return self.post(path, body, "application/x-www-form-urlencoded")

    def _send(self, method, path, **options):
        headers = options.pop("headers", {})
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers["Referer"] = self.live.url + path
        answer = self.live.request(method, path, headers=headers, **options)
        for name, value in answer.all_headers:
            if name == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";")[0]
        return answer

    def get(self, path):
        return self._send("GET", path)

    def post(self, path, body, content_type):
        body = body.encode() if isinstance(body, str) else body
        return self._send("POST", path, body=body, headers={"Content-Type": content_type})

    def upload_image(self, name, content):
        return self.upload("/admin/images/add/", {"title": "测试"}, name, content, "image/jpeg")

    def upload_document(self, title, name, content, collection):
        fields = {"title": title, "collection": collection}
        return self.upload("/admin/documents/add/", fields, name, content, "application/pdf")

    def upload(self, path, fields, name, content, content_type):
        """An admin add form with a file, sent as the browser sends it."""
        boundary = "----sitecms" + secrets.token_hex(8)
        fields = {"csrfmiddlewaretoken": self.cookies["csrftoken"], **fields}
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
            for key, value in fields.items()
        ]
        body = (
            "".join(parts).encode()
            + (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n"
            ).encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return self.post(path, body, f"multipart/form-data; boundary={boundary}")


def send(port, method, path, *, headers=None, body=b"", timeout=10):
    """One request written byte for byte to the server (a path may be any bytes), and its answer.
    A header may be given as None to leave it out."""
    if isinstance(path, str):
        path = path.encode()
    lines = [method.encode() + b" " + path + b" HTTP/1.1", b"Host: 127.0.0.1", b"Connection: close"]
    # A reader's browser unless told otherwise: requests without one are not counted as views.
    for name, value in {"User-Agent": CHROME_UA, **(headers or {})}.items():
        if value is not None:
            lines.append(
                f"{name}: ".encode() + (value if isinstance(value, bytes) else value.encode())
            )
    if body:
        lines.append(b"Content-Length: " + str(len(body)).encode())
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(b"\r\n".join(lines) + b"\r\n\r\n" + body)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    if not received:
        # A worker killed while holding the connection closes it without a word.
        raise ConnectionResetError("the connection closed without an answer")
    head, _, content = received.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    answer_headers = []
    for line in header_lines:
        name, _, value = line.partition(":")
        answer_headers.append((name.strip().lower(), value.strip()))
    if ("transfer-encoding", "chunked") in answer_headers:
        content = _unchunk(content)
    return Answer(int(status_line.split()[1]), answer_headers, content)


def _unchunk(content):
    body = b""
    while content:
        size, _, rest = content.partition(b"\r\n")
        length = int(size.split(b";")[0], 16)
        if length == 0:
            break
        body += rest[:length]
        content = rest[length + 2 :]
    return body
