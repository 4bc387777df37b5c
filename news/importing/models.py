"""The 导入文章 queue: each upload is a job of files, read and imported outside the request by
news/importing/worker.py, whose progress and results the editor who uploaded it watches. They
belong to the news app (news/apps.py registers them), whose migrations made them.

A file's result is written in the same transaction as the draft it makes, so a file is imported
at most once however often its job is taken up again."""

from django.conf import settings
from django.db import models
from django.utils.timezone import now


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The jobs whose progress `user` may see: their own, or every job for a superuser."""
        return self if user.is_superuser else self.filter(owner=user)


class ImportJob(models.Model):
    """One upload of 导入文章: where its files go, who sent them, and how far it has got."""

    QUEUED, RUNNING, DONE = "queued", "running", "done"
    STATES = [(QUEUED, "排队中"), (RUNNING, "正在导入"), (DONE, "已完成")]

    # The organisation the import belongs to (DESIGN decision 15): the column's site.
    site = models.ForeignKey(
        "wagtailcore.Site", on_delete=models.CASCADE, related_name="+", verbose_name="站点"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="上传人",
    )
    column = models.ForeignKey(
        "news.NewsIndexPage",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="栏目",
    )
    state = models.CharField("状态", max_length=10, choices=STATES, default=QUEUED)
    created_at = models.DateTimeField("上传时间", default=now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    # Touched every few seconds by the server process that runs the job; a job whose process
    # has gone quiet is taken up by another (news/importing/worker.py).
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = "导入任务"
        verbose_name_plural = "导入任务"
        indexes = [models.Index(fields=["state", "created_at"], name="import_job_state_created")]

    def __str__(self):
        return f"导入任务 {self.pk}"


class ImportFile(models.Model):
    """One uploaded file of a job: its bytes until it has been read, then its result."""

    WAITING, WORKING, DONE, FAILED = "waiting", "working", "done", "failed"
    ATTACHMENT = "attachment"
    STATES = [
        (WAITING, "等待"),
        (WORKING, "正在处理"),
        (DONE, "已导入"),
        (FAILED, "失败"),
        # Named in a text file's 附件 list: stored with that article, not an article itself.
        (ATTACHMENT, "附件"),
    ]

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="files")
    position = models.PositiveSmallIntegerField("序号")
    name = models.CharField("文件名", max_length=255)
    size = models.PositiveBigIntegerField("大小", default=0)
    # Emptied once the job is done: an upload is kept only as long as it is needed.
    data = models.BinaryField("内容", default=b"")
    state = models.CharField("状态", max_length=10, choices=STATES, default=WAITING)
    started_at = models.DateTimeField("开始处理时间", null=True, blank=True)
    # Runs that have taken the file up: one interrupted by a server restart is tried once more.
    attempts = models.PositiveSmallIntegerField("处理次数", default=0)
    message = models.TextField("错误信息", blank=True)
    notes = models.JSONField("提示", default=list, blank=True)
    page = models.ForeignKey(
        "news.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="文章",
    )
    # The draft's title when it was made, shown if the page is deleted later.
    title = models.CharField("标题", max_length=255, blank=True)
    created = models.BooleanField("新建", default=True)

    class Meta:
        verbose_name = "导入的文件"
        verbose_name_plural = "导入的文件"
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["job", "position"], name="unique_import_file_position")
        ]

    def __str__(self):
        return self.name
