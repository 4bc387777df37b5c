"""Runs 导入文章 jobs outside the request that uploaded them, without a separate service to start.

Each server process (each gunicorn worker, or runserver) has one thread here, started with the
publishing scheduler by gunicorn.conf.py and sitecms/wsgi.py. It wakes when its process queues a
job, and every few seconds otherwise, and takes a queued job from the database when fewer than
IMPORT_JOBS are running across every process and machine. It runs the job in a child process,
`manage.py run_import_job`, which lowers its own priority and limits its memory and the time each
file may take (limit_this_process): readers' requests go first, and a document that would swell or
spin ends that child, never a server worker. The child outlives a server worker that gunicorn
recycles meanwhile, and says every few seconds that it is alive; a job whose child fell silent (a
machine lost, a child killed) is taken up again by another thread, the file it was in tried once
more.

The thread waits for its child, so each process runs at most one job; IMPORT_JOBS bounds them all.
"""

import logging
import os
import resource
import subprocess
import sys
import threading
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections, transaction
from django.db.models import Q
from django.utils.timezone import now

from news.importing.jobs import MAX_FILES, finish
from news.importing.models import ImportFile, ImportJob
from news.models import SchedulerLock

logger = logging.getLogger(__name__)

POLL_SECONDS = 5
HEARTBEAT_SECONDS = 5
# A running job whose child has said nothing for this long is taken up by another thread.
SILENT_SECONDS = 60
LOCK_NAME = "import_jobs"

_wake = threading.Event()
_started = False
_start_guard = threading.Lock()


def wake():
    """Have this process's thread look for a job now (the view calls it after queuing one)."""
    _wake.set()


def start_import_worker():
    """Start this process's import thread once (with IMPORT_IN_BACKGROUND on)."""
    global _started
    if not settings.IMPORT_IN_BACKGROUND:
        return
    with _start_guard:
        if _started:
            return
        _started = True
    threading.Thread(target=_loop, name="import-jobs", daemon=True).start()


def _loop():
    while True:
        _wake.wait(POLL_SECONDS)
        _wake.clear()
        try:
            while (job := claim_job()) is not None:
                run_in_child(job)
        except DatabaseError as error:
            # Said in one line, as the site's other database outages are (core/ answers readers
            # with a 503 meanwhile); the job waits in its table for the next look.
            logger.warning("Import jobs not looked for: database unavailable (%s)", error)
        except Exception:
            logger.exception("The import thread failed; it will look again")
        finally:
            close_old_connections()


def claim_job():
    """The oldest job waiting, or one whose child has fallen silent, marked running for this
    thread; None when there is none or IMPORT_JOBS are running already."""
    silent = now() - timedelta(seconds=SILENT_SECONDS)
    waiting = Q(state=ImportJob.QUEUED) | Q(state=ImportJob.RUNNING, heartbeat_at__lt=silent)
    if not ImportJob.objects.filter(waiting).exists():
        return None  # the usual answer, without taking a lock
    with transaction.atomic():
        SchedulerLock.objects.get_or_create(name=LOCK_NAME)
    with transaction.atomic():
        # One thread at a time counts and claims (PostgreSQL: a row lock; SQLite: its writer).
        SchedulerLock.objects.select_for_update().get(name=LOCK_NAME)
        running = ImportJob.objects.filter(state=ImportJob.RUNNING, heartbeat_at__gte=silent)
        if running.count() >= settings.IMPORT_JOBS:
            return None
        job = ImportJob.objects.filter(waiting).order_by("created_at", "pk").first()
        if job is None:
            return None
        if job.state == ImportJob.RUNNING:
            take_over(job)
        job.state, job.heartbeat_at = ImportJob.RUNNING, now()
        job.started_at = job.started_at or job.heartbeat_at
        job.save(update_fields=["state", "heartbeat_at", "started_at"])
    return job


def take_over(job):
    """A silent job's file in progress is tried once more, or failed if it was tried before."""
    working = job.files.filter(state=ImportFile.WORKING)
    working.filter(attempts__lt=2).update(state=ImportFile.WAITING)
    working.update(state=ImportFile.FAILED, message="处理这个文件时两次中断，未导入。")


def run_in_child(job):
    """Run the job in child processes until none of its files is left waiting: a child that
    ends abnormally fails the file it was in, and the next child goes on with the others."""
    for _ in range(job.files.count() + 1):
        if not job.files.filter(state=ImportFile.WAITING).exists():
            break
        code = subprocess.call(  # noqa: S603 - this Python, this project's manage.py
            [sys.executable, str(settings.BASE_DIR / "manage.py"), "run_import_job", str(job.pk)],
            cwd=settings.BASE_DIR,
            stdin=subprocess.DEVNULL,
        )
        if code == 0:
            break
        logger.warning("The child importing job %s ended with %s", job.pk, code)
        job.files.filter(state=ImportFile.WORKING).update(
            state=ImportFile.FAILED,
            message="处理这个文件时超出了内存或时间的限制，已停止，未导入：文件可能过于复杂或已损坏。",
        )
        ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=now())
    # Children that could not even start (see the server's log) leave files waiting.
    job.files.filter(state=ImportFile.WAITING).update(
        state=ImportFile.FAILED,
        message="导入程序未能运行，这个文件未导入：请联系管理员查看服务器日志。",
    )
    finish(job)


def limit_this_process():
    """What `manage.py run_import_job` does first: a lower priority than readers' requests, an
    address-space limit (a document that would swell gets a MemoryError, or the child ends), and
    a CPU-time limit."""
    os.nice(10)
    memory = settings.IMPORT_MEMORY_MB * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    # The per-file alarm (news/importing/jobs.py) stops a file that spins in Python; this ends a
    # child that spins where no signal handler runs, once it has had every file's time.
    cpu = settings.IMPORT_FILE_SECONDS * (MAX_FILES + 1)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 10))


def heartbeat(job_id, stop):
    """Says, every few seconds until `stop` is set, that the job's child is alive."""
    while not stop.wait(HEARTBEAT_SECONDS):
        try:
            ImportJob.objects.filter(pk=job_id).update(heartbeat_at=now())
        except Exception as error:  # the next beat tries again; a silent job is taken over
            logger.warning("Import heartbeat failed: %r", error)
        finally:
            close_old_connections()
