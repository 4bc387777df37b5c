"""导入文章 as jobs: the upload is answered at once with a page that refreshes itself until every
file has its result; only the editor who uploaded it (and superusers) see it; a job carries its
site; a file is imported at most once however its job is interrupted and taken up again; at most
IMPORT_JOBS run at once; a file that takes too long, or a child process that dies, is reported on
the file's line and the others are imported; and the pictures' renditions are made by the import,
never by the editor's preview. (The child processes themselves, on the production stack:
tests/news/importing/test_import_on_the_stack.py.)"""

import io
import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils.timezone import now
from PIL import Image as PillowImage
from wagtail.images.models import Rendition

from news.importing import jobs, worker
from news.importing.models import ImportFile, ImportJob
from news.models import ArticlePage
from news.roles import EDITORS
from tests.admin_forms import user_in
from tests.news.importing.crafted_word_files import good

# On PostgreSQL too: jobs are claimed under row locks.
pytestmark = pytest.mark.engine_dependent


def jpeg(width, height):
    buffer = io.BytesIO()
    PillowImage.new("RGB", (width, height), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def uploads(*files):
    return [SimpleUploadedFile(name, data) for name, data in files]


@pytest.fixture
def background(settings, monkeypatch):
    """Imports queued for the import thread, which is told and does nothing here: each test runs
    the job itself when it wants."""
    settings.IMPORT_IN_BACKGROUND = True
    woken = []
    monkeypatch.setattr(worker, "wake", lambda: woken.append(True))
    return woken


def queued_job(client, column, *files):
    return jobs.create_job(client.user, column, uploads(*files))


def test_the_upload_is_answered_at_once_and_its_page_refreshes_until_done(
    editor_client, column, background, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("news_import_articles"),
            {"column": column.pk, "files": uploads(("简报.docx", good("支部简报")))},
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("news_import_job", args=(job.pk,))
    assert background == [True]  # the thread of this process was told at once

    waiting = editor_client.get(response["Location"]).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in waiting
    assert "排队中" in waiting and "简报.docx" in waiting
    assert not ArticlePage.objects.exists()

    jobs.run_job(job.pk)
    done = editor_client.get(response["Location"]).content.decode()
    page = ArticlePage.objects.get(title="支部简报")
    assert "http-equiv" not in done
    assert "导入完成" in done
    assert reverse("wagtailadmin_pages:edit", args=(page.pk,)) in done
    # The form lists the job among the editor's recent imports.
    form = editor_client.get(reverse("news_import_articles")).content.decode()
    assert reverse("news_import_job", args=(job.pk,)) in form


def test_only_the_uploader_and_superusers_see_a_job(
    editor_client, superuser_client, staff_client, column, django_user_model
):
    job = queued_job(editor_client, column, ("简报.docx", good()))
    url = reverse("news_import_job", args=(job.pk,))
    other_editor = user_in(django_user_model, EDITORS, "editor2")[1]
    assert editor_client.get(url).status_code == 200
    assert superuser_client.get(url).status_code == 200
    assert other_editor.get(url).status_code == 404
    assert staff_client.get(url).status_code in (302, 403)  # the admin redirects a refusal
    assert url not in other_editor.get(reverse("news_import_articles")).content.decode()
    assert editor_client.get(reverse("news_import_job", args=(job.pk + 1,))).status_code == 404


def test_a_job_belongs_to_the_site_of_its_column(editor_client, column):
    job = queued_job(editor_client, column, ("简报.docx", good()))
    assert job.site == column.get_site()


def test_a_run_takes_only_files_still_waiting_so_none_is_imported_twice(editor_client, column):
    job = queued_job(
        editor_client, column, ("一.docx", good("第一篇")), ("二.docx", good("第二篇"))
    )
    jobs.run_job(job.pk)
    jobs.run_job(job.pk)
    assert sorted(ArticlePage.objects.values_list("title", flat=True)) == ["第一篇", "第二篇"]
    # The uploads are let go once read.
    assert all(bytes(data) == b"" for data in ImportFile.objects.values_list("data", flat=True))


def test_a_silent_job_is_taken_over_and_its_interrupted_file_imported_once(
    editor_client, column, settings
):
    settings.IMPORT_JOBS = 1
    job = queued_job(editor_client, column, ("一.docx", good("第一篇")))
    assert worker.claim_job() == job
    # Its child took the file and died; nothing was written, and it fell silent.
    entry = job.files.get()
    assert jobs.claim_file(entry) == 1
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=now() - timedelta(minutes=5))

    assert worker.claim_job() == job  # taken over: its file is waiting again
    jobs.run_job(job.pk)
    assert ArticlePage.objects.get().title == "第一篇"
    entry.refresh_from_db()
    assert (entry.state, entry.attempts) == (ImportFile.DONE, 2)

    # Had the first child woken up and finished its file after all, its draft is undone.
    ImportFile.objects.filter(pk=entry.pk).update(state=ImportFile.WORKING)
    jobs.import_file(job, entry, 1, {})
    assert ArticlePage.objects.count() == 1


def test_a_file_interrupted_twice_is_failed_on_its_line(editor_client, column):
    job = queued_job(editor_client, column, ("一.docx", good("第一篇")))
    ImportFile.objects.update(state=ImportFile.WORKING, attempts=2)
    ImportJob.objects.update(state=ImportJob.RUNNING, heartbeat_at=now() - timedelta(minutes=5))
    assert worker.claim_job() == job
    assert job.files.get().message == "处理这个文件时两次中断，未导入。"


def test_at_most_import_jobs_run_at_once(editor_client, column, settings):
    settings.IMPORT_JOBS = 1
    first = queued_job(editor_client, column, ("一.docx", good("第一篇")))
    second = queued_job(editor_client, column, ("二.docx", good("第二篇")))
    assert worker.claim_job() == first
    assert worker.claim_job() is None
    settings.IMPORT_JOBS = 2
    assert worker.claim_job() == second
    assert worker.claim_job() is None


def test_a_file_that_takes_too_long_is_stopped_and_the_next_imported(
    editor_client, column, monkeypatch
):
    slow = good("慢的")
    read = jobs.read_docx

    def read_slowly(data):
        if data == slow:
            time.sleep(30)
        return read(data)

    monkeypatch.setattr(jobs, "read_docx", read_slowly)
    job = queued_job(editor_client, column, ("慢.docx", slow), ("快.docx", good("快的")))
    started = time.monotonic()
    # A limit that a quick document meets even on a machine busy with other work, and that stops
    # the slow one long before its thirty seconds are up.
    jobs.run_job(job.pk, file_seconds=5)
    assert time.monotonic() - started < 20
    slow_file, fast_file = job.files.order_by("position")
    assert slow_file.state == ImportFile.FAILED and "处理超过 5 秒" in slow_file.message
    assert fast_file.state == ImportFile.DONE
    assert ArticlePage.objects.get().title == "快的"


def test_a_child_that_dies_fails_its_file_and_the_next_child_goes_on(
    editor_client, column, monkeypatch
):
    job = queued_job(editor_client, column, ("崩.docx", good("崩溃的")), ("好.docx", good("好的")))
    children = []

    def child(command, **options):
        children.append(command[-2:])
        if len(children) == 1:  # took the first file, then was killed
            jobs.claim_file(job.files.get(position=0))
            return -9
        jobs.run_job(job.pk)
        return 0

    monkeypatch.setattr(worker.subprocess, "call", child)
    worker.run_in_child(job)
    assert children == [["run_import_job", str(job.pk)]] * 2
    crashed, imported = job.files.order_by("position")
    assert crashed.state == ImportFile.FAILED and "超出了内存或时间的限制" in crashed.message
    assert imported.state == ImportFile.DONE
    assert ImportJob.objects.get().state == ImportJob.DONE


def test_the_command_runs_a_job(editor_client, column, monkeypatch):
    monkeypatch.setattr("news.management.commands.run_import_job.limit_this_process", lambda: None)
    job = queued_job(editor_client, column, ("简报.docx", good("命令导入")))
    call_command("run_import_job", str(job.pk))
    assert ArticlePage.objects.get().title == "命令导入"
    assert ImportJob.objects.get().state == ImportJob.DONE


def test_the_import_makes_the_pictures_renditions_and_the_preview_none(editor_client, column):
    job = queued_job(
        editor_client, column, ("图.docx", good("带图的报道", pictures=[jpeg(3000, 2000)]))
    )
    jobs.run_job(job.pk)
    made = Rendition.objects.count()
    assert made >= 7  # WebP and JPEG at three widths, and the chooser's thumbnail
    page = ArticlePage.objects.get(title="带图的报道")
    preview = page.get_latest_revision_as_object().make_preview_request()
    assert preview.status_code == 200
    assert Rendition.objects.count() == made


def test_a_file_over_its_size_is_failed_on_its_line_and_a_batch_over_the_total_refused(
    editor_client, column, monkeypatch
):
    two_megabytes = b"PK\x03\x04" + b"\0" * (2 * 1024 * 1024)
    monkeypatch.setattr(jobs, "MAX_WORD_BYTES", 1024 * 1024)
    job = queued_job(editor_client, column, ("大.docx", two_megabytes), ("小.docx", good()))
    big, small = job.files.order_by("position")
    assert (big.state, big.message, bytes(big.data)) == (
        ImportFile.FAILED,
        "文件过大（超过 1 MB）。",
        b"",
    )
    assert small.state == ImportFile.WAITING

    monkeypatch.setattr("news.importing.views.MAX_JOB_BYTES", 1024 * 1024)
    response = editor_client.post(
        reverse("news_import_articles"),
        {"column": column.pk, "files": uploads(("大.docx", two_megabytes))},
    )
    assert "这些文件合计超过 1 MB，请分几次导入。" in response.content.decode()
    assert ImportJob.objects.count() == 1
