"""The search flood (`make bench`, after the others; never part of `make test`): what a search for
24 common characters typed with spaces costs once news/search/queries.py has bounded it, and what is left
for readers while such searches pour in.

On SQLite (bench/bench.sqlite3) and on PostgreSQL (BENCH_DATABASE_URL, else the machine's; left
out, saying so, when none answers), each with 10,000 generated articles (bench/corpus.py), the
production stack runs with 3 workers and the page cache on, and:

1. the search `党 建 社 会 组 织 …` alone, request to last byte, once as typed and in 20 random
   orders of its characters (each new to the page cache and to the cached counts); goal: the
   median under 200 ms, and every one answered (one stopped by SEARCH_TIME_LIMIT answers 503);
2. the flood: six clients (wrk, 6 connections) send such searches, every one in a new random
   order so that no cache can help, for FLOOD_SECONDS (default 30), while one reader (wrk, 1
   connection) reads an article from the page cache; goals: the reader's p99 under 200 ms, and no
   request past GUNICORN_TIMEOUT in gunicorn's log. The same reader alone, just before, shows
   what the flood adds.

The machine's load (1-minute average) before and after each database's run is printed with the
figures: on a shared machine other work moves the tail of the latencies.

Every request comes from 127.0.0.1, so SEARCH_RATE_LIMIT is raised out of reach: the benchmark
measures the cost bound, which is what holds when a flood comes from many addresses, not the rate
limit, which would answer nearly all of it from one address with 429.
"""

import http.client
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

# The benchmarks' helpers beside this script, and the project (the stack package).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import (
    ROOT,
    article_path,
    bench_database_url,
    bench_environment,
    ensure_wrk,
    grow_corpus,
    prepare,
    wrk_report,
)

from stack.raw_http import CHROME_UA
from stack.services import free_port
from stack.site import Gunicorn, overruns

CHARACTERS = "党建社会组织服务中心工作会议召开活动学习教育主题"
CORPUS = 10_000
WORKERS = 3
FLOODERS = 6
FLOOD_SECONDS = int(os.environ.get("FLOOD_SECONDS", "30"))
SINGLE_RUNS = 20
READER_ALONE_SECONDS = 10
RATE_LIMIT_OUT_OF_REACH = "1000000/m"
GOAL_MS = 200

FLOOD_LUA = """-- Written by bench/search_flood.py: every search its characters in a new order.
local characters = {%(characters)s}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("number", #threads)
end

function init(args)
  math.randomseed(number * 7919 + os.time())
  statuses = {}
end

function request()
  for i = #characters, 2, -1 do
    local j = math.random(i)
    characters[i], characters[j] = characters[j], characters[i]
  end
  return wrk.format("GET", "/search/?q=" .. table.concat(characters, "+"))
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      totals[status] = (totals[status] or 0) + count
    end
  end
  for status, count in pairs(totals) do
    io.write(string.format("status %%d: %%d\\n", status, count))
  end
end
"""


def spaced(characters):
    return "/search/?q=" + urllib.parse.quote(" ".join(characters))


def timed(port, path):
    """One request, from connecting to the last byte of the answer: (ms, status)."""
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers={"User-Agent": CHROME_UA})
        answer = connection.getresponse()
        answer.read()
    finally:
        connection.close()
    return (time.perf_counter() - start) * 1000, answer.status


def single_searches(port):
    """The search as typed, then in SINGLE_RUNS random orders, one at a time: (ms, status) each,
    the one as typed first."""
    shuffler = random.Random(0)  # noqa: S311 - only an order of characters
    for _ in range(5):  # warm-up: every worker's connections, templates and caches
        timed(port, spaced(shuffler.sample(CHARACTERS, len(CHARACTERS))))
    shuffled = [shuffler.sample(CHARACTERS, len(CHARACTERS)) for _ in range(SINGLE_RUNS)]
    return [timed(port, spaced(characters)) for characters in [CHARACTERS, *shuffled]]


def flood(port, article, folder):
    """The six clients' searches and the one reader's article, side by side."""
    characters = ", ".join(f'"{urllib.parse.quote(c)}"' for c in CHARACTERS)
    script = Path(folder) / "flood.lua"
    script.write_text(FLOOD_LUA % {"characters": characters})
    searches = {}

    def send_searches():
        searches.update(
            wrk_report(
                f"http://127.0.0.1:{port}/",
                seconds=FLOOD_SECONDS,
                connections=FLOODERS,
                threads=2,
                script=script,
            )
        )

    flooding = threading.Thread(target=send_searches)
    flooding.start()
    time.sleep(1)  # the flood is under way before the reader starts
    reader = wrk_report(
        f"http://127.0.0.1:{port}{article}",
        seconds=FLOOD_SECONDS - 2,
        connections=1,
        threads=1,
    )
    flooding.join()
    lines = searches["output"].splitlines()
    searches["statuses"] = dict(
        line.removeprefix("status ").split(": ") for line in lines if line.startswith("status ")
    )
    return searches, reader


