"""The security daily job on the production stack (security/daily.py): three gunicorn workers,
each with the job's thread, run it once between them, and the previous day's audit file is
written where the site keeps it."""

import json
import shutil
import sqlite3
import time

from stack.site import Gunicorn, manage, prepared_sqlite_site

WORKERS = 3


def rows(database, sql):
    with sqlite3.connect(database) as connection:
        return connection.execute(sql).fetchall()


def test_three_workers_run_the_daily_job_once_between_them(tmp_path):
    environment = prepared_sqlite_site(
        tmp_path / "site",
        SECURITY_DAILY_AT="00:00",
        SECURITY_DAILY_INTERVAL="0.3",
        SCHEDULER_ENABLED="0",
    )
    database = environment["DATABASE_URL"].removeprefix("sqlite:///")
    # Yesterday's sign-in, as the export will find it.
    manage(
        environment,
        "shell",
        "--no-imports",
        "-c",
        "from datetime import timedelta\n"
        "from unittest import mock\n"
        "from django.utils import timezone\n"
        "from security import audit\n"
        "with mock.patch.object(audit.timezone, 'now', return_value=timezone.now() - timedelta(days=1)):\n"
        "    audit.record('login', username='yesterday')\n",
    )
    with Gunicorn(environment, tmp_path / "gunicorn.log", WORKERS) as stack:
        deadline = time.monotonic() + 30
        while len(stack.worker_pids()) < WORKERS and time.monotonic() < deadline:
            time.sleep(0.1)
        while time.monotonic() < deadline:
            finished = rows(
                database, "SELECT report FROM security_dailyrun WHERE finished_at IS NOT NULL"
            )
            if finished:
                break
            time.sleep(0.2)
        # A few more of every worker's rounds: none of them runs it again.
        time.sleep(1.5)
        log = stack.log()
    runs = rows(database, "SELECT report FROM security_dailyrun")
    assert len(runs) == 1, log
    assert "校验通过" in runs[0][0]
    verified = rows(
        database, "SELECT outcome FROM security_securityevent WHERE event = 'audit_verified'"
    )
    assert verified == [("成功",)]
    exported = list((tmp_path / "site" / "audit").glob("audit-*.jsonl"))
    assert len(exported) == 1
    lines = [json.loads(line) for line in exported[0].read_text(encoding="utf-8").splitlines()]
    assert "yesterday" in [line["user"] for line in lines]
    shutil.rmtree(tmp_path / "site", ignore_errors=True)
