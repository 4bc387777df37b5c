"""Upload limits: what the image and document libraries refuse, with a message, saving nothing;
and documents are always downloaded, never shown inline."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection


@pytest.fixture
def admin_client(db):
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("uploader", password="x" * 12))
    return client


def picture(size=(40, 30), kind="PNG"):
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, (166, 27, 27)).save(buffer, kind)
    return buffer.getvalue()


def noisy_picture():
    """A picture that does not compress to a few bytes, so that cutting it loses pixels."""
    import random

    noise = random.Random(1)
    image = PillowImage.new("RGB", (200, 200))
    image.putdata([tuple(noise.randrange(256) for _ in range(3)) for _ in range(200 * 200)])
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def upload(client, library, name, content):
    """Send a file through the admin's add form of the image or document library."""
    return client.post(
        f"/admin/{library}/add/",
        {
            "title": "上传测试",
            "collection": Collection.get_first_root_node().pk,
            "file": SimpleUploadedFile(name, content),
        },
    )


def upload_image(client, name, content):
    return upload(client, "images", name, content)


def test_a_good_picture_is_accepted(admin_client):
    upload_image(admin_client, "good.png", picture())
    assert get_image_model().objects.filter(title="上传测试").exists()


@pytest.mark.parametrize(
    "name, content",
    [
        pytest.param(
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            id="svg",
        ),
        pytest.param("photo.jpg", picture(kind="PNG"), id="png-named-jpg"),
        pytest.param("cut.png", noisy_picture()[:2000], id="truncated"),
        pytest.param("huge.png", picture((8000, 6000)), id="48-megapixels"),
        pytest.param("notes.png", b"not a picture at all", id="not-an-image"),
    ],
)
def test_bad_pictures_are_refused_and_nothing_is_saved(admin_client, name, content):
    response = upload_image(admin_client, name, content)
    assert response.status_code == 200  # the form again, with the error
    assert response.context["form"].errors["file"]
    assert not get_image_model().objects.exists()


def test_a_picture_over_the_size_limit_is_refused(admin_client, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1024
    response = upload_image(admin_client, "big.png", picture((400, 400)) + b"\0" * 2048)
    assert response.context["form"].errors["file"]
    assert not get_image_model().objects.exists()


def upload_document(client, name, content):
    return upload(client, "documents", name, content)


def test_documents_outside_the_allow_list_are_refused(admin_client):
    for name in ("setup.exe", "page.html", "drawing.svg", "script.js"):
        response = upload_document(admin_client, name, b"content")
        assert response.context["form"].errors["file"], name
    assert not get_document_model().objects.exists()


def test_a_document_over_the_size_limit_is_refused_in_chinese(admin_client, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    response = upload_document(admin_client, "report.pdf", b"%PDF-1.4\n" + b"0" * 4096)
    assert "文件过大" in str(response.context["form"].errors["file"])
    assert not get_document_model().objects.exists()


def test_documents_are_downloaded_as_attachments(db):
    document = get_document_model().objects.create(
        title="会议通知", file=ContentFile(b"%PDF-1.4\n", name="notice.pdf")
    )
    response = Client().get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
