"""The site generation's row (core/generation.py) and the shared rate-limit counts (core/limits.py)."""

from django.db import models


class SiteGeneration(models.Model):
    """The site's generation (core/generation.py): one row, whose value every change a reader can
    see increases, in the same transaction."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    value = models.BigIntegerField("版本号", default=1)

    class Meta:
        # Made by the news app's migrations before this app held it.
        db_table = "news_sitegeneration"
        verbose_name = "站点版本号"
        verbose_name_plural = "站点版本号"

    def __str__(self):
        return str(self.value)


class RateCount(models.Model):
    """How many times one address has done one limited thing in the current window
    (core/limits.py): one row per limit and address, reset when a new window starts."""

    key = models.CharField(primary_key=True, max_length=64)
    window_start = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "访问频率计数"
        verbose_name_plural = "访问频率计数"

    def __str__(self):
        return f"{self.key}: {self.count}"
