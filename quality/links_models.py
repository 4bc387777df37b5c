"""The tables of the broken-link check (quality/links.py): what each site's live pages link to,
where, and how each address answered when last checked."""

from urllib.parse import unquote

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from quality.link_checker import OUTCOMES

UNCHECKED = "unchecked"
EXTERNAL, PAGE, DOCUMENT, IMAGE = "external", "page", "document", "image"
KINDS = {EXTERNAL: "外部链接", PAGE: "站内页面", DOCUMENT: "文档", IMAGE: "图片"}


class LinkTarget(models.Model):
    """One address a site's live pages link to (a URL, or a page, document or picture of the
    site's own, written `page:12`), with the outcome of its last check; every page linking to
    it shares it, so an address used on many pages is asked once."""

    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("类型", max_length=10, choices=list(KINDS.items()))
    address = models.CharField("链接地址", max_length=2000)
    outcome = models.CharField(
        "检查结果",
        max_length=10,
        choices=[*OUTCOMES.items(), (UNCHECKED, "尚未检查")],
        default=UNCHECKED,
        db_index=True,
    )
    status = models.PositiveSmallIntegerField("HTTP 状态", null=True, blank=True)
    detail = models.CharField("说明", max_length=255, blank=True)
    checked_at = models.DateTimeField("上次检查", null=True, blank=True)

    class Meta:
        verbose_name = "链接目标"
        verbose_name_plural = "链接目标"
        constraints = [
            models.UniqueConstraint(fields=["site", "address"], name="quality_link_target_once")
        ]
        permissions = [("check_links", "检查失效链接")]

    def __str__(self):
        return self.address


class FoundLink(models.Model):
    """A link on a live page: where on the page it is, its words, and who last published the
    page (the editor asked to mend it)."""

    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(LinkTarget, on_delete=models.CASCADE, related_name="uses")
    where = models.CharField("位置", max_length=255)
    text = models.CharField("链接文字", max_length=255, blank=True)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="编辑",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    found_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "页面链接"
        verbose_name_plural = "页面链接"

    def __str__(self):
        return f"{self.page_id} {self.where} {self.target_id}"

    @property
    def shown_address(self):
        """The address for a person: a URL as it is, an internal target by kind and number."""
        target = self.target
        if target.kind == EXTERNAL:
            return unquote(target.address)  # 中文 paths as the editor wrote them
        return f"{KINDS[target.kind]}（编号 {target.address.split(':', 1)[1]}）"

    @property
    def outcome_name(self):
        return self.target.get_outcome_display()

    @property
    def described(self):
        """The link in one line for its editor: where, its words, the address, what is wrong."""
        words = f"的“{self.text}”" if self.text else ""
        why = "，".join(part for part in (self.outcome_name, self.target.detail) if part)
        return f"{self.where}{words}：{self.shown_address}（{why}）"

    @property
    def editor_name(self):
        if self.editor is None:
            return ""
        return self.editor.get_full_name().strip() or self.editor.get_username()


class LinkCheckRun(models.Model):
    """One check of a site's links, by the daily job or asked for in the report: while one is
    unfinished no other starts for the site (the constraint), and one left unfinished by a
    process that died is closed after STALE_RUN (quality/links.py)."""

    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    report = models.TextField(blank=True)

    class Meta:
        verbose_name = "链接检查"
        verbose_name_plural = "链接检查"
        constraints = [
            models.UniqueConstraint(
                fields=["site"],
                condition=Q(finished_at__isnull=True),
                name="quality_one_link_check_at_a_time",
            )
        ]

    def __str__(self):
        return f"{self.site_id} {self.started_at} {self.report}"
