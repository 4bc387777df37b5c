"""manage.py import_articles: bring articles in the scraped portal format into a column."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from news.importing.importer import (
    ImportTargetError,
    existing_article,
    find_column,
    import_article,
    import_word_article,
    publish_contact,
)
from news.importing.jobs import make_renditions
from news.importing.seedformat import SeedFormatError, parse
from news.importing.textfiles import UnreadableFile, read_text
from news.importing.wordfiles import WordFormatError, read_docx


class Command(BaseCommand):
    help = (
        "导入文章：读取抓取格式的文章文件，在栏目下创建（或更新）已发布的文章页面；"
        "Word 文档（.docx）导入为草稿。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "files", nargs="+", metavar="FILE", help="要导入的文章文件（.txt 或 .docx）"
        )
        parser.add_argument(
            "--parent", metavar="PATH", help="目标栏目的网址路径，例如 /news/；默认为第一个栏目"
        )
        parser.add_argument("--contact", action="store_true", help="同时发布文件中的“联系我们”信息")
        parser.add_argument(
            "--dry-run", action="store_true", help="只显示将要导入的内容，不写入数据库"
        )
        parser.add_argument("--draft", action="store_true", help="保存为草稿，不发布")

    def handle(self, *args, files, parent, contact, dry_run, draft, **options):
        try:
            column = find_column(parent)
        except ImportTargetError as error:
            raise CommandError(str(error)) from error

        failures = 0
        for name in files:
            try:
                self.import_file(Path(name), column, contact=contact, dry_run=dry_run, draft=draft)
            except (
                SeedFormatError,
                WordFormatError,
                ValidationError,
                OSError,
                UnreadableFile,
            ) as error:
                failures += 1
                self.stderr.write(f"{name}：{describe(error)}")
        if failures:
            raise CommandError(f"{failures} 个文件未能导入，其余文件已处理。")

    def import_file(self, path, column, *, contact, dry_run, draft):
        if path.suffix.lower() in {".docx", ".doc"}:
            return self.import_word(path, column, dry_run=dry_run)
        text, _encoding = read_text(path.read_bytes())
        article = parse(text)
        if contact and article.contact is None:
            raise SeedFormatError(1, "使用了 --contact，但文件开头没有“联系我们”块。")
        if dry_run:
            action = "将更新" if existing_article(column, article) else "将创建"
            self.stdout.write(
                f"{path}：{action}《{article.title}》于 {column.url_path} "
                f"（{article.published_at:%Y-%m-%d %H:%M:%S}，{len(article.sections)} 个议程，"
                f"点击数 {article.hits or 0}）"
            )
            if contact:
                self.stdout.write(f"{path}：将发布联系方式：{article.contact.address}")
            for attachment in article.attachments:
                found = file_beside(path, attachment.file_name) is not None
                self.stdout.write(
                    f"{path}：{attachment.title}（{attachment.file_name}"
                    f"{'' if found else '，找不到该文件'}）"
                )
            return
        # The article and its contact block land together or not at all.
        with transaction.atomic():
            result = import_article(
                article, column, publish=not draft, file_named=files_beside(path)
            )
            details = publish_contact(article) if contact else None
        verb = "已创建" if result.created else "已更新"
        self.stdout.write(f"{path}：{verb}《{result.page.title}》 {result.page.url or ''}")
        for note in result.finding_notes():
            self.stdout.write(f"{path}：{note}")
        if details:
            self.stdout.write(f"{path}：已发布联系方式《{details.name}》")

    def import_word(self, path, column, *, dry_run):
        article = read_docx(path.read_bytes())
        if dry_run:
            self.stdout.write(
                f"{path}：将创建草稿《{article.title}》于 {column.url_path}"
                f"（{len(article.body)} 个正文块，{len(article.pictures)} 张图片）"
            )
            return
        result = import_word_article(article, column)
        # Made here, so that the first preview of the draft does not make them.
        make_renditions(result.page)
        self.stdout.write(f"{path}：已创建草稿《{result.page.title}》（Word 文档总是导入为草稿）")
        for message in [*article.messages, *result.finding_notes()]:
            self.stdout.write(f"{path}：{message}")


def file_beside(path, name):
    """The file named in the article's 附件 list, in the text file's own folder, or None."""
    folder = path.resolve().parent
    candidate = folder / name
    return candidate if candidate.parent == folder and candidate.is_file() else None


def files_beside(path):
    """The bytes of a file named in the article's 附件 list, from the text file's folder."""

    def file_named(name):
        found = file_beside(path, name)
        return found.read_bytes() if found else None

    return file_named


def describe(error):
    if isinstance(error, ValidationError):
        return (
            ";".join(
                f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
            )
            if hasattr(error, "error_dict")
            else " ".join(error.messages)
        )
    if isinstance(error, OSError):
        return f"无法读取文件（{error.strerror or error}）。"
    return str(error)
