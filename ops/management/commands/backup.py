"""manage.py backup: the database and the media files in one archive (make backup)."""

from django.core.management.base import BaseCommand, CommandError

from ops.backups import BackupError, create_backup


class Command(BaseCommand):
    help = "把数据库和媒体文件备份到一个 .tar.gz 文件，放在 BACKUP_DIR（默认为 backups/）中。"

    def handle(self, *args, **options):
        try:
            archive = create_backup()
        except BackupError as error:
            raise CommandError(error) from error
        size = archive.stat().st_size / 1024 / 1024
        self.stdout.write(self.style.SUCCESS(f"已备份到 {archive}（{size:.1f} MB）。"))
