"""Clients that hold a server's connections without finishing their business, as a slow-loris
attacker or a stalled phone does: a request whose headers never end, a download that is never
read, and a form whose body comes a byte at a time. Each is an open socket; closing it is the
caller's business (they are context managers)."""

import contextlib
import socket
import threading
import time

from stack.raw_http import CHROME_UA

# The client takes a few kilobytes at most; the server's send buffer grows to a few megabytes on
# loopback (tcp_wmem), so whatever sends a larger download stalls there.
SMALL_RECEIVE_BUFFER = 4096
# The first byte of Linux's tcp_info: the connection's state.
ESTABLISHED = 1


class SlowClient:
    def __init__(self, port):
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, SMALL_RECEIVE_BUFFER)
        self.socket.connect(("127.0.0.1", port))

    def dropped_by_server(self, within):
        """Whether the server closed or reset the connection within `within` seconds. The
        connection's state is asked of the kernel, and nothing is read: reading would let a
        stalled download go on."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if self.socket.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 1)[0] != ESTABLISHED:
                return True
            time.sleep(0.05)
        return False

    def close(self):
        self.socket.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class UnfinishedHeaders(SlowClient):
    """A request line and one header, then nothing: the blank line that ends the headers never
    comes."""

    def __init__(self, port):
        super().__init__(port)
        self.socket.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")


class UnreadDownload(SlowClient):
    """A complete request for `path` whose answer is never read: a download larger than the
    server's send buffer holds its sender."""

    def __init__(self, port, path):
        super().__init__(port)
        self.socket.sendall(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: {CHROME_UA}\r\n"
            "Connection: close\r\n\r\n".encode()
        )


class TrickledBody(SlowClient):
    """A form posted to `path` a byte every `interval` seconds, never finishing: each byte is
    progress, so only a limit on the whole request stops it. It carries a CSRF cookie, so that
    Django reads the body to look for the token."""

    def __init__(self, port, path, interval=0.3):
        super().__init__(port)
        self.socket.sendall(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: {CHROME_UA}\r\n"
            f"Cookie: csrftoken={'a' * 32}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            "Content-Length: 100000\r\n\r\n".encode()
        )
        self.stopped = threading.Event()
        threading.Thread(target=self.trickle, args=(interval,), daemon=True).start()

    def trickle(self, interval):
        with contextlib.suppress(OSError):
            while not self.stopped.wait(interval):
                self.socket.send(b"a")

    def close(self):
        self.stopped.set()
        super().close()
