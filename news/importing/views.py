"""导入文章 in the admin: editors upload files in the seed format or Word documents (.docx) and get
drafts, or one clear error per file (with its line number for a text file), through the same
importer as `manage.py import_articles`."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permission_policies.pages import PagePermissionPolicy

from news.importing.importer import import_article, import_word_article
from news.importing.seedformat import SeedFormatError, parse
from news.importing.textfiles import UnreadableFile, read_text
from news.importing.wordfiles import WordFormatError, read_docx
from news.models import NewsIndexPage

MAX_FILE_BYTES = 1024 * 1024
# A Word document carries its pictures.
MAX_WORD_BYTES = 20 * 1024 * 1024
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
        help_text="Word 文档(.docx,标题取自文档属性或第一个标题,“议程一:…”标题分为议程,表格与图片一并导入),"
        "或纯文本文件(.txt,UTF-8 或 GBK 编码均可,格式与抓取的网页相同:标题行、“来源:… 点击数:… 日期:…”行、议程;"
        "文末“附件:”之后每行一个文件名的,请把这些文件一起选上)。可一次选择多个。",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column"].queryset = columns_for(user)


def is_word(name):
    return name.lower().endswith((".docx", ".doc"))


def parsed_text(upload):
    """The article in a text upload; raises UnreadableFile or SeedFormatError."""
    if upload.size > MAX_FILE_BYTES:
        raise UnreadableFile("文件过大(超过 1 MB)。")
    upload.seek(0)
    text, _encoding = read_text(upload.read())
    return parse(text)


def text_articles(uploads):
    """{file name: its article, or the error that keeps it from being read} for every text
    upload, each read once."""
    articles = {}
    for upload in uploads:
        if not is_word(upload.name):
            try:
                articles[upload.name] = parsed_text(upload)
            except (UnreadableFile, SeedFormatError) as error:
                articles[upload.name] = error
    return articles


def import_file(upload, column, article, file_named):
    """(file name, result or None, error message or None, notes) for one uploaded file, a text
    file given as read by text_articles; the files of its 附件 list come from `file_named`."""
    name = upload.name
    if is_word(name):
        return import_word_file(upload, column)
    if isinstance(article, Exception):
        return name, None, str(article), []
    try:
        # Editors import drafts; a file's 点击数 is never taken here (counts come from readers).
        result = import_article(
            article, column, publish=False, take_count=False, file_named=file_named
        )
    except SeedFormatError as error:
        return name, None, str(error), []
    except ValidationError as error:
        return name, None, " ".join(error.messages), []
    notes = [f"附件 {len(article.attachments)} 个已存入文档库。"] if article.attachments else []
    return name, result, None, notes


def import_word_file(upload, column):
    name = upload.name
    if upload.size > MAX_WORD_BYTES:
        return name, None, "文件过大(超过 20 MB)。", []
    try:
        article = read_docx(upload.read())
        result = import_word_article(article, column)
    except WordFormatError as error:
        return name, None, str(error), []
    except ValidationError as error:
        return name, None, " ".join(error.messages), []
    return name, result, None, article.messages


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
        uploads = form.cleaned_data["files"]
        articles = text_articles(uploads)
        # The files an article's 附件 list names are its attachments, not articles of their own.
        wanted = {
            item.file_name
            for article in articles.values()
            if not isinstance(article, Exception)
            for item in article.attachments
        }
        attachments = {upload.name: upload for upload in uploads if upload.name in wanted}

        def file_named(name):
            upload = attachments.get(name)
            if upload is None:
                return None
            upload.seek(0)
            return upload.read()

        results = [
            import_file(upload, column, articles.get(upload.name), file_named)
            for upload in uploads
            if upload.name not in attachments
        ]
        return self.render_to_response(self.get_context_data(form=form, results=results))
