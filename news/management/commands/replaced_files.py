"""manage.py replaced_files: list, restore or delete the old files of replaced pictures and documents.

The files are kept when a picture's or document's file is replaced (news/library/replacement.py);
--restore puts one back, --delete removes one for good."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.timezone import localtime

from news.library import replacement
from news.library.models import ReplacedFile


class Command(BaseCommand):
    help = "列出图片和文档被替换前的文件；--restore 编号 恢复其中一个，--delete 编号 永久删除其中一个。"

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--restore", type=int, metavar="编号", help="恢复这个文件")
        action.add_argument("--delete", type=int, metavar="编号", help="永久删除这个文件")

    def handle(self, *args, restore=None, delete=None, **options):
        if restore is None and delete is None:
            self.list_kept()
            return
        record = ReplacedFile.objects.filter(pk=restore or delete).first()
        if record is None:
            raise CommandError(f"没有编号为 {restore or delete} 的被替换文件。")
        if restore is not None:
            if record.target is None:
                raise CommandError("这个文件所属的图片或文档已不存在，无法恢复。")
            if not record.target.file.storage.exists(record.file_name):
                raise CommandError(f"文件 {record.file_name} 已不在存储中，无法恢复。")
            obj = replacement.restore(record)
            self.stdout.write(f"已恢复《{obj.title}》的文件 {record.file_name}。")
        else:
            replacement.forget(record)
            self.stdout.write(f"已永久删除文件 {record.file_name}。")

    def list_kept(self):
        records = ReplacedFile.objects.select_related("content_type", "replaced_by")
        if not records:
            self.stdout.write("没有被替换的文件。")
        for record in records:
            target = record.target
            self.stdout.write(
                f"{record.pk}\t{localtime(record.replaced_at):%Y-%m-%d %H:%M}\t"
                f"{record.content_type.model_class()._meta.verbose_name}"
                f"《{target.title if target else '（已删除）'}》\t"
                f"{record.replaced_by or '—'}\t{record.file_name}"
            )
