"""Pictures served by Django itself when no web server is in front (SERVE_MEDIA=1, as `make serve`
sets): the renditions pages show, as deploy/nginx.conf serves them; never an original upload or a
document file; nothing at all without the setting."""

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from stack.site import Gunicorn, prepared_sqlite_site


@pytest.fixture
def serving(settings):
    settings.SERVE_MEDIA = True


def test_a_rendition_is_served_with_the_headers_nginx_gives_it(serving, image):
    rendition = image.get_rendition("fill-120x80")
    answer = Client().get(rendition.url)
    assert answer.status_code == 200
    with rendition.file.open("rb") as stored:
        assert b"".join(answer.streaming_content) == stored.read()
    assert answer["Content-Type"] == "image/jpeg"
    assert answer["Cache-Control"] == "public, max-age=2592000"
    assert answer["X-Content-Type-Options"] == "nosniff"


def test_originals_and_document_files_are_never_served_however_the_path_is_written(serving, image):
    document = default_storage.save("documents/内部资料.pdf", ContentFile(b"%PDF-1.4 secret"))
    for name in [image.file.name, document]:
        assert default_storage.exists(name)
        for path in [name, f"/{name}", f"./{name}", f"images/../{name}", f"images/./../{name}"]:
            assert Client().get(f"/media/{path}").status_code == 404, path


@pytest.mark.parametrize(
    "path",
    [
        "/media/images/",
        "/media/images/no-such.jpg",
        "/media/../sitecms/settings/base.py",
        "/media/.",
    ],
)
def test_a_missing_or_outside_file_is_a_404(serving, db, path):
    assert Client().get(path).status_code == 404


def test_pictures_answer_only_reading(serving, image):
    rendition = image.get_rendition("fill-120x80")
    assert Client().post(rendition.url).status_code == 405


def test_without_the_setting_django_serves_no_picture(image):
    rendition = image.get_rendition("fill-120x80")
    assert Client().get(rendition.url).status_code == 404


def test_the_production_stack_with_serve_media_shows_every_picture_of_the_home_page(tmp_path):
    environment = prepared_sqlite_site(tmp_path, SERVE_MEDIA="1", SCHEDULER_ENABLED="0")
    with Gunicorn(environment, tmp_path / "gunicorn.log") as stack:
        home = stack.request("GET", "/")
        pictures = set(re.findall(r'(?:src|srcset)="(/media/[^" ]+)', home.text))
        assert len(pictures) >= 3, home.text[:3000]
        for path in pictures:
            answer = stack.request("GET", path)
            assert answer.status == 200, path
            assert answer.headers["content-type"].startswith("image/"), path


def test_with_debug_on_a_document_file_is_still_not_served_from_the_media_folder(
    serving, settings, db
):
    """`DEBUG=1 make run` serves static files as edited, but the media folder as `make serve`
    does: pictures only, so a private collection's document is not one address away."""
    import importlib

    from django.urls import clear_url_caches

    import sitecms.urls

    document = default_storage.save("documents/内部资料.pdf", ContentFile(b"%PDF-1.4 secret"))
    settings.DEBUG = True
    try:
        importlib.reload(sitecms.urls)
        clear_url_caches()
        assert Client().get(f"/media/{document}").status_code == 404
    finally:
        settings.DEBUG = False
        importlib.reload(sitecms.urls)
        clear_url_caches()
