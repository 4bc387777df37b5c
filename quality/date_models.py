"""The tables of 发布时间 changes (quality/date_changes.py): each change readers saw, and each
reason given for a date later than an article's first publication."""

from django.conf import settings
from django.db import models
from django.utils import timezone

EDITED, IMPORTED, SCHEDULED, FIRST = "edited", "imported", "scheduled", "first"
ORIGINS = [
    (EDITED, "编辑修改"),
    (SCHEDULED, "定时发布"),
    (IMPORTED, "导入"),
    (FIRST, "首次发布"),
]


class DateReason(models.Model):
    """Why an article shows a 发布时间 later than its first publication, written by someone who may
    publish it; it covers that date on that article, whoever publishes it and whenever."""

    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    published_at = models.DateTimeField("发布时间")
    reason = models.TextField("理由")
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填写人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    given_at = models.DateTimeField("填写时间", default=timezone.now)

    class Meta:
        verbose_name = "改期理由"
        verbose_name_plural = "改期理由"
        indexes = [models.Index(fields=["page", "published_at"])]

    def __str__(self):
        return self.reason


class DateChange(models.Model):
    """A 发布时间 that readers saw change (from `old` to `new`), or an article first published
    with a date far from that moment (`old` empty)."""

    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept with the row: the record outlives the article.
    title = models.CharField("标题", max_length=255)
    old = models.DateTimeField("原发布时间", null=True)
    new = models.DateTimeField("新发布时间")
    first_published_at = models.DateTimeField("首次发布")
    origin = models.CharField("来源", max_length=16, choices=ORIGINS)
    # Who typed the date (the author of the revision that first carried it) and who published it
    # (empty for a scheduled go-live or an import).
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    # The reason in force for the new date, copied: the record outlives the article's reasons.
    reason = models.TextField("理由", blank=True)
    reason_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="理由填写人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "发布时间变更"
        verbose_name_plural = "发布时间变更"
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.title}: {self.old} → {self.new}"
