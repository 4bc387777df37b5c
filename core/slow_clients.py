"""A gunicorn worker that slow clients cannot hold: gunicorn's threaded worker (gthread), with
deadlines that free a thread from a client that stalls (gunicorn.conf.py uses it). No Django here.

A sync worker serves one connection from its first byte to its last, so five clients that never
finished their headers, or never read their download, held all five workers of `make serve` until
gunicorn killed them at its 30-second timeout, and a reader waited 31.8 s. Here each worker
serves `threads` connections at once, and a connection gives its thread back:

- when its request line and headers are not all in within GUNICORN_CLIENT_TIMEOUT seconds (10)
  of a thread taking it, counted from the start: sending a byte now and then does not help;
- when it makes no progress for GUNICORN_CLIENT_TIMEOUT seconds while the application reads its
  body or sends the answer: a phone on a slow network keeps going, one that stopped reading is
  dropped;
- when its request has run for GUNICORN_TIMEOUT seconds (30) in all, however it trickles, as
  gunicorn's sync workers were killed at that timeout. If the application's own work is what
  takes so long, the connection is reset all the same, and the worker takes no new connections
  and is replaced once its other requests are answered, or after the graceful timeout. (The
  thread cannot be stopped; with threads, the worker's heartbeat comes from its main loop, and
  gunicorn would never kill it.)

A dropped connection is reset, not closed gracefully, so nothing waits for a client that is no
longer there. nginx in front (deploy/nginx.conf) reads whole requests and takes whole answers, so
slow clients never reach gunicorn at all; this bounds what one costs when nothing is in front.
Only for plain HTTP: gunicorn's own TLS (certfile) wraps the socket these deadlines act on.
"""

import contextlib
import os
import socket
import struct
import threading
import time

from gunicorn.workers.gthread import ThreadWorker

CLIENT_TIMEOUT = float(os.environ.get("GUNICORN_CLIENT_TIMEOUT", "10"))
# How often the deadlines are looked at: a late client is dropped at most this much late.
CHECK_EVERY = 0.25
# What gunicorn's graceful close waits for a client to close its side after the answer.
LINGER = 2.0
# SO_LINGER on, 0 seconds: close() discards what the client never read and sends a reset.
_RESET_ON_CLOSE = struct.pack("ii", 1, 0)


def drop(sock):
    """Reset the connection: a thread blocked reading or writing it returns at once."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _RESET_ON_CLOSE)
        sock.shutdown(socket.SHUT_RDWR)


def linger(sock):
    """Half-close and read what the client still sends until it closes, for at most LINGER
    seconds (so that a reset does not cut off the end of the answer), then shut the reading side:
    gunicorn's graceful close, which comes next, then finds nothing to wait for."""
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_WR)
        deadline = time.monotonic() + LINGER
        while (left := deadline - time.monotonic()) > 0:
            sock.settimeout(left)
            if not sock.recv(4096):
                break
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class SlowClientSafeWorker(ThreadWorker):
    def init_process(self):
        # {socket: (moment, what is late then)} for every connection a thread is serving.
        self.deadlines = {}
        self.deadlines_lock = threading.Lock()
        self.exit_at = None
        threading.Thread(target=self.keep_deadlines, name="deadlines", daemon=True).start()
        super().init_process()

    def handle(self, conn):
        """Serve a connection in a pool thread, its headers due within CLIENT_TIMEOUT."""
        sock = conn.sock
        self.set_deadline(sock, CLIENT_TIMEOUT, f"request headers not in within {CLIENT_TIMEOUT}s")
        try:
            keep_alive = super().handle(conn)
        finally:
            with self.deadlines_lock:
                self.deadlines.pop(sock, None)
        if keep_alive is False:
            # gunicorn then closes the connection gracefully in its main thread, waiting up to two
            # seconds for the client to close first: a client that never does would stall the loop
            # that accepts everyone else for that long. The waiting is done here instead, in this
            # connection's own thread.
            linger(conn.sock)
        return keep_alive

    def handle_request(self, req, conn):
        """The headers are in: the request has GUNICORN_TIMEOUT seconds in all, and the client
        may keep it waiting for at most CLIENT_TIMEOUT at a time."""
        what = f"{req.method} {req.path} not answered within {self.cfg.timeout}s"
        self.set_deadline(conn.sock, self.cfg.timeout, what)
        conn.sock.settimeout(CLIENT_TIMEOUT)
        try:
            return super().handle_request(req, conn)
        except TimeoutError:
            self.log.info(
                "Reset a connection: %s %s stalled for %ss", req.method, req.path, CLIENT_TIMEOUT
            )
            drop(conn.sock)
            return False

    def set_deadline(self, sock, seconds, what):
        with self.deadlines_lock:
            self.deadlines[sock] = (time.monotonic() + seconds, what)

    def keep_deadlines(self):
        """Reset each connection whose deadline has passed; a connection whose thread is still
        busy a graceful timeout later means the application itself is stuck: the worker is
        then replaced."""
        while True:
            time.sleep(CHECK_EVERY)
            now = time.monotonic()
            with self.deadlines_lock:
                late = {sock: what for sock, (due, what) in self.deadlines.items() if due <= now}
                for sock in late:
                    drop(sock)
                    # Kept, with a last deadline, until the thread serving it returns.
                    self.deadlines[sock] = (now + self.cfg.graceful_timeout, "")
            for what in late.values():
                if what:
                    self.log.info("Reset a connection: %s", what)
                elif self.exit_at is None:
                    self.stop_after_overrun()
            if self.exit_at is not None and now >= self.exit_at:
                self.log.warning("Exiting with a request still running (pid: %s)", self.pid)
                os._exit(1)

    def stop_after_overrun(self):
        grace = self.cfg.graceful_timeout
        self.log.warning(
            "A request is still running %ss after its connection was reset: this worker takes "
            "no new connections and is replaced once its other requests are answered, in %ss "
            "at most",
            grace,
            grace,
        )
        self.alive = False
        self.method_queue.defer(lambda: None)  # wakes the main loop, as SIGTERM does
        self.exit_at = time.monotonic() + grace
