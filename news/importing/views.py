"""导入文章 in the admin: editors upload files in the seed format or Word documents (.docx). The
upload is queued as a job (news/importing/jobs.py) and read outside the request
(news/importing/worker.py); the editor is sent to the job's page, which refreshes itself while the
files wait and are read, then lists each file's result: the draft made, with a link to edit it,
or one clear error (with its line number for a text file). Only the editor who uploaded the files,
and superusers, can see a job."""

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView, TemplateView
from wagtail.permission_policies.pages import PagePermissionPolicy

from core.admin_pages import AdminPage
from news.importing import worker
from news.importing.jobs import MAX_FILES, MAX_JOB_BYTES, create_job, run_job
from news.importing.models import ImportFile, ImportJob
from news.models import NewsIndexPage

RECENT_JOBS = 10
# How often a job's page reloads itself while its files are still being read.
REFRESH_SECONDS = 2


def columns_for(user):
    """The columns the user may add articles to."""
    policy = PagePermissionPolicy()
    allowed = policy.instances_user_has_permission_for(user, "add")
    return NewsIndexPage.objects.filter(pk__in=allowed.values("pk")).order_by("path")


def can_import(user):
    return columns_for(user).exists()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        # Each file is judged on its own when its job runs: an empty or unreadable one is
        # reported by name and the others are imported.
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not files:
            raise ValidationError("请选择至少一个文件。")
        if len(files) > MAX_FILES:
            raise ValidationError(f"一次最多导入 {MAX_FILES} 个文件。")
        if sum(upload.size for upload in files) > MAX_JOB_BYTES:
            megabytes = MAX_JOB_BYTES // (1024 * 1024)
            raise ValidationError(f"这些文件合计超过 {megabytes} MB，请分几次导入。")
        return files


class ImportForm(forms.Form):
    column = forms.ModelChoiceField(
        label="导入到栏目", queryset=NewsIndexPage.objects.none(), empty_label=None
    )
    files = MultipleFileField(
        label="文章文件",
        help_text="Word 文档（.docx，标题取自文档属性或第一个标题，“议程一：…”标题分为议程，表格与图片一并导入），"
        "或纯文本文件（.txt，UTF-8 或 GBK 编码均可，格式与抓取的网页相同：标题行、“来源：… 点击数：… 日期：…”行、议程；"
        "文末“附件：”之后每行一个文件名的，请把这些文件一起选上）。可一次选择多个。",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column"].queryset = columns_for(user)


class ImportPermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        if not can_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ImportArticlesView(ImportPermissionMixin, AdminPage, FormView):
    template_name = "news/admin/import_articles.html"
    page_title = "导入文章"
    header_icon = "upload"
    form_class = ImportForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        jobs = ImportJob.objects.filter(owner=self.request.user).select_related("column")
        jobs = jobs.order_by("-created_at", "-pk")
        return super().get_context_data(recent_jobs=jobs[:RECENT_JOBS], **kwargs)

    def form_valid(self, form):
        job = create_job(self.request.user, form.cleaned_data["column"], form.cleaned_data["files"])
        if settings.IMPORT_IN_BACKGROUND:
            transaction.on_commit(worker.wake)
        else:
            run_job(job.pk)
        return redirect("news_import_job", job.pk)


class ImportJobView(ImportPermissionMixin, AdminPage, TemplateView):
    template_name = "news/admin/import_job.html"
    page_title = "导入结果"
    header_icon = "upload"

    def get_context_data(self, **kwargs):
        visible = ImportJob.objects.visible_to(self.request.user)
        job = get_object_or_404(visible.select_related("column"), pk=self.kwargs["pk"])
        files = list(
            job.files.exclude(state=ImportFile.ATTACHMENT)
            .defer("data")
            .select_related("page")
            .order_by("position")
        )
        finished = sum(entry.state in {ImportFile.DONE, ImportFile.FAILED} for entry in files)
        ahead = ImportJob.objects.filter(state=ImportJob.QUEUED, created_at__lt=job.created_at)
        return super().get_context_data(
            job=job,
            files=files,
            finished=finished,
            jobs_ahead=ahead.count() if job.state == ImportJob.QUEUED else 0,
            refresh_seconds=REFRESH_SECONDS if job.state != ImportJob.DONE else None,
            **kwargs,
        )
