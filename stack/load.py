"""A few readers at once for a few seconds, and how long each of their requests took: enough to see
a front that queues readers, in the seconds a test may spend (bench/ measures throughput with wrk)."""

import threading
import time
from dataclasses import dataclass


@dataclass
class Load:
    """What the readers saw: each answered request's duration (sorted), the statuses, the time."""

    seconds: list
    statuses: set
    elapsed: float

    def __add__(self, other):
        return Load(
            sorted(self.seconds + other.seconds),
            self.statuses | other.statuses,
            self.elapsed + other.elapsed,
        )

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


def taking_turns(legs, clients=4, seconds=2.0, turns=4):
    """{name: Load} for each of `legs` ({name: make_reader}), measured for `seconds` in all, in
    `turns` short turns taken one leg after the other: a moment when the shared machine is busy
    falls on every leg alike, not on one."""
    loads = {}
    for _ in range(turns):
        for name, make_reader in legs.items():
            load = readers(make_reader, clients, seconds / turns)
            loads[name] = loads[name] + load if name in loads else load
    return loads
