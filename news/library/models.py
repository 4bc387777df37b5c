"""The files replaced in the image and document libraries, kept so they can be put back. It
belongs to the news app (news/apps.py registers it), whose migrations made it."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.timezone import now


class ReplacedFile(models.Model):
    """The file a picture or document had before it was replaced in its library, kept in storage
    so that it can be put back (news/library/replacement.py)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name="类型")
    object_id = models.PositiveBigIntegerField("编号")
    target = GenericForeignKey("content_type", "object_id")
    file_name = models.CharField("文件", max_length=255)
    replaced_at = models.DateTimeField("替换时间", default=now)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="替换人",
    )

    class Meta:
        verbose_name = "被替换的文件"
        verbose_name_plural = "被替换的文件"
        ordering = ["-replaced_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        # Changing what readers see of a picture or document a live page shows, which the
        # library asks of a user (news/library/replacement.py) and the roles grant to reviewers.
        permissions = [("change_media_in_use", "可以修改已发布页面使用的图片和文档")]

    def __str__(self):
        return self.file_name
