"""导入文章 in the admin: editors upload files in the seed format and get drafts, or one clear
error per file with its line number, through the same importer as `manage.py import_articles`."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permission_policies.pages import PagePermissionPolicy

from news.importing.importer import import_article
from news.importing.seedformat import SeedFormatError, parse
from news.importing.textfiles import UnreadableFile, read_text
from news.models import NewsIndexPage

MAX_FILE_BYTES = 1024 * 1024
MAX_FILES = 50


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
        # Each file is judged on its own in import_file: an empty or unreadable one is reported
        # by name and the others are imported.
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not files:
            raise ValidationError("请选择至少一个文件。")
        if len(files) > MAX_FILES:
            raise ValidationError(f"一次最多导入 {MAX_FILES} 个文件。")
        return files


class ImportForm(forms.Form):
    column = forms.ModelChoiceField(
        label="导入到栏目", queryset=NewsIndexPage.objects.none(), empty_label=None
    )
    files = MultipleFileField(
        label="文章文件",
        help_text="纯文本文件(.txt,UTF-8 或 GBK 编码均可),格式与抓取的网页相同(标题行、“来源:… 点击数:… 日期:…”行、议程)。可一次选择多个。",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column"].queryset = columns_for(user)


def import_file(upload, column):
    """(file name, page or None, error message or None) for one uploaded file."""
    name = upload.name
    if upload.size > MAX_FILE_BYTES:
        return name, None, "文件过大(超过 1 MB)。"
    try:
        text, _encoding = read_text(upload.read(), name)
    except UnreadableFile as error:
        return name, None, str(error)
    try:
        article = parse(text)
        # Editors import drafts; a file's 点击数 is never taken here (counts come from readers).
        result = import_article(article, column, publish=False, take_count=False)
    except SeedFormatError as error:
        return name, None, str(error)
    except ValidationError as error:
        return name, None, " ".join(error.messages)
    return name, result, None


class ImportArticlesView(WagtailAdminTemplateMixin, FormView):
    template_name = "news/admin/import_articles.html"
    page_title = "导入文章"
    header_icon = "upload"
    form_class = ImportForm

    def dispatch(self, request, *args, **kwargs):
        if not can_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        column = form.cleaned_data["column"]
        results = [import_file(upload, column) for upload in form.cleaned_data["files"]]
        return self.render_to_response(self.get_context_data(form=form, results=results))
