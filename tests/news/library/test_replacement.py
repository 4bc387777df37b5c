"""Replacing the file of a picture or document that a live page shows, or changing its title or
focal point: editors are refused with a Chinese reason and lose nothing, reviewers may, the old
file is kept and can be put back, and the live page shows the change on its next request."""

import io

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from core import generation
from news.library.models import ReplacedFile
from news.models import ArticleAttachment
from tests.factories import ArticlePageFactory

RED, BLUE = (200, 30, 30), (30, 30, 200)
FOCAL_POINT = ["focal_point_x", "focal_point_y", "focal_point_width", "focal_point_height"]


def jpeg(colour, size=(1200, 800)):
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, colour).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


@pytest.fixture
def cover(db):
    return get_image_model().objects.create(
        title="会场全景", file=ImageFile(io.BytesIO(jpeg(RED)), name="hall.jpg")
    )


@pytest.fixture
def live_article(column, cover):
    return ArticlePageFactory(parent=column, title="支部书记座谈会召开", cover_image=cover)


def replace_picture(client, image, content, name="new.jpg"):
    """The image library's edit form, with a new file chosen."""
    return client.post(
        reverse("wagtailimages:edit", args=(image.pk,)),
        {"title": image.title, "file": SimpleUploadedFile(name, content)},
    )


