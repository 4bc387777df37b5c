"""The image and document libraries' forms: pictures that decode, files replaced under review.

A file that a live page shows is replaced only by a reviewer, and the old one is kept
(news/library/replacement.py).

A picture must decode completely before it is accepted. Wagtail checks the format, the file size
and the pixel count (settings in sitecms/settings), but a truncated file either breaks those
checks with an uncaught error or passes them and fails later, when a reader's page asks for its
renditions. Decoding is done at a reduced scale where the format allows it, so a large photo
costs little memory.
"""

import struct

from django.core.exceptions import ValidationError
from PIL import Image as PillowImage
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from news.library.replacement import ReviewedReplacementForm

CORRUPT = "图片文件已损坏或不完整,请重新导出后再上传。"
FULL_DECODE_PIXELS = 4_000_000


def decode_completely(file):
    file.seek(0)
    try:
        with PillowImage.open(file) as picture:
            if picture.format == "JPEG":
                picture.draft("RGB", (picture.width // 8 or 1, picture.height // 8 or 1))
                picture.load()
            elif picture.width * picture.height <= FULL_DECODE_PIXELS:
                picture.load()
            else:
                picture.verify()  # checks every chunk without holding the bitmap
    finally:
        file.seek(0)


class CompleteImageField(WagtailImageField):
    def to_python(self, data):
        try:
            file = super().to_python(data)  # format, size and pixel count first
            if file is not None and hasattr(file, "seek"):
                decode_completely(file)
        except (OSError, SyntaxError, ValueError, struct.error, EOFError) as error:
            raise ValidationError(CORRUPT, code="corrupt") from error
        return file


class ImageForm(ReviewedReplacementForm, BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "file" in self.fields:
            # Made per form, as Wagtail's own field is, so the limits in the settings apply.
            original = self.fields["file"]
            self.fields["file"] = CompleteImageField(
                label=original.label, required=original.required, widget=original.widget
            )


class DocumentForm(ReviewedReplacementForm, BaseDocumentForm):
    """The document library's add and edit form."""
