"""The soak test (`make bench`, after run.py and hits.py; never part of `make test`).

Starts the production stack (gunicorn with the project's config and 2 workers, never recycled,
whitenoise, production settings, the page cache on) on the benchmark database with at least 1,000
generated articles, measures its capacity for a readers' mix (articles, the home page, columns,
searches in Chinese and English) with wrk unpaced for CAPACITY_SECONDS, then holds it at LOAD of
that rate for SOAK_SECONDS (default 600) while an editor publishes a new revision of one of the
read articles every minute. It prints a line per segment of wrk (a minute, shorter when SOAK_SECONDS
is small), then the target and achieved rates, the errors (none allowed: error responses, socket
errors, which include requests slower than wrk's 2 s timeout, and failed publishes) and the growth
of the workers' memory from the start of the soak (after the warm-up) to its end.

Choices:
- Every request is a counted view (HITCOUNT_WINDOW=0), as in run.py: the most counting can cost.
- Redis is configured (BENCH_REDIS_URL, as hits.py), as the fullest production setup: it is a
  second cache tier and buffers the view counts. The editor publishes from a process of its own
  (bench/editor.py, started once); every worker sees the publish through the site generation
  (core/generation.py), with or without Redis. Each publish is checked from the readers' side: the
  new title must be served within EDIT_VISIBLE_SECONDS, or the publish counts as an error.
- wrk paces itself through its Lua `delay()` hook: each thread keeps a schedule of send times at
  its share of the target rate and holds each connection until the next free time, catching up
  after a slow moment; the wall clock comes from clock_gettime through LuaJIT's FFI, which
  Debian's wrk is built with. The capacity is measured without the editor, so during the soak each
  publish (which empties the page cache) briefly costs more than the 20 % headroom may cover.
"""

import os
import random
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

# The benchmarks' helpers beside this script, and the project (the stack package).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from editing import Editor
from measure import article_paths, ensure_wrk, page_cached_site, wrk_report

from stack.site import Gunicorn, resident_mb

