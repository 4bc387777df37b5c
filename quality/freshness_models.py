"""The table of 栏目更新监测: the freshness warnings the daily job has sent (quality/freshness_mail.py),
one per column (or home page) per day, and the permission to read the 栏目更新 report."""

from django.db import models
from django.utils import timezone
from wagtail.models import Page, Site


class FreshnessWarning(models.Model):
    """A warning about one column, or a site's home page, on one day: the row is the claim,
    committed before the mail goes out (and deleted if it could not go), and the unique pair makes
    a second run of the daily job, or a second process running it at the same moment, send none.
    `sent_at` is set once the mail is out."""

    site = models.ForeignKey(Site, verbose_name="站点", on_delete=models.CASCADE, related_name="+")
    page = models.ForeignKey(
        Page, verbose_name="栏目或首页", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField("日期")
    state = models.CharField("状况", max_length=20)
    days_left = models.IntegerField("剩余天数", null=True, blank=True)
    recipients = models.TextField("收件人", blank=True)
    claimed_at = models.DateTimeField("生成时间", default=timezone.now)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "栏目更新预警"
        verbose_name_plural = "栏目更新预警"
        # Written by the daily job only; the one permission is to read the report.
        default_permissions = ()
        permissions = [("view_freshness_report", "可以查看栏目更新监测")]
        constraints = [
            models.UniqueConstraint(fields=["page", "day"], name="quality_freshness_once_a_day")
        ]

    def __str__(self):
        return f"{self.page_id} {self.day} {self.state}"
