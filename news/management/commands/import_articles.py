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
    publish_contact,
)
from news.importing.seedformat import SeedFormatError, parse
from news.importing.textfiles import UnreadableFile, read_text


class Command(BaseCommand):
    help = "导入文章:读取抓取格式的文章文件,在栏目下创建(或更新)已发布的文章页面。"

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="要导入的文章文件(UTF-8)")
        parser.add_argument(
            "--parent", metavar="PATH", help="目标栏目的网址路径,例如 /news/;默认为第一个栏目"
        )
        parser.add_argument("--contact", action="store_true", help="同时发布文件中的“联系我们”信息")
        parser.add_argument(
            "--dry-run", action="store_true", help="只显示将要导入的内容,不写入数据库"
        )
        parser.add_argument("--draft", action="store_true", help="保存为草稿,不发布")

    def handle(self, *args, files, parent, contact, dry_run, draft, **options):
        try:
            column = find_column(parent)
        except ImportTargetError as error:
            raise CommandError(str(error)) from error

        failures = 0
        for name in files:
            try:
                self.import_file(Path(name), column, contact=contact, dry_run=dry_run, draft=draft)
            except (SeedFormatError, ValidationError, OSError, UnreadableFile) as error:
                failures += 1
                self.stderr.write(f"{name}: {describe(error)}")
        if failures:
            raise CommandError(f"{failures} 个文件未能导入,其余文件已处理。")

    def import_file(self, path, column, *, contact, dry_run, draft):
        text, _encoding = read_text(path.read_bytes(), path.name)
        article = parse(text)
        if contact and article.contact is None:
            raise SeedFormatError(1, "使用了 --contact,但文件开头没有“联系我们”块。")
        if dry_run:
            action = "将更新" if existing_article(column, article) else "将创建"
            self.stdout.write(
                f"{path}: {action}《{article.title}》于 {column.url_path} "
                f"({article.published_at:%Y-%m-%d %H:%M:%S},{len(article.sections)} 个议程,"
                f"点击数 {article.hits or 0})"
            )
            if contact:
                self.stdout.write(f"{path}: 将发布联系方式:{article.contact.address}")
            return
        # The article and its contact block land together or not at all.
        with transaction.atomic():
            result = import_article(article, column, publish=not draft)
            details = publish_contact(article) if contact else None
        verb = "已创建" if result.created else "已更新"
        self.stdout.write(f"{path}: {verb}《{result.page.title}》 {result.page.url or ''}")
        if details:
            self.stdout.write(f"{path}: 已发布联系方式《{details.name}》")


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
        return f"无法读取文件({error.strerror or error})。"
    return str(error)
