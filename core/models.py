"""The site generation's row (core/generation.py)."""

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
