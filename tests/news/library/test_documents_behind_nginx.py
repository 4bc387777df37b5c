"""Documents reach readers only through Django's permission checks: behind deploy/nginx.conf, with
DOCUMENTS_SENDFILE=nginx, nginx never serves a file under /media/documents/ to a request of its
own, only once Django's serve view has let the reader in and answered with X-Accel-Redirect.

The stack is the production one (gunicorn, production settings, SQLite) behind Debian's nginx;
the documents, their collection and its restriction are made in the admin, as staff make them.
"""

import re
import secrets
import shutil

import pytest

from stack.nginx import sqlite_site_behind_nginx
from stack.raw_http import AdminSession
from stack.site import ADMIN_PASSWORD
from tests.production import run_with_production_settings

# The production stack on a SQLite database of its own, whatever DATABASE_URL says.

EDITOR_PASSWORD = "Qingxi-pw-" + secrets.token_urlsafe(12)
PUBLIC_FILE = "公开通知.pdf"
PRIVATE_FILE = "内部资料.pdf"


def pdf_bytes():
    """A PDF header and random bytes: no two documents alike, and large enough to be sent in
    several pieces."""
    return b"%PDF-1.4\n" + secrets.token_bytes(300_000) + b"\n%%EOF\n"


@pytest.fixture(scope="module")
def front(tmp_path_factory):
    if not shutil.which("nginx"):
        pytest.skip("needs Debian's nginx (apt-get install nginx-light)")
    folder = tmp_path_factory.mktemp("documents-behind-nginx")
    with sqlite_site_behind_nginx(folder, DOCUMENTS_SENDFILE="nginx") as nginx:
        yield nginx


def choice(form, label):
    """The value of the option or checkbox labelled `label` in an admin form."""
    return re.search(rf'value="(\d+)"[^>]*>\s*{re.escape(label)}\s*<', form).group(1)


@pytest.fixture(scope="module")
def documents(front):
    """A public document, and a private one in a collection only signed-in users may see, with
    an editor to see it: {file name: (serve path, media path, bytes)}."""
    admin = AdminSession(front, ADMIN_PASSWORD)
    root = choice(admin.get("/admin/collections/add/").text, "根目录")
    answer = admin.post_form("/admin/collections/add/", {"name": "内部资料", "parent": root})
    assert answer.status == 302, answer.text[:2000]
    private = choice(admin.get("/admin/documents/add/").text, "内部资料")
    answer = admin.post_form(
        f"/admin/collections/{private}/privacy/", {"restriction_type": "login"}
    )
    assert '"is_public": false' in answer.text, answer.text[:2000]

    made = {}
    for name, collection in ((PUBLIC_FILE, root), (PRIVATE_FILE, private)):
        content = pdf_bytes()
        answer = admin.upload_document(name.removesuffix(".pdf"), name, content, collection)
        assert answer.status == 302, answer.text[:2000]
        listing = admin.get("/admin/documents/").text
        serve = re.search(rf'href="(/documents/\d+/([^"]+))"[^>]*>{re.escape(name)}<', listing)
        made[name] = (serve.group(1), f"/media/documents/{serve.group(2)}", content)

    editors = choice(admin.get("/admin/users/new/").text, "编辑")
    answer = admin.post_form(
        "/admin/users/new/",
        {
            "username": "editor",
            "email": "editor@example.cn",
            "first_name": "小",
            "last_name": "编",
            "password1": EDITOR_PASSWORD,
            "password2": EDITOR_PASSWORD,
            "groups": editors,
        },
    )
    assert answer.status == 302, answer.text[:2000]
    return made


@pytest.mark.parametrize("name", [PUBLIC_FILE, PRIVATE_FILE])
def test_nginx_never_serves_a_document_from_the_media_folder(front, documents, name):
    _serve, media, _content = documents[name]
    answer = front.request("GET", media)
    assert answer.status == 404
    assert b"%PDF" not in answer.body


def test_a_private_document_sends_an_anonymous_reader_to_sign_in(front, documents):
    serve, _media, _content = documents[PRIVATE_FILE]
    answer = front.request("GET", serve)
    assert answer.status == 302
    assert "login" in answer.headers["location"]
    assert b"%PDF" not in answer.body


def test_a_public_document_is_downloaded_whole_from_nginx(front, documents):
    serve, _media, content = documents[PUBLIC_FILE]
    answer = front.request("GET", serve)
    assert answer.status == 200
    assert answer.body == content
    # nginx took the file over: Django's instruction stays between them.
    assert "x-accel-redirect" not in answer.headers
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"].startswith("attachment")
    # What Django's serve view adds to a download, nginx adds too.
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["content-security-policy"] == "default-src 'none'"


def test_a_broken_download_resumes_where_it_stopped(front, documents):
    # nginx answers ranges of a file it sends; Django's own streaming sends the whole file again.
    serve, _media, content = documents[PUBLIC_FILE]
    answer = front.request("GET", serve, headers={"Range": "bytes=100000-"})
    assert answer.status == 206
    assert answer.body == content[100000:]


def test_a_signed_in_editor_downloads_the_private_document(front, documents):
    serve, _media, content = documents[PRIVATE_FILE]
    editor = AdminSession(front, EDITOR_PASSWORD, username="editor")
    answer = editor.get(serve)
    assert answer.status == 200
    assert answer.body == content
    assert "x-accel-redirect" not in answer.headers
    assert answer.headers["content-disposition"].startswith("attachment")


def test_a_misspelt_sendfile_setting_stops_the_site_from_starting():
    result = run_with_production_settings(
        "manage.py",
        "check",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="www.example.cn",
        DOCUMENTS_SENDFILE="ngnix",
    )
    assert result.returncode != 0
    assert "DOCUMENTS_SENDFILE" in result.stderr
