"""The content quality tests' helpers: a second site; the words of the sites' 错敏词 lists each
test sets; a web server on this machine standing for the sites pages link to (every external
case of the link check); and no name resolved through the network, so a link check in a test
reaches nothing outside the machine."""

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from wagtail.models import Page, Site

from core.content_gate import BANNED, STANDARD, TYPO
from news.models import HomePage
from news.sitetree import add_published
from quality.word_lists import ListedWord, lists_changed

# The 互动交流 staff and their unit, for the check of replies.
from tests.interaction.conftest import handler, receiver, unit  # noqa: F401


@pytest.fixture
def other_site(site):
    root = Page.objects.get(depth=1)
    home = add_published(root, HomePage(title="区委党建网", slug="district"))
    return Site.objects.create(hostname="district.example.cn", root_page=home)


LOCAL_NAMES = {"localhost", "127.0.0.1", "::1"}


@pytest.fixture(autouse=True)
def _no_names_from_the_network(monkeypatch):
    real = socket.getaddrinfo

    def local_only(host, *args, **kwargs):
        try:
            socket.inet_pton(socket.AF_INET6 if ":" in str(host) else socket.AF_INET, host)
        except (OSError, TypeError):
            if host not in LOCAL_NAMES:
                raise socket.gaierror(f"no network in tests: {host}") from None
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", local_only)


PAGE = "<html><head><title>{title}</title></head><body>{body}</body></html>"


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self.answer(with_body=False)

    def do_GET(self):
        self.answer(with_body=True)

    def answer(self, with_body):
        server = self.server
        with server.lock:
            server.requests.append((self.command, self.path, self.headers.get("Host")))
            server.running += 1
            server.most_at_once = max(server.most_at_once, server.running)
        try:
            status, headers, body = self.route(with_body)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            data = body.encode()
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if with_body:
                self.wfile.write(data)
        finally:
            with server.lock:
                server.running -= 1

    def route(self, with_body):
        html = {"Content-Type": "text/html; charset=utf-8"}
        path = self.path
        if path == "/ok":
            return 200, html, PAGE.format(title="工作动态", body="<p>正文</p>")
        if path == "/file.pdf":
            return 200, {"Content-Type": "application/pdf"}, "%PDF-1.4"
        if path == "/missing":
            return 404, html, PAGE.format(title="404", body="")
        if path == "/no-head":
            if not with_body:
                return 405, {}, ""
            return 200, html, PAGE.format(title="通知", body="<p>正文</p>")
        if path == "/loop-a":
            return 302, {"Location": "/loop-b"}, ""
        if path == "/loop-b":
            return 302, {"Location": "/loop-a"}, ""
        if path.startswith("/hop/"):
            number = int(path.rsplit("/", 1)[1])
            if number == 0:
                return 200, html, PAGE.format(title="到了", body="")
            return 301, {"Location": f"/hop/{number - 1}"}, ""
        if path == "/to-intranet":
            return 302, {"Location": "http://10.1.2.3/admin/"}, ""
        if path == "/slow":
            time.sleep(1.5)
            return 200, html, PAGE.format(title="慢", body="")
        if path == "/soft-404":
            return 200, html, PAGE.format(title="提示", body="<p>对不起，您访问的页面不存在！</p>")
        if path == "/waf":
            return 403, html, PAGE.format(title="安全验证", body="<p>请完成验证后继续访问</p>")
        if path == "/waf-200":
            return (
                200,
                html,
                PAGE.format(title="", body='<script src="/cdn-cgi/cf-chl.js"></script>'),
            )
        if path == "/news-about-checks":
            body = "<p>开展安全验证工作。" + "字" * 3000 + "</p>"
            return 200, html, PAGE.format(title="新闻", body=body)
        if path.startswith("/polite/"):
            time.sleep(0.1)
            return 200, {"Content-Type": "text/plain"}, "ok"
        return 500, html, ""


@pytest.fixture
def server(settings):
    """The local server, allowed to the link check (LINK_CHECK_ALLOWED_HOSTS), with a short
    timeout; .requests lists what reached it."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.requests, httpd.running, httpd.most_at_once = [], 0, 0
    httpd.lock = threading.Lock()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    settings.LINK_CHECK_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.LINK_CHECK_TIMEOUT = 0.5
    httpd.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def words(db):
    """set_words(banned=[...], standard={wrong: right}, typo={wrong: right}): every site's
    lists hold these words and no other."""

    def set_words(banned=(), standard=None, typo=None):
        ListedWord.objects.all().delete()
        for site in Site.objects.all():
            rows = [ListedWord(site=site, kind=BANNED, word=word) for word in banned]
            rows += [
                ListedWord(site=site, kind=kind, word=word, right=right)
                for kind, pairs in ((STANDARD, standard), (TYPO, typo))
                for word, right in (pairs or {}).items()
            ]
            ListedWord.objects.bulk_create(rows)
            lists_changed(site.pk)

    set_words()
    return set_words
