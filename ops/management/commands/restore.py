"""manage.py restore FILE: replace the database and the media files with a backup's (make restore)."""

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.management.base import BaseCommand, CommandError

from ops.backups import BackupError, restore_backup, unapplied_migrations


class Command(BaseCommand):
    help = "用 make backup 生成的备份文件替换当前的数据库和媒体文件，然后清空缓存。"

    def add_arguments(self, parser):
        parser.add_argument("archive", metavar="FILE", help="备份文件（.tar.gz）")

    def handle(self, *args, archive, **options):
        if not archive:
            raise CommandError("请指定备份文件，例如：make restore FILE=backups/sitecms-….tar.gz")
        try:
            manifest = restore_backup(archive)
        except BackupError as error:
            raise CommandError(error) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"已用 {archive}（{manifest['created_at']} 的备份）替换数据库和媒体文件，并清空了缓存。"
            )
        )
        if unapplied_migrations():
            self.stdout.write(
                self.style.WARNING("备份来自较旧的代码版本：请运行 manage.py migrate。")
            )
        if isinstance(caches["default"], LocMemCache):
            self.stdout.write(
                self.style.WARNING(
                    "未设置 REDIS_URL，每个网站进程各有自己的缓存：请重启网站进程，"
                    "读者才不会看到恢复前的内容。"
                )
            )