SOAK_SECONDS = int(os.environ.get("SOAK_SECONDS", "600"))
SEGMENT_SECONDS = min(60, max(10, SOAK_SECONDS // 5))
CAPACITY_SECONDS = 15
WARM_UP_SECONDS = 5
LOAD = 0.80
THREADS, CONNECTIONS = 2, 16
PORT = 8810
CORPUS = 1_000
EDIT_EVERY = 60
EDIT_VISIBLE_SECONDS = 5
MEMORY_GROWTH_GOAL = 0.10
SEARCHES = ["党建", "志愿服务", "社区 治理", "主题党日", "volunteer"]
COLUMNS = ["/news/", "/news/?page=2", "/notices/", "/practice/"]

LUA = """-- Written by bench/soak.py: the readers' mix, paced to a target rate.
local paths = {%(paths)s}
local interval = %(interval)f  -- ms between this thread's requests; 0: unpaced

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("first", threads * 7)  -- threads start at different places in the mix
end

function init(args)
  position = first
end

function request()
  position = position %% #paths + 1
  return wrk.format("GET", paths[position])
end

if interval > 0 then
  local ffi = require("ffi")
  ffi.cdef[[
    typedef struct { long tv_sec; long tv_nsec; } soak_timespec;
    int clock_gettime(int clock, soak_timespec *now);
  ]]
  local clock = ffi.new("soak_timespec")
  local CLOCK_MONOTONIC = 1
  local function now_ms()
    ffi.C.clock_gettime(CLOCK_MONOTONIC, clock)
    return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
  end
  local next_send = nil

  -- wrk asks before each request how many ms the connection waits: until the next free send time.
  function delay()
    local now = now_ms()
    local send = math.max(next_send or now, now)
    next_send = send + interval
    return send - now
  end
end
"""


def readers_mix(port):
    """The readers' requests, shuffled: two thirds article pages (eight articles, from the top of
    the news column and further down), then the home page, the columns and the searches."""
    articles = article_paths(port, column_page=1)[:4] + article_paths(port, column_page=5)[:4]
    searches = [f"/search/?q={urllib.parse.quote(words)}" for words in SEARCHES]
    paths = articles * 3 + ["/"] * 4 + COLUMNS + searches
    random.Random(0).shuffle(paths)  # noqa: S311 - only the order of the requests
    return articles, paths


def write_script(directory, paths, rate):
    """A wrk script for `paths` at `rate` requests per second in all (None: as fast as it goes)."""
    interval = THREADS * 1000 / rate if rate else 0
    script = Path(directory) / f"mix-{rate or 'unpaced'}.lua"
    listed = ", ".join(f'"{path}"' for path in paths)
    script.write_text(LUA % {"paths": listed, "interval": interval})
    return script


def failures(result):
    return result["error_responses"] + result["socket_errors"]


def wrk_error_lines(result):
    lines = result["output"].splitlines()
    return [line.strip() for line in lines if line.strip().startswith(("Socket", "Non-2xx"))]


def segments():
    left = SOAK_SECONDS
    while left > 0:
        yield min(SEGMENT_SECONDS, left)
        left -= SEGMENT_SECONDS


def main():
    ensure_wrk()
    database_url, env = page_cached_site("The soak test", CORPUS)

    url = f"http://127.0.0.1:{PORT}/"
    with Gunicorn(env, port=PORT) as server, tempfile.TemporaryDirectory() as directory:
        articles, paths = readers_mix(PORT)
        unpaced = write_script(directory, paths, None)
        print(f"Capacity: the readers' mix unpaced for {CAPACITY_SECONDS} s", flush=True)
        warm_up = wrk_report(url, WARM_UP_SECONDS, CONNECTIONS, THREADS, unpaced)
        capacity = wrk_report(url, CAPACITY_SECONDS, CONNECTIONS, THREADS, unpaced)
        print(f"  {capacity['rps']:.1f} req/s, p99 {capacity['p99']:.1f} ms", flush=True)
        for line in wrk_error_lines(warm_up) + wrk_error_lines(capacity):
            print(f"    {line}")
        target = capacity["rps"] * LOAD
        paced = write_script(directory, paths, target)
        workers = sorted(server.worker_pids())
        memory_start = {pid: resident_mb(pid) for pid in workers}

        print(f"Soak: {SOAK_SECONDS} s at {target:.1f} req/s, an editor publishing", flush=True)
        editor = Editor(env, PORT, articles, EDIT_EVERY, EDIT_VISIBLE_SECONDS)
        editor.start()
        results, elapsed = [], 0
        try:
            for seconds in segments():
                result = wrk_report(url, seconds, CONNECTIONS, THREADS, paced)
                results.append(result)
                span = f"{elapsed}–{elapsed + seconds} s"
                print(
                    f"  {span:<11}{result['requests']:>8} requests{result['rps']:>8.1f} req/s"
                    f"   p99 {result['p99']:>7.1f} ms   errors {failures(result)}",
                    *wrk_error_lines(result),
                    sep="\n    ",
                    flush=True,
                )
                elapsed += seconds
        finally:
            editor.stop()
        workers_after = sorted(server.worker_pids())
        memory_end = {pid: resident_mb(pid) for pid in workers_after}

    report(
        database_url,
        [warm_up, capacity],
        capacity["rps"],
        target,
        results,
        editor,
        (workers, memory_start, workers_after, memory_end),
    )


def report(database_url, unpaced, capacity, target, results, editor, memory):
    workers, memory_start, workers_after, memory_end = memory
    requests = sum(result["requests"] for result in results)
    achieved = requests / sum(result["seconds"] for result in results)
    # Unpaced, the server is saturated on purpose: its requests slower than wrk's 2 s timeout are
    # shown but not counted; an error response is an error at any load.
    wrk_errors = sum(failures(result) for result in results)
    wrk_errors += sum(result["error_responses"] for result in unpaced)
    errors = wrk_errors + len(editor.failures)
    p99s = [result["p99"] for result in results]
    print(
        f"\nSoak on {database_url.split('://')[0]} with the page cache in Redis, every view counted; "
        f"gunicorn 2 workers; wrk {THREADS} threads, {CONNECTIONS} connections"
    )
    print(
        f"capacity {capacity:.1f} req/s; target {target:.1f} req/s ({LOAD:.0%}); "
        f"achieved {achieved:.1f} req/s ({achieved / target:.0%} of the target)"
    )
    print(
        f"{requests} requests in {SOAK_SECONDS} s; {editor.published} publishes; "
        f"errors {errors} ({wrk_errors} from wrk, {len(editor.failures)} from the editor)"
    )
    print(f"p99 per segment {min(p99s):.1f}–{max(p99s):.1f} ms")
    sizes = ", ".join(
        f"{memory_start[pid]:.0f} → {memory_end.get(pid, 0):.0f} MB" for pid in workers
    )
    growth = max(memory_end.get(pid, 0) / memory_start[pid] - 1 for pid in workers)

    print("\nGoals")
    checks = [
        (f"no errors ({errors})", errors == 0),
        (f"workers never replaced ({workers} → {workers_after})", workers == workers_after),
        (
            f"worker memory grew at most {MEMORY_GROWTH_GOAL:.0%} ({sizes}; {growth:+.1%})",
            workers == workers_after and growth <= MEMORY_GROWTH_GOAL,
        ),
    ]
    for text, met in checks:
        print(f"  {'met ' if met else 'MISSED'}  {text}")


if __name__ == "__main__":
    main()
