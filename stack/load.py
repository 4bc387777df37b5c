"""A few readers at once for a few seconds, and how long each of their requests took: enough to see
a front that queues readers, in the seconds a test may spend (bench/ measures throughput with wrk)."""

import threading
import time
from dataclasses import dataclass


@dataclass
class Load:
    seconds: list  # each answered request's duration, sorted
    statuses: set
    elapsed: float

    @property
    def p99(self):
        return self.seconds[min(len(self.seconds) - 1, int(len(self.seconds) * 0.99))]

    @property
    def per_second(self):
        return len(self.seconds) / self.elapsed

    def __str__(self):
        return (
            f"{len(self.seconds)} requests, {self.per_second:.0f}/s, p99 {self.p99 * 1000:.0f} ms"
        )


def readers(make_reader, clients=4, seconds=2.0):
    """`clients` threads, each asking as fast as answers come for `seconds` with a reader of its
    own from `make_reader()`: a function that sends one request and returns its Answer."""
    durations, statuses = [], set()
    lock = threading.Lock()
    start = time.monotonic()
    stop = start + seconds

    def read(request):
        while time.monotonic() < stop:
            began = time.monotonic()
            answer = request()
            took = time.monotonic() - began
            with lock:
                durations.append(took)
                statuses.add(answer.status)

    threads = [threading.Thread(target=read, args=(make_reader(),)) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Load(sorted(durations), statuses, time.monotonic() - start)
