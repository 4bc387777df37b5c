"""Every kind of public page is valid HTML, as the Nu HTML Checker (npm's vnu-jar on Java) sees it,
and writes Chinese punctuation in its Chinese text. One test reads the pages of the demo site for
both: building the demo costs seconds."""

import re
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from core import errors, plain_pages
from tests.demo_site import fill_in_site_identity, load_demo_site, pages_to_check
from tests.nu_checker import check_files

HAN = "\u3400-\u4dbf\u4e00-\u9fff"
# A half-width comma, colon, semicolon, exclamation or question mark, or bracket, beside a
# Chinese character: in Chinese text these are the full-width ，：；！？（） (GB/T 15834).
HALF_WIDTH_RE = re.compile(f"[{HAN}][,:;!?()]|[,:;!?()][{HAN}]")
READ_ATTRIBUTES = {"alt", "title", "aria-label", "aria-roledescription", "placeholder", "content"}


def test_public_pages_are_valid_html_in_chinese_punctuation(db, tmp_path):
    load_demo_site()
    client = Client()
    files = []
    half_width = []
    for name, url in pages_to_check():
        response = client.get(url)
        assert response.status_code == (404 if name == "not-found" else 200), url
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(path)
        half_width += half_width_marks(name, response.content.decode())
    # The footer once staff have filled in the site's identity (empty in the demo).
    fill_in_site_identity()
    with_identity = client.get("/").content
    assert b'class="conac-badge"' in with_identity
    files.append(tmp_path / "home-with-site-identity.html")
    files[-1].write_bytes(with_identity)
    half_width += half_width_marks(files[-1].name, with_identity.decode())
    # The seed article among the pages was imported from half-width marks, which the importer
    # makes full-width (news/importing/punctuation.py).
    for name, html in error_pages():
        half_width += half_width_marks(name, html)
    assert half_width == [], "\n".join(half_width)

    errors = check_files(files)
    assert errors == [], "\n".join(errors)
    assert len(files) >= 7


class ReadText(HTMLParser):
    """The words of a page as a reader meets them: its text (outside scripts and styles), and
    the attributes that are shown or read aloud."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skipping = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self.skipping += 1
        self.parts += [" ", *(value or "" for name, value in attrs if name in READ_ATTRIBUTES)]

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)

    @classmethod
    def of(cls, html):
        reader = cls()
        reader.feed(html)
        return "".join(reader.parts)


def half_width_marks(name, html):
    """Each half-width mark beside a Chinese character in what a reader meets, with its context."""
    text = ReadText.of(html)
    return [
        f"{name}: …{text[max(0, m.start() - 12) : m.end() + 12]}…"
        for m in HALF_WIDTH_RE.finditer(text)
    ]


def error_pages():
    """(name, HTML) of every error page: as its handler renders it or as its template does, the
    plain pages shown when even that fails, and nginx's."""
    request = RequestFactory().get("/")
    yield "400", errors.bad_request(request).content.decode()
    yield "403", errors.permission_denied(request).content.decode()
    yield "403-csrf", errors.csrf_failure(request).content.decode()
    yield "500", errors.server_error(request).content.decode()
    yield "503", errors.database_unavailable().content.decode()
    templates = Path(settings.BASE_DIR) / "templates"
    for path in sorted(templates.rglob("*.html")):
        if '{% extends "error_page.html" %}' in path.read_text(encoding="utf-8"):
            name = path.relative_to(templates).as_posix()
            yield name, render_to_string(name, {"contact": None})
    for name in dir(plain_pages):
        if name.startswith("PLAIN_"):
            yield name, getattr(plain_pages, name)
    # nginx's own pages, for when the site cannot answer (deploy/nginx.conf).
    for path in sorted((Path(settings.BASE_DIR) / "deploy" / "errors").glob("*.html")):
        yield f"deploy/errors/{path.name}", path.read_text(encoding="utf-8")
