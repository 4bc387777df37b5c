"""manage.py clean_picture_metadata: pictures stored earlier lose their GPS position and camera.

For pictures stored before uploads were cleaned (news/library/metadata.py): each original is
stored again without its metadata and its renditions are made again; the old files kept for
replaced pictures (news/library/replacement.py) are cleaned too."""

import os

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.images import get_image_model

from news.library.metadata import without_metadata
from news.library.models import ReplacedFile


def clean_image(image):
    """Store `image`'s original again without its metadata; True when there was some."""
    with image.open_file() as original:
        cleaned = without_metadata(original.read())
    if cleaned is None:
        return False
    old_name = image.file.name
    storage = image.file.storage
    with transaction.atomic():
        image.file = ContentFile(cleaned, name=os.path.basename(old_name))
        image._set_image_file_metadata()
        image.save()
        # Renditions were made from the old file and carry its metadata; they are made again
        # from the clean one when next asked for.
        image.renditions.all().delete()
        # The old file is what is being removed, so it is not kept.
        transaction.on_commit(lambda: storage.delete(old_name))
    return True


def clean_kept_file(record, storage):
    """Store a kept old file of a picture again without its metadata; True when there was some."""
    with storage.open(record.file_name) as kept:
        cleaned = without_metadata(kept.read())
    if cleaned is None:
        return False
    old_name = record.file_name
    with transaction.atomic():
        record.file_name = storage.save(old_name, ContentFile(cleaned))
        record.save(update_fields=["file_name"])
        transaction.on_commit(lambda: storage.delete(old_name))
    return True


class Command(BaseCommand):
    help = "清除图片库中已有图片的拍摄地点、相机型号等元数据，并重新生成缩略图。"

    def handle(self, *args, **options):
        cleaned = failed = 0
        Image = get_image_model()
        for image in Image.objects.order_by("pk").iterator():
            try:
                cleaned += clean_image(image)
            except (OSError, SyntaxError, ValueError) as error:
                failed += 1
                self.stderr.write(f"图片 {image.pk}《{image.title}》无法处理：{error}")
        storage = Image._meta.get_field("file").storage
        kept = ReplacedFile.objects.filter(content_type=ContentType.objects.get_for_model(Image))
        for record in kept.order_by("pk"):
            try:
                cleaned += clean_kept_file(record, storage)
            except (OSError, SyntaxError, ValueError) as error:
                failed += 1
                self.stderr.write(f"被替换的文件 {record.file_name} 无法处理：{error}")
        self.stdout.write(
            f"已清除 {cleaned} 个图片文件的元数据" + (f",{failed} 张失败。" if failed else "。")
        )
