"""The 互动交流 daily job on the production stack (interaction/daily_job.py): three gunicorn workers,
each with the job's thread, run it once between them; the overdue message's reminder is mailed
once, also when the job is run again from cron the same day, and the contact details of a
message answered long ago are gone."""

import shutil
import sqlite3
import time

from stack.site import Gunicorn, manage, prepared_sqlite_site

WORKERS = 3
PORT = 8641

MESSAGES = """
from datetime import timedelta
from unittest import mock
from django.utils import timezone
from wagtail.models import Site
from interaction import workflow
from interaction.models import ChannelPage, Kind, Message, Status
site = Site.objects.get(is_default_site=True)
channel = ChannelPage.objects.descendant_of(site.root_page).first()
channel.owner_email = 'fuze@example.cn'
channel.save()
fields = {'title': '四十天未答复', 'content': '内容', 'name': '张三', 'phone': '13800000000'}
with mock.patch.object(timezone, 'now', return_value=timezone.now() - timedelta(days=40)):
    workflow.receive(site=site, channel=channel, kind=Kind.MESSAGE, fields=fields, address=None)
fields = {**fields, 'title': '去年答复的留言', 'name': '李四'}
old, _ = workflow.receive(site=site, channel=channel, kind=Kind.MESSAGE, fields=fields, address=None)
Message.objects.filter(pk=old.pk).update(
    status=Status.REPLIED, replied_at=timezone.now() - timedelta(days=400)
)
"""


def rows(database, sql):
    with sqlite3.connect(database) as connection:
        return connection.execute(sql).fetchall()


def mails(folder):
    return "".join(path.read_text(encoding="utf-8") for path in folder.glob("*.log"))


def test_three_workers_send_each_reminder_once_between_them(tmp_path):
    environment = prepared_sqlite_site(
        tmp_path / "site",
        INTERACTION_DAILY_AT="00:00",
        INTERACTION_DAILY_INTERVAL="0.3",
        SECURITY_DAILY_ENABLED="0",
        SCHEDULER_ENABLED="0",
        MAIL_DIR=tmp_path / "mail",
        EMAIL_HOST=None,
    )
    database = environment["DATABASE_URL"].removeprefix("sqlite:///")
    manage(environment, "shell", "--no-imports", "-c", MESSAGES)
    with Gunicorn(environment, tmp_path / "gunicorn.log", WORKERS, port=PORT) as stack:
        deadline = time.monotonic() + 30
        while len(stack.worker_pids()) < WORKERS and time.monotonic() < deadline:
            time.sleep(0.1)
        while time.monotonic() < deadline:
            if rows(database, "SELECT 1 FROM interaction_dailyrun WHERE finished_at IS NOT NULL"):
                break
            time.sleep(0.2)
        # A few more of every worker's rounds: none of them runs it again.
        time.sleep(1.5)
        log = stack.log()
    # From cron as well, the same day.
    manage(environment, "interaction_daily")
    runs = rows(database, "SELECT report FROM interaction_dailyrun")
    assert len(runs) == 1, log
    # The demo's waiting messages are reminded too: each once.
    reminded = rows(database, "SELECT message_id, point, recipients FROM interaction_reminder")
    assert len({(message, point) for message, point, _ in reminded}) == len(reminded)
    assert runs[0][0].startswith(f"发送 {len(reminded)} 条到期提醒；"), log
    mine = rows(
        database,
        "SELECT r.recipients FROM interaction_reminder r JOIN interaction_message m"
        " ON m.id = r.message_id WHERE m.title = '四十天未答复'",
    )
    assert mine == [("fuze@example.cn",)]
    sent = mails(tmp_path / "mail")
    assert sent.count("Subject:") == len([1 for *_, to in reminded if to])
    assert "fuze@example.cn" in sent
    kept = rows(
        database,
        "SELECT title, name, phone FROM interaction_message"
        " WHERE title IN ('四十天未答复', '去年答复的留言') ORDER BY id",
    )
    assert kept == [("四十天未答复", "张三", "13800000000"), ("去年答复的留言", "", "")]
    shutil.rmtree(tmp_path / "site", ignore_errors=True)
