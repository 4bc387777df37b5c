"""A job run every few seconds by a thread of each serving process, without cron: the publishing
scheduler (news/scheduler.py) and the security daily job (security/daily.py). Each thread starts
once per process (sitecms/wsgi.py, or gunicorn.conf.py in each forked worker); a round that fails
is logged and the job tried again at the next one; the database connection is closed after each
round, so that a thread holds none between rounds."""

import logging
import threading

from django.db import close_old_connections, connection

logger = logging.getLogger(__name__)

# The names of the threads this process has started.
started = set()
_guard = threading.Lock()


def start_periodic(name, seconds, job, failure):
    """Run `job` every `seconds()` seconds (read again each round) in a thread called `name`,
    unless this process already does; `failure` is the log line for a round that raised. Returns
    the event that stops the thread, or None."""
    with _guard:
        if name in started:
            return None
        started.add(name)
    stop = threading.Event()

    def loop():
        while not stop.wait(seconds()):
            try:
                job()
            except Exception:
                logger.exception(failure)
            finally:
                close_old_connections()
                connection.close()

    threading.Thread(target=loop, name=name, daemon=True).start()
    return stop
