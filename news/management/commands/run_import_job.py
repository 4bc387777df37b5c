"""manage.py run_import_job JOB: run one 导入文章 job, as the import thread of a server process
(news/importing/worker.py) does in a child process of its own: at a low priority, within memory
and time limits, saying every few seconds that it is alive."""

import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from news.importing.jobs import run_job
from news.importing.models import ImportJob
from news.importing.worker import heartbeat, limit_this_process


class Command(BaseCommand):
    help = "导入一个“导入文章”任务中尚未处理的文件（通常由网站进程在后台自动运行）。"

    def add_arguments(self, parser):
        parser.add_argument("job", type=int, help="导入任务的编号")

    def handle(self, *args, job, **options):
        if not ImportJob.objects.filter(pk=job).exists():
            raise CommandError(f"没有编号为 {job} 的导入任务。")
        limit_this_process()
        stop = threading.Event()
        beating = threading.Thread(target=heartbeat, args=(job, stop), daemon=True)
        beating.start()
        try:
            run_job(job, file_seconds=settings.IMPORT_FILE_SECONDS)
        finally:
            stop.set()
            beating.join()
