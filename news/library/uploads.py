"""The image and document libraries' forms: files that are what their names say, pictures that
decode, files replaced under review.

Every file is checked in one order, and the first fault is the one reason given, naming the
file: its size, its extension (the libraries' allowed lists), then its contents
(news/library/contents.py). Wagtail's document model checks the extension again; when the form
has refused the file already, that check sees no file at all and adds a second, false reason
("文件扩展“”是不被允许"), which the form leaves out. The size limit is also told to the browser
(static/js/admin/upload-checks.js), which refuses a file over it before it is sent.

After a refusal, the title Wagtail's script took from the refused file's name is emptied, so the
next file chosen gives the title its own name (the script fills an empty title only).

A file that a live page shows is replaced only by a reviewer, and the old one is kept
(news/library/replacement.py).

A picture must decode completely before it is accepted. Wagtail checks the format, the file size
and the pixel count (settings in sitecms/settings), but a truncated file either breaks those
checks with an uncaught error or passes them and fails later, when a reader's page asks for its
renditions. Decoding is done at a reduced scale where the format allows it, so a large photo
costs little memory.
"""

import os
import struct

from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms import FileField
from PIL import Image as PillowImage
from wagtail.documents.fields import WagtailDocumentField
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm
from wagtail.images.utils import get_allowed_image_extensions

from news.library import contents
from news.library.files import size_in_words
from news.library.replacement import ReviewedReplacementForm

CORRUPT = "图片文件已损坏或不完整，请重新导出后再上传。"
TOO_BIG = "“{name}”有 {size}，超过了{library}的上限 {limit}，没有上传。请压缩或拆分后再上传。"
NOT_ALLOWED = "“{name}”的类型（{extension}）不能上传到{library}。可以上传的类型：{allowed}。"
NO_EXTENSION = "“{name}”没有扩展名，无法判断它是什么文件。请加上扩展名（如 .pdf）后再上传。"
FULL_DECODE_PIXELS = 4_000_000


class CheckedUpload:
    """For a library's file field: the size, the extension and the contents of an upload,
    checked in that order, each refusal naming the file."""

    library = ""

    def allowed_extensions(self):
        raise NotImplementedError

    def check_upload(self, file):
        name = os.path.basename(file.name or "")
        if self.max_upload_size is not None and file.size > self.max_upload_size:
            raise ValidationError(
                TOO_BIG.format(
                    name=name,
                    size=size_in_words(file.size, up=True),
                    library=self.library,
                    limit=size_in_words(self.max_upload_size),
                ),
                code="file_too_large",
            )
        extension = contents.extension_of(name)
        allowed = [allowed.lower() for allowed in self.allowed_extensions()]
        if not extension:
            raise ValidationError(NO_EXTENSION.format(name=name), code="invalid_extension")
        if extension not in allowed:
            raise ValidationError(
                NOT_ALLOWED.format(
                    name=name,
                    extension=f".{extension}",
                    library=self.library,
                    allowed="、".join(allowed),
                ),
                code="invalid_extension",
            )
        reason = contents.refusal(name, file)
        if reason:
            raise ValidationError(reason, code="content_mismatch")

    def size_check_attrs(self):
        """What the browser's check reads from the file input."""
        if self.max_upload_size is None:
            return {}
        return {
            "data-max-upload-size": str(self.max_upload_size),
            "data-too-big-message": TOO_BIG.format(
                name="{name}",
                size="{size}",
                library=self.library,
                limit=size_in_words(self.max_upload_size),
            ),
        }


class CheckedDocumentField(CheckedUpload, WagtailDocumentField):
    library = "文档库"

    def allowed_extensions(self):
        return getattr(settings, "WAGTAILDOCS_EXTENSIONS", None) or []

    def to_python(self, data):
        file = FileField.to_python(self, data)  # Wagtail's size check is one of ours
        if file is not None:
            self.check_upload(file)
        return file


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


class CompleteImageField(CheckedUpload, WagtailImageField):
    library = "图片库"

    def allowed_extensions(self):
        return get_allowed_image_extensions()

    def to_python(self, data):
        if data:
            self.check_upload(data)
        try:
            file = super().to_python(data)  # Wagtail's format, size and pixel count
            if file is not None and hasattr(file, "seek"):
                decode_completely(file)
        except (OSError, SyntaxError, ValueError, struct.error, EOFError) as error:
            raise ValidationError(CORRUPT, code="corrupt") from error
        return file


class CheckedUploadForm:
    """For the libraries' forms: their file field replaced by the checked one, and a refused
    file's traces (a second, false reason; the title taken from its name) left behind."""

    file_field = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "file" in self.fields:
            # Made per form, as Wagtail's own field is, so the limits in the settings apply.
            original = self.fields["file"]
            field = self.file_field(
                label=original.label, required=original.required, widget=original.widget
            )
            field.widget.attrs.update(field.size_check_attrs())
            self.fields["file"] = field

    def _update_errors(self, errors):
        # The model's own extension check, when the form refused the file, saw no file at all.
        if "file" in self._errors and hasattr(errors, "error_dict"):
            errors.error_dict.pop("file", None)
        super()._update_errors(errors)

    def full_clean(self):
        super().full_clean()
        # Only a new picture or document takes its title from its file; an edited one keeps its own.
        new = self.instance.pk is None
        if new and self.is_bound and "file" in self._errors and "title" in self.fields:
            self.forget_title_of_refused_file()

    def forget_title_of_refused_file(self):
        file = self.files.get(self.add_prefix("file"))
        title_key = self.add_prefix("title")
        if not file or title_key not in self.data:
            return
        stem = os.path.splitext(os.path.basename(file.name))[0]
        if self.data[title_key].strip() == stem.strip():
            self.data = self.data.copy()
            self.data[title_key] = ""


class ImageForm(CheckedUploadForm, ReviewedReplacementForm, BaseImageForm):
    file_field = CompleteImageField


class DocumentForm(CheckedUploadForm, ReviewedReplacementForm, BaseDocumentForm):
    """The document library's add and edit form."""

    file_field = CheckedDocumentField
