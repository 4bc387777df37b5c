"""Pictures lose where and with what they were taken: the stored original and every rendition
carry no GPS position, camera, software or comment, look as the camera meant them to, and keep
their colour profile; a picture with nothing to remove is stored as it was uploaded."""

import io
import json

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import ExifTags, ImageCms, PngImagePlugin
from PIL import Image as PillowImage
from wagtail.images import get_image_model
from wagtail.models import Collection, UploadedFile

from news.library.models import ReplacedFile
from news.library.replacement import keep

CAMERA = "QingxiCam"
MODEL = "Spyphone 12 Pro"
PLACE = (30.0, 15.0, 7.5)
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:tiff="http://ns.adobe.com/tiff/1.0/" tiff:Make="QingxiCam"/></rdf:RDF></x:xmpmeta>'
)
RED, GREEN = (200, 30, 30), (30, 200, 30)


def camera_exif(orientation=6):
    """What a phone writes: its make and model, where the photo was taken, which way is up."""
    exif = PillowImage.Exif()
    exif[ExifTags.Base.Make] = CAMERA
    exif[ExifTags.Base.Model] = MODEL
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = PLACE
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (118.0, 5.0, 2.0)
    return exif


def sensor_picture(size, mode="RGB"):
    """Red, with a green block in the sensor's top left corner to tell which way it is turned."""
    picture = PillowImage.new(mode, size, RED)
    picture.paste(GREEN, (0, 0, size[0] // 4, size[1] // 4))
    return picture


def encode(picture, kind, **options):
    buffer = io.BytesIO()
    picture.save(buffer, kind, **options)
    return buffer.getvalue()


def phone_photo(size=(2000, 1300)):
    """A JPEG as a phone saves it: held upright, so the sensor's picture is turned a quarter
    (orientation 6), with GPS, make and model, an XMP packet, a comment and an sRGB profile."""
    return encode(
        sensor_picture(size),
        "JPEG",
        quality=90,
        exif=camera_exif(),
        xmp=XMP,
        comment=CAMERA.encode(),
        icc_profile=SRGB,
    )


def says_nothing_about_the_camera(content):
    """No GPS, make, model, XMP or comment, read by Pillow and looked for in the bytes."""
    assert CAMERA.encode() not in content
    assert MODEL.encode() not in content
    with PillowImage.open(io.BytesIO(content)) as picture:
        exif = picture.getexif()
        assert ExifTags.Base.Make not in exif
        assert ExifTags.Base.Model not in exif
        assert ExifTags.Base.Orientation not in exif
        assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
        assert not {"exif", "xmp", "comment", "XML:com.adobe.xmp"} & set(picture.info)
        return picture.format, picture.size, picture.info.get("icc_profile")


def colour_at(content, x, y):
    with PillowImage.open(io.BytesIO(content)) as picture:
        return picture.convert("RGB").getpixel((x, y))


def near(colour, expected, tolerance=24):
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


def stored(field_file):
    field_file.open("rb")
    try:
        return field_file.read()
    finally:
        field_file.close()


def upload(client, name, content, title="上传的照片"):
    """The admin's 添加图片 form, as an editor sends it."""
    response = client.post(
        reverse("wagtailimages:add"), {"title": title, "file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return get_image_model().objects.get(title=title)


def test_a_phone_photo_is_stored_without_its_place_or_camera_and_upright(editor_client):
    image = upload(editor_client, "phone.jpg", phone_photo())
    original = stored(image.file)
    kind, size, profile = says_nothing_about_the_camera(original)
    assert kind == "JPEG"
    # The quarter turn is in the pixels now: what was the sensor's top left is the top right.
    assert size == (1300, 2000) == (image.width, image.height)
    assert near(colour_at(original, 1290, 10), GREEN)
    assert near(colour_at(original, 10, 10), RED)
    assert profile == SRGB
    # What the library says about the file is about the file it keeps.
    assert image.file_size == len(original)
    image.file_hash, recorded = "", image.file_hash
    image._set_file_hash()
    assert image.file_hash == recorded


@pytest.mark.parametrize("spec, size", [("fill-1200x630", (1200, 630)), ("width-800", None)])
def test_renditions_of_a_phone_photo_carry_no_place_or_camera(editor_client, spec, size):
    image = upload(editor_client, "phone.jpg", phone_photo())
    rendition = image.get_rendition(spec)
    content = stored(rendition.file)
    kind, rendered_size, profile = says_nothing_about_the_camera(content)
    assert kind == "JPEG"
    assert profile == SRGB
    if size:
        assert rendered_size == size
    else:
        assert rendered_size == (800, 2000 * 800 // 1300)  # upright: taller than wide
        assert near(colour_at(content, 790, 10), GREEN)


def test_the_share_picture_of_a_live_article_carries_no_place_or_camera(
    editor_client, column, reader
):
    from tests.factories import ArticlePageFactory

    image = upload(editor_client, "phone.jpg", phone_photo())
    article = ArticlePageFactory(parent=column, cover_image=image)
    page = reader.get(article.url).content.decode()
    share_url = page.split('property="og:image" content="', 1)[1].split('"', 1)[0]
    name = share_url.split(settings.MEDIA_URL, 1)[1]
    content = default_storage.open(name).read()
    assert says_nothing_about_the_camera(content)[1] == (1200, 630)


def test_a_png_loses_its_text_chunks_and_keeps_its_profile_and_transparency(editor_client):
    text = PngImagePlugin.PngInfo()
    text.add_text("Make", CAMERA)
    text.add_itxt("Description", f"{MODEL} 拍摄于家中")
    picture = sensor_picture((300, 200), "RGBA")
    picture.putpixel((299, 199), (0, 0, 0, 0))
    image = upload(
        editor_client, "drawing.png", encode(picture, "PNG", pnginfo=text, icc_profile=SRGB)
    )
    original = stored(image.file)
    kind, size, profile = says_nothing_about_the_camera(original)
    assert (kind, size, profile) == ("PNG", (300, 200), SRGB)
    with PillowImage.open(io.BytesIO(original)) as clean:
        assert not clean.text
        assert clean.getpixel((299, 199))[3] == 0
        assert clean.convert("RGBA").tobytes() == picture.tobytes()
    assert says_nothing_about_the_camera(stored(image.get_rendition("width-200").file))


def test_a_webp_loses_its_exif_and_xmp_and_is_turned_upright(editor_client):
    content = encode(
        sensor_picture((400, 300)), "WEBP", exif=camera_exif(), xmp=XMP, icc_profile=SRGB
    )
    image = upload(editor_client, "photo.webp", content)
    original = stored(image.file)
    kind, size, profile = says_nothing_about_the_camera(original)
    assert (kind, size, profile) == ("WEBP", (300, 400), SRGB)
    assert near(colour_at(original, 290, 10), GREEN)
    assert says_nothing_about_the_camera(stored(image.get_rendition("width-200").file))


def test_a_phones_multi_picture_jpeg_is_stored_as_its_first_picture_alone(editor_client):
    # Phones add a depth map or a preview as a second picture, with its own EXIF.
    buffer = io.BytesIO()
    depth_map = PillowImage.new("RGB", (100, 75), (0, 0, 255))
    sensor_picture((400, 300)).save(
        buffer, "MPO", save_all=True, append_images=[depth_map], exif=camera_exif()
    )
    assert buffer.getvalue().count(CAMERA.encode()) == 2
    image = upload(editor_client, "portrait.jpg", buffer.getvalue())
    original = stored(image.file)
    assert says_nothing_about_the_camera(original)[:2] == ("JPEG", (300, 400))
    with PillowImage.open(io.BytesIO(original)) as picture:
        assert getattr(picture, "n_frames", 1) == 1


def test_an_animation_loses_its_comment_and_xmp_and_keeps_its_frames(editor_client):
    frames = [sensor_picture((80, 60)), sensor_picture((80, 60)).rotate(180)]
    content = encode(
        frames[0],
        "GIF",
        save_all=True,
        append_images=frames[1:],
        duration=[100, 300],
        loop=0,
        comment=CAMERA.encode(),
        xmp=XMP,
    )
    image = upload(editor_client, "moving.gif", content)
    original = stored(image.file)
    assert says_nothing_about_the_camera(original)[:2] == ("GIF", (80, 60))
    with PillowImage.open(io.BytesIO(original)) as clean:
        assert clean.n_frames == 2
        clean.seek(1)
        assert clean.info["duration"] == 300
        assert not {"comment", "xmp"} & set(clean.info)


@pytest.mark.parametrize(
    "name, kind, options",
    [
        ("plain.jpg", "JPEG", {"quality": 85}),
        ("profiled.jpg", "JPEG", {"icc_profile": SRGB}),
        ("plain.png", "PNG", {}),
        ("plain.webp", "WEBP", {}),
    ],
)
def test_a_picture_without_metadata_is_stored_byte_for_byte(editor_client, name, kind, options):
    content = encode(sensor_picture((320, 240)), kind, **options)
    image = upload(editor_client, name, content)
    assert stored(image.file) == content


def test_a_replacement_file_loses_its_metadata_too(editor_client):
    image = upload(editor_client, "first.png", encode(sensor_picture((50, 40)), "PNG"))
    response = editor_client.post(
        reverse("wagtailimages:edit", args=(image.pk,)),
        {"title": image.title, "file": SimpleUploadedFile("phone.jpg", phone_photo())},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    image.refresh_from_db()
    assert says_nothing_about_the_camera(stored(image.file))[1] == (1300, 2000)
    assert (image.width, image.height) == (1300, 2000)


def test_the_multiple_uploader_stores_pictures_without_metadata(editor_client):
    response = editor_client.post(
        reverse("wagtailimages:add_multiple"),
        {"title": "批量上传", "files[]": SimpleUploadedFile("phone.jpg", phone_photo())},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert json.loads(response.content)["success"]
    image = get_image_model().objects.get(title="批量上传")
    assert says_nothing_about_the_camera(stored(image.file))[1] == (1300, 2000)


def test_a_file_parked_by_the_multiple_uploader_is_stored_without_metadata(editor_client):
    # When the rest of the form is invalid (here a title too long), the multiple uploader keeps
    # the file aside and makes the image from it once the form is put right.
    editor_client.post(
        reverse("wagtailimages:add_multiple"),
        {"title": "长" * 300, "files[]": SimpleUploadedFile("phone.jpg", phone_photo())},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    parked = UploadedFile.objects.get()
    assert says_nothing_about_the_camera(stored(parked.file))[1] == (1300, 2000)
    response = editor_client.post(
        reverse("wagtailimages:create_multiple_from_uploaded_image", args=(parked.pk,)),
        {
            f"uploaded-image-{parked.pk}-title": "批量上传",
            f"uploaded-image-{parked.pk}-collection": Collection.get_first_root_node().pk,
        },
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert json.loads(response.content)["success"], response.content
    image = get_image_model().objects.get(title="批量上传")
    assert says_nothing_about_the_camera(stored(image.file))[1] == (1300, 2000)


def test_a_picture_saved_by_code_is_stored_without_metadata(db):
    image = get_image_model().objects.create(
        title="脚本导入", file=ImageFile(io.BytesIO(phone_photo()), name="phone.jpg")
    )
    assert says_nothing_about_the_camera(stored(image.file))[1] == (1300, 2000)
    assert (image.width, image.height) == (1300, 2000)


def test_pictures_stored_earlier_are_cleaned_with_their_renditions(
    db, django_capture_on_commit_callbacks
):
    # A picture stored before uploads were cleaned: the file is put in storage directly.
    name = default_storage.save("original_images/earlier.jpg", ContentFile(phone_photo()))
    image = get_image_model().objects.create(title="旧照片", file=name, width=2000, height=1300)
    old_rendition = image.get_rendition("width-800")
    assert CAMERA.encode() in stored(old_rendition.file)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("clean_picture_metadata", stdout=io.StringIO())
    image.refresh_from_db()
    assert says_nothing_about_the_camera(stored(image.file))[1] == (1300, 2000)
    assert (image.width, image.height) == (1300, 2000)
    assert not default_storage.exists(name)
    assert not image.renditions.filter(pk=old_rendition.pk).exists()
    assert says_nothing_about_the_camera(stored(image.get_rendition("width-800").file))


def test_old_files_kept_for_replaced_pictures_are_cleaned_too(
    db, django_capture_on_commit_callbacks
):
    image = get_image_model().objects.create(
        title="换过的照片",
        file=ImageFile(io.BytesIO(encode(sensor_picture((40, 30)), "PNG")), name="a.png"),
    )
    # An original stored before uploads were cleaned, since replaced and kept.
    earlier = default_storage.save("original_images/kept.jpg", ContentFile(phone_photo()))
    keep(image, earlier)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("clean_picture_metadata", stdout=io.StringIO())
    kept = ReplacedFile.objects.get(object_id=image.pk).file_name
    assert kept != earlier and not default_storage.exists(earlier)
    assert says_nothing_about_the_camera(default_storage.open(kept).read())[1] == (1300, 2000)
