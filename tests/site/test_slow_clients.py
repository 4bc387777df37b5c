"""`make serve` facing readers with no nginx in front: clients that never finish their headers, or
never read their download, cannot keep a reader waiting, and lose their connection once they
are late, as does one that sends its form a byte at a time (core/slow_clients.py). With sync
workers, two such clients held this stack's two workers until gunicorn killed them at its
30-second timeout, and the reader waited 30.9 s.

The stack is the production one (gunicorn with gunicorn.conf.py, production settings, SQLite)
with 2 workers of 2 threads; the download is a 16 MB document, far more than the socket buffers
between them hold. A last test runs the worker class on an application that can be kept busy
past its deadline, which the site has no page for: the worker is replaced, as a sync worker was.
"""

import re
import subprocess
import time
from contextlib import ExitStack
from pathlib import Path

import pytest

from stack.raw_http import send
from stack.services import free_port, wait_for
from stack.site import BIN, ROOT, Gunicorn, manage, prepared_sqlite_site
from stack.stalling_clients import TrickledBody, UnfinishedHeaders, UnreadDownload

READER_SECONDS = 2.0
DOCUMENT_BYTES = 16_000_000
FIND_DOCUMENT = """
from wagtail.documents import get_document_model
document = get_document_model().objects.get(file__endswith=".pdf")
print(document.url, document.file.path)
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The environment of a site whose PDF document is DOCUMENT_BYTES large, and its address."""
    environment = prepared_sqlite_site(tmp_path_factory.mktemp("slow-clients"), SCHEDULER_ENABLED=0)
    url, path = manage(environment, "shell", "-c", FIND_DOCUMENT).stdout.split()[-2:]
    Path(path).write_bytes(b"%PDF-1.4\n" + bytes(DOCUMENT_BYTES))
    return environment, url


def an_article(stack):
    return re.search(r'href="(/news/\d{4}/\d{4}/\d+/)"', stack.request("GET", "/news/").text)[1]


def slow_clients(stack, document, unfinished, unread):
    """An ExitStack holding `unfinished` requests whose headers never end, then `unread`
    downloads of `document` that are never read; each is open once this returns."""
    held = ExitStack()
    clients = [held.enter_context(UnfinishedHeaders(stack.port)) for _ in range(unfinished)]
    clients += [held.enter_context(UnreadDownload(stack.port, document)) for _ in range(unread)]
    time.sleep(0.5)  # the headers are waited for, the downloads have filled the buffers
    return held, clients


def read(stack, article):
    start = time.monotonic()
    answer = stack.request("GET", article, timeout=60)
    return answer, time.monotonic() - start


def test_a_reader_is_answered_while_slow_clients_hold_connections(site, tmp_path):
    environment, document = site
    with Gunicorn(environment, tmp_path / "gunicorn.log") as stack:
        article = an_article(stack)
        # More slow clients than the stack has workers, with the deadlines as shipped.
        held, clients = slow_clients(stack, document, unfinished=2, unread=1)
        with held:
            answer, seconds = read(stack, article)
            assert answer.status == 200
            assert seconds < READER_SECONDS, f"the reader waited {seconds:.1f} s"
            # Answered beside them, not after them.
            assert not any(client.dropped_by_server(within=0) for client in clients)


def test_slow_clients_lose_their_connection_and_free_their_thread(site, tmp_path):
    environment, document = site
    environment = {**environment, "GUNICORN_CLIENT_TIMEOUT": "1"}
    with Gunicorn(environment, tmp_path / "gunicorn.log") as stack:
        article = an_article(stack)
        # More slow clients than the stack has threads: the reader waits for the deadlines.
        held, clients = slow_clients(stack, document, unfinished=3, unread=3)
        with held:
            answer, seconds = read(stack, article)
            assert answer.status == 200
            assert seconds < 3.0, f"the reader waited {seconds:.1f} s"
            late = [client for client in clients if not client.dropped_by_server(within=4)]
            assert late == [], f"{len(late)} of {len(clients)} slow clients kept their connection"
        # Each reset is logged just after it is made.
        wait_for(lambda: "request headers not in within 1.0s" in stack.log(), seconds=5)
        log = stack.log()
    assert "request headers not in within 1.0s" in log, log[-3000:]
    assert re.search(r"GET /documents/\S+ stalled for 1.0s", log), log[-3000:]
    assert "WORKER TIMEOUT" not in log, log[-3000:]
    assert "Traceback" not in log, log[-3000:]


def test_a_form_sent_a_byte_at_a_time_is_cut_off_at_the_request_timeout(site, tmp_path):
    environment, _ = site
    environment = {**environment, "GUNICORN_TIMEOUT": "3"}
    with Gunicorn(environment, tmp_path / "gunicorn.log") as stack:
        with TrickledBody(stack.port, "/") as client:
            assert client.dropped_by_server(within=6)
        # The worker resets the connection, then logs it: the client may see the reset first.
        wait_for(lambda: "POST / not answered within 3s" in stack.log(), seconds=5)
        log = stack.log()
    assert "POST / not answered within 3s" in log, log[-3000:]
    # The application returned once its connection was gone: no worker had to be replaced.
    assert "still running" not in log, log[-3000:]
    assert "Traceback" not in log, log[-3000:]


BUSY_APPLICATION = """
import time

def application(environ, start_response):
    if environ["PATH_INFO"] == "/busy":
        started = time.monotonic()
        while time.monotonic() - started < 60:
            pass  # as a runaway conversion would be: no I/O for a reset to interrupt
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]
"""


def test_a_worker_busy_past_its_deadline_is_replaced_and_readers_are_answered(tmp_path):
    # The worker class alone, on an application that can be kept busy: the site has no such page.
    (tmp_path / "busy.py").write_text(BUSY_APPLICATION)
    port = free_port()
    options = ["--worker-class", "core.slow_clients.SlowClientSafeWorker", "--workers", "1"]
    options += ["--threads", "2", "--worker-connections", "2", "--keep-alive", "0"]
    options += ["--timeout", "2", "--graceful-timeout", "2", "--no-control-socket"]
    log = tmp_path / "gunicorn.log"
    with open(log, "wb") as output:
        server = subprocess.Popen(
            [BIN / "gunicorn", *options, "--bind", f"127.0.0.1:{port}", "busy:application"],
            cwd=tmp_path,  # not the project's folder: its gunicorn.conf.py would be read
            env={"PATH": str(BIN), "PYTHONPATH": f"{ROOT}:{tmp_path}"},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        assert wait_for(lambda: _answers(port), seconds=30), log.read_text()
        with pytest.raises(ConnectionError):
            send(port, "GET", "/busy", timeout=30)  # reset at the 2-second deadline
        # Replaced once its graceful timeout is over: a new worker boots, and answers.
        assert wait_for(lambda: "Booting worker" in log.read_text().partition("still running")[2])
        assert wait_for(lambda: _answers(port), seconds=10)
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = log.read_text()
    assert "GET /busy not answered within 2s" in text, text
    assert "exited with code 1" in text, text


def _answers(port):
    try:
        return send(port, "GET", "/", timeout=2).status == 200
    except OSError:
        return False
