"""Sessions on the production stack (gunicorn workers, production settings, the database sessions
of SESSION_ENGINE): a sign-in ends the account's session that another worker serves, and a
session is signed out after ADMIN_IDLE_MINUTES however many background requests the workers
answered for it meanwhile."""

import json
import time

import pytest

from stack.raw_http import AdminSession
from stack.site import ADMIN_PASSWORD, Gunicorn, prepared_sqlite_site

IDLE_SECONDS = 9
BACKGROUND = {"X-Requested-With": "XMLHttpRequest", "Sec-Fetch-Mode": "cors"}


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sessions-stack")
    environment = prepared_sqlite_site(
        folder, SCHEDULER_ENABLED="0", ADMIN_IDLE_MINUTES=str(IDLE_SECONDS / 60)
    )
    with Gunicorn(environment, folder / "gunicorn.log", workers=3) as live:
        yield live


def dashboard(session, headers=None):
    return session._send("GET", "/admin/", headers=dict(headers or {}))


def test_a_sign_in_ends_the_same_accounts_session_on_every_worker(stack):
    first = AdminSession(stack, ADMIN_PASSWORD)
    assert dashboard(first).status == 200
    second = AdminSession(stack, ADMIN_PASSWORD)
    for _ in range(3):  # whichever worker answers
        assert dashboard(second).status == 200
        answer = dashboard(first)
        assert answer.status == 302
        assert answer.headers["location"].startswith("/admin/login/")


def test_background_requests_do_not_keep_an_idle_session_alive(stack):
    session = AdminSession(stack, ADMIN_PASSWORD)
    started = time.monotonic()
    while time.monotonic() - started < IDLE_SECONDS - 3:
        assert dashboard(session, BACKGROUND).status == 200
        time.sleep(0.5)
    time.sleep(max(0, started + IDLE_SECONDS + 0.5 - time.monotonic()))
    answer = dashboard(session, BACKGROUND)
    assert answer.status == 401
    assert "为安全起见已自动退出" in json.loads(answer.text)["error_message"]
    answer = dashboard(session)
    assert answer.status == 302
    assert answer.headers["location"].startswith("/admin/login/")
