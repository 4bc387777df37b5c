"""A writer's attachment: one picture or PDF, checked as the document library checks its
uploads (news/library/uploads.py, news/library/contents.py) — its size, its extension, then its
contents: a PDF must be one, a picture must decode completely, and a program or a script is
refused whatever it is called. Each refusal says in Chinese what was wrong.

The file is stored under a random name in INTERACTION_FILES_DIR (models.private_files), outside
MEDIA_ROOT, where no URL reaches it; its original name is kept apart, as text, for staff.
"""

import os
import struct
import uuid

from django.core.exceptions import ValidationError
from PIL import Image as PillowImage

from news.library import contents
from news.library.files import size_in_words
from news.library.uploads import decode_completely

ALLOWED_EXTENSIONS = ("jpg", "jpeg", "png", "gif", "webp", "pdf")
PICTURES = {"jpg", "jpeg", "png", "gif", "webp"}
MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
NAME_MAX = 200

TOO_BIG = "附件“{name}”有 {size}，超过了上限 {limit}。请压缩后再上传。"
NOT_ALLOWED = "附件“{name}”的类型不能上传。只能上传图片（JPG、PNG、GIF、WebP）或 PDF 文件。"
CORRUPT = "附件“{name}”已损坏或不完整，无法打开。请重新导出后再上传。"
TOO_LARGE_PICTURE = "附件“{name}”的图片尺寸过大，请缩小后再上传。"


def allowed_words():
    return f"图片（JPG、PNG、GIF、WebP）或 PDF，不超过 {size_in_words(MAX_BYTES)}"


def check(file):
    """Raises ValidationError with the reason when `file` may not be kept."""
    name = os.path.basename(file.name or "")[:NAME_MAX]
    if file.size > MAX_BYTES:
        raise ValidationError(
            TOO_BIG.format(
                name=name, size=size_in_words(file.size, up=True), limit=size_in_words(MAX_BYTES)
            ),
            code="file_too_large",
        )
    extension = contents.extension_of(name)
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError(NOT_ALLOWED.format(name=name), code="invalid_extension")
    reason = contents.refusal(name, file)
    if reason:
        raise ValidationError(reason, code="content_mismatch")
    if extension in PICTURES:
        check_picture(name, file)


def check_picture(name, file):
    try:
        file.seek(0)
        with PillowImage.open(file) as picture:
            if picture.width * picture.height > MAX_PIXELS:
                raise ValidationError(TOO_LARGE_PICTURE.format(name=name), code="too_large")
        decode_completely(file)
    except ValidationError:
        raise
    except (
        OSError,
        SyntaxError,
        ValueError,
        struct.error,
        EOFError,
        PillowImage.DecompressionBombError,
    ) as error:
        raise ValidationError(CORRUPT.format(name=name), code="corrupt") from error
    finally:
        file.seek(0)


def stored(file):
    """(the file under a new random name, the name it came with)."""
    original = os.path.basename(file.name or "")[:NAME_MAX]
    file.name = f"{uuid.uuid4().hex}.{contents.extension_of(original)}"
    return file, original
