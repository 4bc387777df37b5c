"""manage.py compile_translations: the project's locale/ catalogues compiled to .mo files.

Django's compilemessages needs GNU gettext's msgfmt, which a machine with only Python lacks;
polib writes the same .mo files. Only catalogues newer than their .mo are compiled.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "编译项目 locale/ 目录中的翻译文件（.po → .mo）。"

    def handle(self, *args, **options):
        for locale_dir in settings.LOCALE_PATHS:
            for source in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                target = source.with_suffix(".mo")
                if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
                    continue
                polib.pofile(str(source)).save_as_mofile(str(target))
                self.stdout.write(f"已编译 {source.relative_to(settings.BASE_DIR)}")
