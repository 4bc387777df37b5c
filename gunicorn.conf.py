"""gunicorn settings for the production stack (`make serve`, and any server running sitecms.wsgi).

Meant to run behind nginx (deploy/nginx.conf), which buffers whole requests and answers; facing
readers directly, its workers still survive slow clients (core/slow_clients.py).

Every value can be overridden from the environment: PORT / BIND, WEB_CONCURRENCY, GUNICORN_THREADS,
GUNICORN_TIMEOUT, GUNICORN_GRACEFUL_TIMEOUT, GUNICORN_MAX_REQUESTS (0: never recycle),
GUNICORN_ACCESS_LOG, GUNICORN_CONTROL_SOCKET, and GUNICORN_CLIENT_TIMEOUT (read by
core/slow_clients.py).
"""

import multiprocessing
import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# Two workers per core plus one, the usual rule for a CPU-bound Django site.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Threaded workers (core/slow_clients.py), each serving `threads` connections at once and taking
# a thread back from a client that stalls: a sync worker belongs to one connection until it ends,
# so five clients that never finished their headers held all five workers. Two threads each: with
# more, one worker can take in more requests than its share of the processor serves while another
# idles (a page-cached article, 4 connections, 2 workers on 2 cores, p99: sync 18-23 ms, 2 threads
# 11-21 ms, 4 threads 60-204 ms). Each thread keeps its own database connection: a server opens at
# most workers × (threads + 1, the scheduler's) of them.
worker_class = "core.slow_clients.SlowClientSafeWorker"
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
# A worker takes no more connections than it has threads: one whose threads are all busy stops
# accepting, and the kernel hands the next reader to a worker with a free thread instead of
# queuing it behind slow clients. That leaves none for keep-alive, so every answer closes its
# connection, as sync workers did (nginx's connections to gunicorn are on the same machine or
# network; a new one costs well under a millisecond).
worker_connections = threads
keepalive = 0
# A request has this long in all (GUNICORN_TIMEOUT): then its connection is reset, and if the
# application is still busy with it a graceful timeout later, the worker is replaced
# (core/slow_clients.py; the threads' main loop keeps the heartbeat gunicorn itself watches).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# The longest request line gunicorn accepts (its maximum); a longer one gets a 414, with the
# Chinese page below.
limit_request_line = 8190
# Recycle workers now and then, at different moments, so slow leaks never add up.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# GUNICORN_ACCESS_LOG="" turns the access log off.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn 25+ opens a control socket for `gunicornc` at one path per user
# ($XDG_RUNTIME_DIR/gunicorn.ctl or ~/.gunicorn/gunicorn.ctl): a second instance on the machine
# takes it over, and stopping either removes it, so commands meant for one reach the other or
# none. Off unless GUNICORN_CONTROL_SOCKET names a path for this instance alone.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket
# The site is loaded once, in the master, and every worker is a fork of it: a worker starts (and is
# replaced after max_requests, or a crash) in a fraction of the time, sharing the loaded code's
# memory. Loading connects to nothing; each worker opens its own database connections on first use.
preload_app = True
# A thread does not survive a fork, so the publishing scheduler (news/scheduler.py), the import
# thread (news/importing/worker.py) and the daily jobs (security/daily.py,
# interaction/daily_job.py, quality/nightly.py) are started in each worker once it is ready,
# rather than by sitecms/wsgi.py in the master.
raw_env = ["SCHEDULER_STARTED_BY_SERVER=1"]


def post_fork(server, worker):
    """A worker inherits the master's signal handlers, which only queue a signal for the master
    to read; until the worker sets its own, a stop sent to it (the master passing on its own
    stop, while this worker boots) would be lost, and the master would wait its graceful timeout
    to kill a worker that never heard. Until then a stop ends the booting worker at once."""
    import signal

    for stop in (signal.SIGTERM, signal.SIGINT, signal.SIGQUIT):
        signal.signal(stop, signal.SIG_DFL)


def post_worker_init(worker):
    from interaction.daily_job import start_daily_job as start_interaction_daily_job
    from news.importing.worker import start_import_worker
    from news.scheduler import start_scheduler
    from quality.nightly import start_daily_job as start_quality_daily_job
    from security.daily import start_daily_job

    start_scheduler()
    start_import_worker()
    start_daily_job()
    start_interaction_daily_job()
    start_quality_daily_job()


def _answer_unparsable_requests_in_chinese():
    """gunicorn answers a request it cannot parse (a request line over the limit, bytes that are
    not ASCII) itself, with an English page that repeats the request line; send the site's plain
    Chinese page instead, with the same status."""
    from http import HTTPStatus

    from gunicorn import util

    from core.plain_pages import page_for

    def write_error(sock, status_int, reason, mesg):
        body = page_for(status_int).encode()
        head = (
            f"HTTP/1.1 {status_int} {HTTPStatus(status_int).phrase}\r\n"
            "Connection: close\r\nContent-Type: text/html; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        util.write_nonblock(sock, head.encode("latin-1") + body)

    util.write_error = write_error


_answer_unparsable_requests_in_chinese()


def _name_no_server_software():
    """gunicorn names itself and its version in every answer's Server header; an attacker learns
    nothing from "web"."""
    from gunicorn.http import wsgi

    wsgi.SERVER = "web"


_name_no_server_software()
