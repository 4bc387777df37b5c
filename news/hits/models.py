"""The click counts' tables, kept apart from the pages so that publishing never resets a count.
They belong to the news app (news/apps.py registers them), whose migrations made them."""

from django.db import models
from django.utils.timezone import now


class PageHitsQuerySet(models.QuerySet):
    def count_for(self, page_id):
        return self.filter(page_id=page_id).values_list("hits", flat=True).first() or 0


class PageHits(models.Model):
    """A page's click count (点击数), kept off the page model so that publishing never resets it."""

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, primary_key=True, related_name="hit_count"
    )
    hits = models.PositiveBigIntegerField("点击数", default=0)
    # The day (Asia/Shanghai) the last counted views belong to. A database trigger adds every
    # increase of `hits` to that day's PageDailyHits row, so counting a view is one statement.
    last_day = models.DateField("最近计数日期", null=True, blank=True)

    objects = PageHitsQuerySet.as_manager()

    class Meta:
        verbose_name = "点击数"
        verbose_name_plural = "点击数"

    def __str__(self):
        return f"{self.page_id}: {self.hits}"


class PageDailyHits(models.Model):
    """Views of a page on one day (Asia/Shanghai), for the 今日 / 本周 / 本月 figures and rankings."""

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="daily_hits"
    )
    day = models.DateField("日期", db_index=True)
    hits = models.PositiveBigIntegerField("点击数", default=0)

    class Meta:
        verbose_name = "每日点击数"
        verbose_name_plural = "每日点击数"
        constraints = [models.UniqueConstraint(fields=["page", "day"], name="unique_page_day_hits")]

    def __str__(self):
        return f"{self.page_id} {self.day}: {self.hits}"


class HitBatch(models.Model):
    """A batch of buffered hits that has been applied: replaying the same batch is then a no-op."""

    id = models.CharField(primary_key=True, max_length=40)
    applied_at = models.DateTimeField(default=now, db_index=True)

    class Meta:
        verbose_name = "已写入的点击批次"
        verbose_name_plural = "已写入的点击批次"

    def __str__(self):
        return self.id


class RecentReader(models.Model):
    """A reader who viewed an article within HITCOUNT_WINDOW, known by a keyed hash of the day,
    the article, the address and the browser (no address is stored): kept in the database so
    that every worker on every machine knows them."""

    key = models.CharField(primary_key=True, max_length=40)
    until = models.DateTimeField("有效至", db_index=True)

    class Meta:
        verbose_name = "近期读者"
        verbose_name_plural = "近期读者"

    def __str__(self):
        return f"{self.key} ({self.until:%Y-%m-%d %H:%M})"


class AddressViews(models.Model):
    """How many readers' views of an article one address made on one day (a keyed hash of the
    day, the article and the address; no address is stored): beyond HITCOUNT_MAX_PER_ADDRESS they
    are not counted, however the browser names itself."""

    key = models.CharField(primary_key=True, max_length=40)
    day = models.DateField("日期", db_index=True)
    views = models.PositiveIntegerField("阅读次数", default=0)

    class Meta:
        verbose_name = "同一地址的阅读次数"
        verbose_name_plural = "同一地址的阅读次数"

    def __str__(self):
        return f"{self.key} {self.day}: {self.views}"
