"""发稿统计's permission: a model without a table, so that the permission to see the report is
one that the admin's group form lists and grants like any other (可以查看发稿统计), given by
quality/safety_roles.py to 审核 and 内容安全管理."""

from django.db import models


class PublishingStats(models.Model):
    class Meta:
        managed = False
        default_permissions = ("view",)
        verbose_name = "发稿统计"
        verbose_name_plural = "发稿统计"

    def __str__(self):
        return str(self._meta.verbose_name)
