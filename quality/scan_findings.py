"""What the nightly re-scan found on live pages (quality/rescan.py): one row per finding, replaced
site by site at each scan, read by 报告 → 内容检查."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.content_gate import KIND_NAMES, STANDARD


class ScanFinding(models.Model):
    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("类型", max_length=10, choices=list(KIND_NAMES.items()))
    word = models.CharField("词语", max_length=200)
    right = models.CharField("正确形式", max_length=200, blank=True)
    where = models.CharField("位置", max_length=200)
    context = models.CharField("上下文", max_length=400)
    blocks = models.BooleanField("须处理", default=True)
    # The last one to save the page: who is asked to fix it.
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="编辑",
    )
    found_at = models.DateTimeField("检查时间", default=timezone.now)

    class Meta:
        verbose_name = "内容检查结果"
        verbose_name_plural = "内容检查结果"
        ordering = ["-blocks", "kind", "page_id", "pk"]

    def __str__(self):
        return f"{self.page_id} {self.word}"

    @property
    def kind_name(self):
        return KIND_NAMES[self.kind]

    @property
    def effect(self):
        """须改正, 已放行 (a 规范表述 a reviewer kept with a reason) or 提醒 (a 易错词)."""
        if self.blocks:
            return "须改正"
        return "已放行" if self.kind == STANDARD else "提醒"

    @property
    def page_title(self):
        return self.page.title

    @property
    def page_url(self):
        return self.page.full_url or ""

    @property
    def editor_name(self):
        if self.editor is None:
            return ""
        return self.editor.get_full_name() or self.editor.get_username()