def measure(name, database_url, folder):
    env = bench_environment(
        database_url, PAGE_CACHE="django", SEARCH_RATE_LIMIT=RATE_LIMIT_OUT_OF_REACH
    )
    prepare(database_url)
    grow_corpus(env, CORPUS)
    port = free_port()
    log = Path(folder) / f"gunicorn-{name}.log"
    print(f"{name}: gunicorn with {WORKERS} workers on port {port}", flush=True)
    with Gunicorn(env, port=port, workers=WORKERS, log_path=log):
        article = article_path(port, column_page=50)
        load_before = os.getloadavg()[0]
        timed(port, article)  # into the page cache
        singles = single_searches(port)
        print(f"  one search: {singles[0][0]:.1f} ms as typed", flush=True)
        alone = wrk_report(
            f"http://127.0.0.1:{port}{article}",
            seconds=READER_ALONE_SECONDS,
            connections=1,
            threads=1,
        )
        searches, reader = flood(port, article, folder)
        load_after = os.getloadavg()[0]
    timeouts = overruns(log.read_text(errors="replace"))
    times = [ms for ms, _status in singles]
    return {
        "as typed": times[0],
        "median": statistics.median(times),
        "slowest": max(times),
        "single statuses": Counter(status for _ms, status in singles),
        "searches": searches,
        "alone": alone,
        "reader": reader,
        "timeouts": timeouts,
        "load": (load_before, load_after),
    }


def databases():
    """(name, URL) of each database to measure on, and why one is left out."""
    sqlite = ("SQLite", f"sqlite:///{ROOT / 'bench' / 'bench.sqlite3'}")
    postgres = bench_database_url()
    if postgres.startswith("postgres"):
        return [sqlite, ("PostgreSQL", postgres)], None
    return [sqlite], "PostgreSQL left out: none answers and BENCH_DATABASE_URL names none"


def main():
    ensure_wrk()
    listed, left_out = databases()
    results = {}
    with tempfile.TemporaryDirectory(prefix="search-flood-") as folder:
        for name, url in listed:
            results[name] = measure(name, url, folder)
    report(results, left_out)


def report(results, left_out):
    print(
        f"\nThe search flood: {CORPUS:,} generated articles, gunicorn {WORKERS} workers, "
        f"page cache on; the search is {len(CHARACTERS)} common characters separated by spaces."
    )
    print(
        f"SEARCH_RATE_LIMIT is set to {RATE_LIMIT_OUT_OF_REACH} for this run: all clients share "
        "one address, and the figures are those of the cost bound, not of the rate limit."
    )
    if left_out:
        print(left_out)
    print(f"\n{'one search, ms':<14}{'as typed':>10}{'median':>9}{'slowest':>9}  statuses")
    for name, result in results.items():
        statuses = " ".join(f"{k}×{v}" for k, v in sorted(result["single statuses"].items()))
        print(
            f"{name:<14}{result['as typed']:>10.1f}{result['median']:>9.1f}"
            f"{result['slowest']:>9.1f}  {statuses}"
        )
    print(
        f"\n{'flood':<14}{'searches/s':>11}{'reader alone':>19}{'reader in the flood':>35}"
        f"{'load':>13}\n{'':<14}{'':>11}{'p50 ms':>10}{'p99 ms':>9}{'req/s':>9}{'p50 ms':>9}"
        f"{'p99 ms':>9}{'errors':>8}{'before':>7}{'after':>6}  search statuses"
    )
    checks = []
    for name, result in results.items():
        searches, alone, reader = result["searches"], result["alone"], result["reader"]
        statuses = " ".join(f"{k}×{v}" for k, v in sorted(searches["statuses"].items()))
        single_statuses = " ".join(f"{k}×{v}" for k, v in sorted(result["single statuses"].items()))
        reader_errors = reader["error_responses"] + reader["socket_errors"]
        print(
            f"{name:<14}{searches['rps']:>11.1f}{alone['p50']:>10.2f}{alone['p99']:>9.2f}"
            f"{reader['rps']:>9.1f}{reader['p50']:>9.2f}{reader['p99']:>9.2f}{reader_errors:>8}"
            f"{result['load'][0]:>7.1f}{result['load'][1]:>6.1f}  {statuses}"
        )
        checks += [
            (
                f"{name}: one search, median of {SINGLE_RUNS + 1}, {result['median']:.1f} ms "
                f"< {GOAL_MS} ms, every one answered ({single_statuses})",
                result["median"] < GOAL_MS and set(result["single statuses"]) == {200},
            ),
            (
                f"{name}: cached article p99 during the flood {reader['p99']:.1f} ms "
                f"< {GOAL_MS} ms",
                reader["p99"] < GOAL_MS and not reader_errors,
            ),
            (
                f"{name}: requests past GUNICORN_TIMEOUT in gunicorn's log: {result['timeouts']}",
                result["timeouts"] == 0,
            ),
        ]
    print("\nGoals")
    for text, met in checks:
        print(f"  {'met ' if met else 'MISSED'}  {text}")


if __name__ == "__main__":
    main()