def share_picture(reader, article):
    """The address of the article's share picture and the colour in its middle, as served."""
    page = reader.get(article.url).content.decode()
    url = page.split('property="og:image" content="', 1)[1].split('"', 1)[0]
    with default_storage.open(url.split(settings.MEDIA_URL, 1)[1]) as stored:
        picture = PillowImage.open(io.BytesIO(stored.read())).convert("RGB")
    return url, picture.getpixel((picture.width // 2, picture.height // 2))


def near(colour, expected, tolerance=12):
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


def test_an_editor_cannot_replace_a_picture_a_live_article_shows(
    editor_client, live_article, cover, reader
):
    url_before, colour = share_picture(reader, live_article)
    assert near(colour, RED)
    renditions = {rendition.pk: rendition.file.name for rendition in cover.renditions.all()}
    old_name = cover.file.name

    response = replace_picture(editor_client, cover, jpeg(BLUE))

    assert response.status_code == 200
    error = " ".join(response.context["form"].errors["file"])
    assert "《支部书记座谈会召开》" in error
    assert "审核" in error and "新图片" in error and "草稿" in error
    cover.refresh_from_db()
    assert cover.file.name == old_name
    assert default_storage.exists(old_name)
    # (The form shown again adds the admin's own previews.)
    assert {r.pk: r.file.name for r in cover.renditions.all()}.items() >= renditions.items()
    assert all(default_storage.exists(name) for name in renditions.values())
    url_after, colour = share_picture(reader, live_article)
    assert url_after == url_before and near(colour, RED)
    assert not ReplacedFile.objects.exists()


def test_an_editor_cannot_replace_a_picture_in_the_body_of_a_live_article(
    editor_client, column, cover
):
    ArticlePageFactory(
        parent=column,
        title="正文配图的文章",
        body=[
            {"type": "paragraph", "value": "<p>导语。</p>"},
            {"type": "image", "value": {"image": cover.pk, "caption": "现场"}},
        ],
    )
    response = replace_picture(editor_client, cover, jpeg(BLUE))
    assert "《正文配图的文章》" in " ".join(response.context["form"].errors["file"])


def test_an_editor_cannot_retitle_or_recrop_a_picture_a_live_article_shows(
    editor_client, live_article, cover
):
    url = reverse("wagtailimages:edit", args=(cover.pk,))
    response = editor_client.post(url, {"title": "会场全景(新标题)"})
    assert response.status_code == 200
    error = " ".join(response.context["form"].errors["title"])
    assert "《支部书记座谈会召开》" in error and "替代文字" in error and "审核" in error
    cropped = {"title": cover.title, **dict.fromkeys(FOCAL_POINT, 100)}
    response = editor_client.post(url, cropped)
    assert "焦点" in " ".join(response.context["form"].non_field_errors())
    cover.refresh_from_db()
    assert cover.title == "会场全景" and cover.focal_point_x is None


def test_an_editor_may_retitle_a_picture_no_live_page_shows_and_change_tags_of_any(
    editor_client, column, cover, live_article
):
    url = reverse("wagtailimages:edit", args=(cover.pk,))
    assert editor_client.post(url, {"title": cover.title, "tags": "会议"}).status_code == 302
    unused = get_image_model().objects.create(
        title="备用图片", file=ImageFile(io.BytesIO(jpeg(BLUE)), name="spare.jpg")
    )
    ArticlePageFactory(parent=column, live=False, cover_image=unused)  # a draft's only
    spare = reverse("wagtailimages:edit", args=(unused.pk,))
    assert editor_client.post(spare, {"title": "备用图片(新)"}).status_code == 302


def test_a_reviewer_retitles_a_picture_a_live_article_shows(reviewer_client, live_article, cover):
    url = reverse("wagtailimages:edit", args=(cover.pk,))
    assert reviewer_client.post(url, {"title": "会场全景(新标题)"}).status_code == 302
    cover.refresh_from_db()
    assert cover.title == "会场全景(新标题)"


def test_an_editor_cannot_rename_a_document_a_live_article_lists(editor_client, column, reader):
    document = get_document_model().objects.create(
        title="会议通知", file=ContentFile(b"%PDF-1.4\nold\n", name="notice.pdf")
    )
    article = ArticlePageFactory(parent=column, title="附件文章")
    article.attachments = [ArticleAttachment(document=document)]
    article.save_revision().publish()
    url = reverse("wagtaildocs:edit", args=(document.pk,))
    response = editor_client.post(url, {"title": "改过的文件名"})
    assert response.status_code == 200
    assert "下载时看到的文件名" in " ".join(response.context["form"].errors["title"])
    document.refresh_from_db()
    assert document.title == "会议通知"
    assert ">会议通知</a>" in reader.get(article.url).content.decode()


def test_an_editor_may_replace_a_picture_only_a_draft_uses(editor_client, column, cover):
    draft = ArticlePageFactory(parent=column, live=False, cover_image=cover)
    assert not draft.live
    old_name = cover.file.name
    response = replace_picture(editor_client, cover, jpeg(BLUE))
    assert response.status_code == 302
    cover.refresh_from_db()
    assert cover.file.name != old_name
    assert default_storage.exists(old_name)


@pytest.mark.parametrize("who", ["reviewer_client", "superuser_client"])
def test_a_reviewer_replaces_a_picture_a_live_article_shows_and_the_old_file_is_kept(
    request, who, live_article, cover, reader, django_capture_on_commit_callbacks
):
    client = request.getfixturevalue(who)
    share_picture(reader, live_article)  # the page and its share picture are cached now
    old_name = cover.file.name
    old_renditions = [rendition.file.name for rendition in cover.renditions.all()]
    before = generation.read()

    with django_capture_on_commit_callbacks(execute=True):
        response = replace_picture(client, cover, jpeg(BLUE))

    assert response.status_code == 302
    cover.refresh_from_db()
    assert cover.file.name != old_name
    assert default_storage.exists(old_name)
    kept = ReplacedFile.objects.get()
    assert (kept.target, kept.file_name, kept.replaced_by) == (cover, old_name, client.user)
    assert not cover.renditions.exists()
    assert not any(default_storage.exists(name) for name in old_renditions)
    assert generation.read() > before
    assert near(share_picture(reader, live_article)[1], BLUE)


def test_a_replaced_picture_is_restored_with_its_size_and_the_article_shows_it_again(
    reviewer_client, live_article, cover, reader, django_capture_on_commit_callbacks
):
    old_name = cover.file.name
    with django_capture_on_commit_callbacks(execute=True):
        replace_picture(reviewer_client, cover, jpeg(BLUE, size=(1600, 900)))
    cover.refresh_from_db()
    new_name = cover.file.name
    assert (cover.width, cover.height) == (1600, 900)
    assert near(share_picture(reader, live_article)[1], BLUE)
    kept = ReplacedFile.objects.get()
    listing = io.StringIO()
    call_command("replaced_files", stdout=listing)
    assert f"{kept.pk}\t" in listing.getvalue() and "《会场全景》" in listing.getvalue()
    before = generation.read()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("replaced_files", "--restore", str(kept.pk), stdout=io.StringIO())

    cover.refresh_from_db()
    assert cover.file.name == old_name
    assert (cover.width, cover.height) == (1200, 800)
    assert cover.file_size == default_storage.size(old_name)
    assert generation.read() > before
    assert near(share_picture(reader, live_article)[1], RED)
    # Putting the old file back keeps the one it replaced, so that can be undone too.
    assert ReplacedFile.objects.get().file_name == new_name
    assert default_storage.exists(new_name)


def test_restoring_a_kept_file_gone_from_storage_says_so_and_changes_nothing(
    reviewer_client, live_article, cover
):
    replace_picture(reviewer_client, cover, jpeg(BLUE))
    cover.refresh_from_db()
    current = cover.file.name
    kept = ReplacedFile.objects.get()
    default_storage.delete(kept.file_name)
    with pytest.raises(CommandError, match="已不在存储中"):
        call_command("replaced_files", "--restore", str(kept.pk), stdout=io.StringIO())
    cover.refresh_from_db()
    assert cover.file.name == current


def test_a_kept_file_can_be_deleted_for_good(
    reviewer_client, live_article, cover, django_capture_on_commit_callbacks
):
    old_name = cover.file.name
    replace_picture(reviewer_client, cover, jpeg(BLUE))
    kept = ReplacedFile.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("replaced_files", "--delete", str(kept.pk), stdout=io.StringIO())
    assert not ReplacedFile.objects.exists()
    assert not default_storage.exists(old_name)


def test_a_replaced_document_keeps_its_old_file_and_can_be_restored(editor_client):
    document = get_document_model().objects.create(
        title="会议通知", file=ContentFile(b"%PDF-1.4\nold\n", name="notice.pdf")
    )
    old_name = document.file.name
    response = editor_client.post(
        reverse("wagtaildocs:edit", args=(document.pk,)),
        {"title": document.title, "file": SimpleUploadedFile("notice.pdf", b"%PDF-1.4\nnew\n")},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document.refresh_from_db()
    assert document.file.name != old_name
    assert default_storage.open(old_name).read() == b"%PDF-1.4\nold\n"
    kept = ReplacedFile.objects.get()
    assert kept.target == document
    call_command("replaced_files", "--restore", str(kept.pk), stdout=io.StringIO())
    document.refresh_from_db()
    assert document.file.name == old_name
    assert document.file_size == len(b"%PDF-1.4\nold\n")


def test_deleting_a_picture_deletes_the_files_kept_for_it(
    reviewer_client, superuser_client, live_article, cover, django_capture_on_commit_callbacks
):
    old_name = cover.file.name
    replace_picture(reviewer_client, cover, jpeg(BLUE))
    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(reverse("wagtailimages:delete", args=(cover.pk,)))
    assert response.status_code == 302
    assert not ReplacedFile.objects.exists()
    assert not default_storage.exists(old_name)


def test_a_picture_deleted_in_the_library_leaves_the_live_article_on_the_next_request(
    superuser_client, live_article, cover, reader
):
    assert near(share_picture(reader, live_article)[1], RED)
    before = generation.read()
    response = superuser_client.post(reverse("wagtailimages:delete", args=(cover.pk,)))
    assert response.status_code == 302
    assert generation.read() > before
    assert 'property="og:image"' not in reader.get(live_article.url).content.decode()


def bulk_url(app, model, action, *objects):
    ids = "&".join(f"id={obj.pk}" for obj in objects)
    return reverse("wagtail_bulk_action", args=(app, model, action)) + f"?{ids}"


def test_an_editor_cannot_delete_a_picture_a_live_article_shows_by_any_door(
    editor_client, live_article, cover
):
    cover.uploaded_by_user = editor_client.user  # the uploader, whom Wagtail lets delete
    cover.save()
    for url in (
        reverse("wagtailimages:delete", args=(cover.pk,)),
        reverse("wagtailimages:delete_multiple", args=(cover.pk,)),
        bulk_url("wagtailimages", "image", "delete", cover),
    ):
        answer = editor_client.post(url)
        assert answer.status_code == 302, url
        follow = editor_client.get(answer["Location"]).content.decode()
        assert "《支部书记座谈会召开》" in follow and "只有审核人员可以删除" in follow, url
        assert get_image_model().objects.filter(pk=cover.pk).exists(), url
    ajax = editor_client.post(
        reverse("wagtailimages:delete_multiple", args=(cover.pk,)),
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert ajax.status_code == 403 and "审核" in ajax.json()["error_message"]


def test_a_reviewer_deletes_it_and_an_editor_deletes_what_no_live_page_shows(
    editor_client, reviewer_client, live_article, cover
):
    spare = get_image_model().objects.create(
        title="备用图片",
        file=ImageFile(io.BytesIO(jpeg(BLUE)), name="spare.jpg"),
        uploaded_by_user=editor_client.user,
    )
    editor_client.post(reverse("wagtailimages:delete", args=(spare.pk,)))
    assert not get_image_model().objects.filter(pk=spare.pk).exists()
    reviewer_client.post(reverse("wagtailimages:delete", args=(cover.pk,)))
    assert not get_image_model().objects.filter(pk=cover.pk).exists()


def test_an_editor_cannot_move_a_live_attachment_into_another_collection(editor_client, column):
    from wagtail.models import Collection

    private = Collection.get_first_root_node().add_child(name="内部资料")
    document = get_document_model().objects.create(
        title="会议通知",
        file=ContentFile(b"%PDF-1.4\\nx\\n", name="notice.pdf"),
        uploaded_by_user=editor_client.user,
    )
    article = ArticlePageFactory(parent=column, title="附件文章")
    article.attachments = [ArticleAttachment(document=document)]
    article.save_revision().publish()
    edit = editor_client.post(
        reverse("wagtaildocs:edit", args=(document.pk,)),
        {"title": document.title, "collection": private.pk},
    )
    assert "所在集合决定谁能下载" in " ".join(edit.context["form"].errors["collection"])
    bulk = bulk_url("wagtaildocs", "document", "add_to_collection", document)
    for url in (bulk, reverse("wagtaildocs:delete", args=(document.pk,))):
        assert editor_client.post(url, {"collection": private.pk}).status_code == 302
    document.refresh_from_db()
    assert document.collection_id == Collection.get_first_root_node().pk
