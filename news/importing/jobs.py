"""导入文章 as jobs: an upload becomes a queued job of files (create_job), and a job is run file by
file (run_job), outside the request (news/importing/worker.py) or, where IMPORT_IN_BACKGROUND is
off, within it.

Each file is judged and imported on its own: it is read and converted first, with no transaction
open; then its draft, its pictures and its result are written in one transaction, which first
checks that the file is still this run's to import. A file is therefore imported at most once,
however a job is interrupted and taken up again; a damaged file is reported on its own line and
the others are imported. The pictures' renditions are made once the draft is saved, so that
neither the editor's preview nor a reader's page ever makes them."""

import logging
import signal
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.timezone import now
from wagtail.images.models import Image
from wagtail.models import Site

from news.importing.importer import ImportTargetError, import_article, import_word_article
from news.importing.models import ImportFile, ImportJob
from news.importing.seedformat import SeedFormatError, parse
from news.importing.textfiles import UnreadableFile, read_text
from news.importing.wordfiles import WordFormatError, read_docx
from news.pictures import render_picture

logger = logging.getLogger(__name__)

MAX_TEXT_BYTES = 1024 * 1024
# A Word document carries its pictures; a 附件 may be as large as the document library allows.
MAX_WORD_BYTES = 20 * 1024 * 1024
MAX_FILES = 50
# What one upload may hold in all, kept in the database until its job has read it.
MAX_JOB_BYTES = 100 * 1024 * 1024
# The admin's image chooser shows each picture at this size (wagtail/images/widgets.py).
CHOOSER_THUMBNAIL = "max-165x165"

# The errors a file can have, each with its Chinese message as its text.
FILE_ERRORS = (WordFormatError, SeedFormatError, UnreadableFile, ImportTargetError)


class FileTimeout(Exception):
    """A document's conversion took longer than IMPORT_FILE_SECONDS; raised by the alarm of
    time_limit."""


class NotThisRunsFile(Exception):
    """The file was taken up by another run meanwhile: what this run wrote is rolled back."""


def is_word(name):
    return name.lower().endswith((".docx", ".doc"))


def max_bytes(name):
    if is_word(name):
        return MAX_WORD_BYTES
    return max(MAX_WORD_BYTES, settings.WAGTAILDOCS_MAX_UPLOAD_SIZE or 0)


def create_job(user, column, uploads):
    """A queued job holding the uploads, in the order given; a file over its size limit is
    already marked failed, with the reason."""
    with transaction.atomic():
        job = ImportJob.objects.create(
            site=column.get_site() or Site.objects.get(is_default_site=True),
            owner=user,
            column=column,
        )
        for position, upload in enumerate(uploads):
            entry = ImportFile(job=job, position=position, name=upload.name[:255], size=upload.size)
            if upload.size > max_bytes(upload.name):
                megabytes = max_bytes(upload.name) // (1024 * 1024)
                entry.state, entry.message = ImportFile.FAILED, f"文件过大（超过 {megabytes} MB）。"
            else:
                upload.seek(0)
                entry.data = upload.read()
            entry.save()
    return job


def run_job(job_id, file_seconds=None):
    """Import every file of the job that is still waiting, each in its own transaction, then
    mark the job done. With `file_seconds`, a Word document whose conversion takes longer is
    stopped and reported (an alarm signal: only in a process's main thread, as in
    `manage.py run_import_job`)."""
    job = ImportJob.objects.select_related("column").get(pk=job_id)
    texts = text_articles(job)
    mark_attachments(job, texts)
    for entry in job.files.filter(state=ImportFile.WAITING).defer("data").order_by("position"):
        attempt = claim_file(entry)
        if attempt is not None:  # else another run has it
            import_file(job, entry, attempt, texts, file_seconds)
    finish(job)


def text_articles(job):
    """{file name: its parsed article, or the error that keeps it from being read} for the text
    files of the job that are still to be imported: their 附件 lists say which files are
    attachments."""
    articles = {}
    entries = job.files.filter(state__in=[ImportFile.WAITING, ImportFile.WORKING])
    for entry in entries.exclude(name__iregex=r"\.docx?$").only("name", "data"):
        try:
            articles[entry.name] = parsed_text(bytes(entry.data))
        except (UnreadableFile, SeedFormatError) as error:
            articles[entry.name] = error
    return articles


def parsed_text(data):
    if len(data) > MAX_TEXT_BYTES:
        raise UnreadableFile("文件过大（超过 1 MB）。")
    text, _encoding = read_text(data)
    return parse(text)


def mark_attachments(job, articles):
    """The files an article's 附件 list names are its attachments, not articles of their own."""
    wanted = {
        item.file_name
        for article in articles.values()
        if not isinstance(article, Exception)
        for item in article.attachments
    }
    job.files.filter(name__in=wanted, state=ImportFile.WAITING).update(state=ImportFile.ATTACHMENT)


