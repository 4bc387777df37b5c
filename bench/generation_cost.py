"""What one shared site generation costs (`make bench`; never part of `make test`).

On the production stack (gunicorn, 2 workers, production settings, the machine's PostgreSQL
or BENCH_DATABASE_URL, 1,000 generated articles), in one run:

1. the cached article with counting on, and what reading the generation adds to it, measured in
   a process of its own on the same database: a page from the page cache is checked with the
   generation read in the same statement as its count, so the cost is that statement's time
   less the count's alone. Its share of a request's time is held against the goal of at most 5 %.
   The time of a read on its own (what every other page pays once) is reported too;
2. the uncached and the cached article with the local-memory cache and then with Redis
   configured (BENCH_REDIS_URL, default database 14 of the machine's Redis): fragments and pages
   live in each process's memory under the generation in both, so Redis must reach at least 90 %
   of the local-memory figure.

Every article request is a counted view (HITCOUNT_WINDOW=0).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

# The benchmarks' helpers beside this script, and the project (the stack package).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import (
    PYTHON,
    ROOT,
    article_path,
    bench_database_url,
    bench_environment,
    bench_redis_url,
    ensure_wrk,
    grow_corpus,
    prepare,
    wrk,
)

from stack.services import redis_answers
from stack.site import Gunicorn

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CORPUS = 1_000
PORT = 8810
WORKERS = 2
READ_GOAL = 0.05
REDIS_GOAL = 0.90

TIME_THE_READS = """
import json, time, django
django.setup()
from django.utils.timezone import localdate
from core import generation
from news.hits import store
from news.models import ArticlePage

page_id, day, rounds = ArticlePage.objects.live().first().pk, localdate(), 5000


def timed(call):
    call()
    start = time.perf_counter()
    for _ in range(rounds):
        call()
    return (time.perf_counter() - start) / rounds


alone = timed(generation.read)
count = timed(lambda: store.add_to_database({(page_id, day): 1}))
site = generation.read().site
both = timed(lambda: store.count_first_view_in_database(page_id, day, None, kept_under=site))
print(json.dumps({"alone": alone, "count": count, "both": both}))
"""


def read_seconds(env):
    """Times of a read of the generation on its own, of a count, and of a count that reads the
    generation too, in a process of its own on the same database."""
    answer = subprocess.run(
        [PYTHON, "-c", TIME_THE_READS],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(answer.stdout.strip().splitlines()[-1])


def measure(env, label):
    with Gunicorn(env, port=PORT, workers=WORKERS):
        path = article_path(PORT, column_page=5)
        url = f"http://127.0.0.1:{PORT}{path}"
        wrk(url, seconds=2)
        result = wrk(url, seconds=SECONDS)
    print(f"  {label:<34}{result['rps']:>9.1f} req/s  p99 {result['p99']:.1f} ms", flush=True)
    return result


def main():
    ensure_wrk()
    database_url = bench_database_url()
    prepare(database_url)
    base = {"HITCOUNT_WINDOW": "0"}
    local = {
        "uncached": bench_environment(database_url, PAGE_CACHE="off", **base),
        "cached": bench_environment(database_url, PAGE_CACHE="django", **base),
    }
    grow_corpus(local["uncached"], CORPUS, at_least=True)
    redis_url = bench_redis_url()
    if not redis_answers(redis_url):
        sys.exit(f"Redis is not answering at {redis_url} (set BENCH_REDIS_URL)")
    shared = {
        name: {**env, "REDIS_URL": redis_url, "HITCOUNT_FLUSH_INTERVAL": "1"}
        for name, env in local.items()
    }

    print("Article, local-memory cache and Redis, uncached and cached", flush=True)
    results = {}
    for name in ("uncached", "cached"):
        results[f"{name}, local memory"] = measure(local[name], f"{name} article, local memory")
        results[f"{name}, Redis"] = measure(shared[name], f"{name} article, Redis")
    report(database_url, results, read_seconds(local["cached"]))


def report(database_url, results, times):
    database = database_url.split("://")[0]
    print(f"\nDatabase: {database}; gunicorn {WORKERS} workers; {SECONDS} s per page")
    print(f"{'article':<24}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
    for name, result in results.items():
        print(f"{name:<24}{result['rps']:>9.1f}{result['p50']:>9.2f}{result['p99']:>9.2f}")

    cached = results["cached, local memory"]["rps"]
    uncached = results["uncached, local memory"]["rps"]
    added = max(times["both"] - times["count"], 0.0)
    # Each worker serves rps / WORKERS requests a second, and each of them pays `added`.
    share = added * cached / WORKERS
    alone_share = times["alone"] * uncached / WORKERS
    print(
        f"\nA count: {times['count'] * 1e6:.1f} µs; a count reading the generation too: "
        f"{times['both'] * 1e6:.1f} µs; a read on its own: {times['alone'] * 1e6:.1f} µs "
        f"({alone_share:.1%} of an uncached article's time)"
    )
    print("Goals")
    checks = [
        (
            f"reading the generation is {share:.1%} of a cached article's time "
            f"(<= {READ_GOAL:.0%})",
            share <= READ_GOAL,
        )
    ]
    for name in ("uncached", "cached"):
        ratio = results[f"{name}, Redis"]["rps"] / results[f"{name}, local memory"]["rps"]
        checks.append(
            (
                f"{name} article with Redis at {ratio:.0%} of local memory (>= {REDIS_GOAL:.0%})",
                ratio >= REDIS_GOAL,
            )
        )
    for text, met in checks:
        print(f"  {'met ' if met else 'MISSED'}  {text}")


if __name__ == "__main__":
    main()
