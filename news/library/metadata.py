"""Pictures are stored without what the camera wrote into them: place, camera, software, comments.

A phone photo carries its GPS position, the camera's make, model and serial number, the editing
software and sometimes a thumbnail of the uncropped picture (EXIF, XMP, IPTC, JPEG comments, PNG
text chunks, the extra frames of a phone's multi-picture JPEG). Wagtail's renditions copy the EXIF
block of the original into every JPEG and PNG they make (Willow's `save_as_jpeg` passes it on), so
the share image and every size on the site would publish where the photo was taken. The original
is therefore cleaned before it is first written to storage, and the renditions, made from it,
have nothing to copy.

Cleaning applies the orientation the camera recorded to the pixels (the picture looks as it did,
without the tag that turned it) and writes the picture again with only what drawing it needs: its
colour profile, transparency, animation timing and print resolution. A JPEG is written with its
own quantisation tables and subsampling, so it is not compressed again at a lower quality; a
lossless WebP stays lossless. A picture with nothing to remove is stored byte for byte as it was.

Every way a picture reaches the image library goes through `strip_before_storing`, called before
each save of the image model and of Wagtail's `UploadedFile` (news/signal_handlers.py; the
multiple uploader parks a file there when the rest of its form is invalid): the admin's add and
edit forms, the chooser's and the multiple uploader's uploads, the demo pictures and any script.
Pictures stored before this existed are cleaned by `manage.py clean_picture_metadata`.

Pillow, which Wagtail already uses to read every upload, does the work: libraries made for
removing metadata either rewrite only some formats without turning the pixels, or bring a second
parser of untrusted files into the site.
"""

import os
from io import BytesIO

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, ImageSequence, JpegImagePlugin, UnidentifiedImageError

# What a picture needs to be drawn as it was. (Pillow hands an animation's frames over whole,
# already disposed of and blended, so how each frame was laid over the last is not needed.)
DRAWING_INFO = {"transparency", "loop", "background", "dpi"}
# What a picture may say about where, when, how and by whom it was taken.
METADATA_INFO = {
    "exif",
    "xmp",
    "XML:com.adobe.xmp",
    "Raw profile type exif",
    "comment",
    "photoshop",
    "iptc",
}
# The JPEG segments that describe how to draw the file (JFIF, colour profile, Adobe colour
# transform), by marker and the signature their data opens with. Everything else (EXIF and XMP
# in APP1, a JFXX thumbnail in APP0, the multi-picture index in APP2, IPTC in APP13, comments)
# is about the photo, not the drawing.
JPEG_DRAWING_SEGMENTS = {"APP0": b"JFIF\0", "APP2": b"ICC_PROFILE\0", "APP14": b"Adobe"}
# A phone's multi-picture JPEG is written back as the plain JPEG of its first picture: the others
# (depth maps, previews) carry their own EXIF, and no browser shows them.
SAVED_AS = {"MPO": "JPEG"}
WEBP_QUALITY = 90


def carries_metadata(picture):
    """Whether an open Pillow picture says anything besides how to draw it."""
    # The orientation tag lives in the EXIF or XMP, so a turned picture is caught here too.
    if METADATA_INFO & set(picture.info):
        return True
    if picture.format in ("JPEG", "MPO"):
        return picture.format == "MPO" or not all(
            is_drawing_segment(marker, data) for marker, data in picture.applist
        )
    if picture.format == "PNG":
        return bool(picture.text)
    return False


def is_drawing_segment(marker, data):
    signature = JPEG_DRAWING_SEGMENTS.get(marker)
    return signature is not None and data.startswith(signature)


def webp_is_lossless(content):
    """Whether a WebP file's picture is lossless (VP8L) rather than lossy (VP8), read from its
    RIFF chunks: Pillow does not say, and saving a lossless picture lossy would blur it."""
    position = 12
    while position + 8 <= len(content):
        tag = content[position : position + 4]
        size = int.from_bytes(content[position + 4 : position + 8], "little")
        if tag in (b"VP8 ", b"VP8L"):
            return tag == b"VP8L"
        if tag == b"ANMF":
            position += 8 + 16  # into the first frame: past its header, to its picture chunk
            continue
        position += 8 + size + (size & 1)
    return False


def saving_options(picture, content):
    """How to write `picture` again so that it looks and weighs as it did."""
    options = {key: value for key, value in picture.info.items() if key in DRAWING_INFO}
    if icc_profile := picture.info.get("icc_profile"):
        options["icc_profile"] = icc_profile
    if picture.format in ("JPEG", "MPO"):
        options["qtables"] = picture.quantization
        options["subsampling"] = JpegImagePlugin.get_sampling(picture)
        options["progressive"] = "progressive" in picture.info or "progression" in picture.info
    elif picture.format == "WEBP":
        options["lossless"] = webp_is_lossless(content)
        options["quality"] = WEBP_QUALITY
    return options


def frame_durations(animation):
    durations = []
    for frame in ImageSequence.Iterator(animation):
        frame.load()  # a WebP frame tells its duration once decoded
        durations.append(frame.info.get("duration", 0))
    animation.seek(0)
    return durations


def without_metadata(content):
    """The picture's bytes with the metadata removed, or None when there is none to remove (or
    `content` is no picture Pillow reads: the upload form has refused those already)."""
    try:
        picture = Image.open(BytesIO(content))
    except UnidentifiedImageError:
        return None
    with picture:
        if not carries_metadata(picture):
            return None
        options = saving_options(picture, content)
        picture_format = SAVED_AS.get(picture.format, picture.format)
        output = BytesIO()
        if picture_format == picture.format and getattr(picture, "n_frames", 1) > 1:
            # An animation is written frame by frame, unturned: no camera makes a turned one.
            # Only the options given are written, so each frame's own metadata stays behind.
            options["duration"] = frame_durations(picture)
            picture.info = dict(options)
            picture.save(output, picture_format, save_all=True, **options)
        else:
            clean = ImageOps.exif_transpose(picture)
            clean.info = {}
            clean.save(output, picture_format, **options)
        return output.getvalue()


def strip_before_storing(instance):
    """Clean a picture's new file before it is written to storage (called before it is saved).

    A file not yet in storage is one just assigned: a new upload or a replacement. Files already
    stored, and saves of other fields, are left alone."""
    field_file = instance.file
    # Django writes a newly assigned file to storage in this same save, when `_committed` is False.
    if not field_file or field_file._committed or not holds_picture(instance):
        return
    field_file.file.seek(0)
    cleaned = without_metadata(field_file.file.read())
    field_file.file.seek(0)
    if cleaned is None:
        return
    # Assigning the new file makes Django measure its width and height again (turned, they swap).
    instance.file = ContentFile(cleaned, name=os.path.basename(field_file.name))
    if hasattr(instance, "_set_image_file_metadata"):
        # The form measured size and hash of the file as uploaded; the stored one is the clean one.
        instance._set_image_file_metadata()


def holds_picture(instance):
    from wagtail.images import get_image_model
    from wagtail.models import UploadedFile

    if isinstance(instance, UploadedFile):
        return instance.for_content_type.model_class() is get_image_model()
    return True