def claim_file(entry):
    """This run's attempt number at the file, or None when another run took it first."""
    attempt = entry.attempts + 1
    taken = ImportFile.objects.filter(pk=entry.pk, state=ImportFile.WAITING).update(
        state=ImportFile.WORKING, started_at=now(), attempts=F("attempts") + 1
    )
    return attempt if taken else None


def import_file(job, entry, attempt, texts, file_seconds=None):
    """Import one file and record its result, or record why it could not be."""
    try:
        if job.column is None:
            raise ImportTargetError("要导入的栏目已被删除。")
        if is_word(entry.name):
            import_word(job, entry, attempt, file_seconds)
        else:
            import_text(job, entry, attempt, texts.get(entry.name))
    except FileTimeout:
        fail(entry, attempt, f"处理超过 {file_seconds} 秒仍未完成，已停止：文件可能过于复杂。")
    except FILE_ERRORS as error:
        fail(entry, attempt, str(error))
    except ValidationError as error:
        fail(entry, attempt, " ".join(error.messages))
    except (MemoryError, RecursionError) as error:
        logger.warning("Import of %r stopped: %r", entry.name, error)
        fail(entry, attempt, "文件过于复杂，处理时超出了内存或结构深度的限制，未导入。")
    except NotThisRunsFile:
        logger.warning("Import of %r was taken up by another run; this one's is undone", entry.name)
    except Exception:
        logger.exception("Import of %r failed", entry.name)
        fail(entry, attempt, "导入时发生内部错误，已记录在服务器日志中，请联系管理员。")


def import_word(job, entry, attempt, file_seconds):
    data = ImportFile.objects.values_list("data", flat=True).get(pk=entry.pk)
    # The slow part, with no transaction (and on SQLite no write lock) held, and the only one
    # the alarm may interrupt: never a commit half-way.
    with time_limit(file_seconds):
        article = read_docx(bytes(data))
    with transaction.atomic():
        result = import_word_article(article, job.column)
        record(entry, attempt, result, [*article.messages, *result.finding_notes()])
    make_renditions(result.page)


def import_text(job, entry, attempt, article):
    if article is None:
        raise UnreadableFile("文件无法读取。")
    if isinstance(article, Exception):
        raise article

    def file_named(name):
        data = (
            job.files.filter(name=name, state=ImportFile.ATTACHMENT)
            .values_list("data", flat=True)
            .first()
        )
        return bytes(data) if data is not None else None

    with transaction.atomic():
        # Editors import drafts; a file's 点击数 is never taken here (counts come from readers).
        result = import_article(
            article, job.column, publish=False, take_count=False, file_named=file_named
        )
        notes = [f"附件 {len(article.attachments)} 个已存入文档库。"] if article.attachments else []
        record(entry, attempt, result, [*notes, *result.finding_notes()])


def record(entry, attempt, result, notes):
    """The file's result, in the transaction that made its draft: if another run has taken the
    file up meanwhile, nothing of this run's stays."""
    written = ImportFile.objects.filter(
        pk=entry.pk, state=ImportFile.WORKING, attempts=attempt
    ).update(
        state=ImportFile.DONE,
        page=result.page,
        title=result.page.draft_title or result.page.title,
        created=result.created,
        notes=list(notes),
    )
    if not written:
        raise NotThisRunsFile


def fail(entry, attempt, message):
    ImportFile.objects.filter(pk=entry.pk, state=ImportFile.WORKING, attempts=attempt).update(
        state=ImportFile.FAILED, message=message
    )


def make_renditions(page):
    """Every rendition the draft's pictures need, made now, in the background work: those of the
    article's body (includes/picture_body.html, through the same template the page uses) and
    the admin chooser's thumbnail. A picture whose renditions fail is left to the library's
    own handling and logged."""
    draft = page.get_latest_revision_as_object()
    ids = [
        block.value["image"].pk
        for block in walk(draft.body)
        if block.block_type == "image" and block.value["image"]
    ]
    for image in Image.objects.filter(pk__in=ids):
        try:
            render_picture(image, "body")
            image.get_rendition(CHOOSER_THUMBNAIL)
        except Exception as error:  # a picture that passed the library's checks; keep going
            logger.warning("Renditions of image %s failed: %r", image.pk, error)


def walk(stream):
    for block in stream:
        yield block
        value = block.value
        if block.block_type in {"section", "subsection"}:
            yield from walk(value["body"])


def finish(job):
    """The job done and its uploads let go, once none of its files is waiting or being read."""
    with transaction.atomic():
        if job.files.filter(state__in=[ImportFile.WAITING, ImportFile.WORKING]).exists():
            return
        job.files.update(data=b"")
        ImportJob.objects.filter(pk=job.pk).exclude(state=ImportJob.DONE).update(
            state=ImportJob.DONE, finished_at=now()
        )


@contextmanager
def time_limit(seconds):
    """Raises FileTimeout in the main thread after `seconds` (none: no limit)."""
    if not seconds:
        yield
        return

    def expired(signum, frame):
        raise FileTimeout

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(int(seconds))
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
