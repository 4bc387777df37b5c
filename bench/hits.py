"""Benchmark: what counting costs. The article page under gunicorn (2 workers, wrk with 16
connections) with counting off, counting into the database, and counting buffered in Redis, all in
one run. HITCOUNT_WINDOW=0 makes every request a counted view, the most counting can cost."""

import os
import sys
from pathlib import Path

# The benchmarks' helpers beside this script, and the project (the stack package).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import (
    article_path,
    bench_database_url,
    bench_environment,
    bench_redis_url,
    ensure_wrk,
    prepare,
    wrk,
)

from stack.site import Gunicorn

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
REDIS_URL = bench_redis_url()


def main():
    ensure_wrk()
    database_url = bench_database_url()
    prepare(database_url)
    # Each counting configuration is compared with counting off under the same cache.
    configurations = [
        ("off", None, {"HITCOUNT_ENABLED": "0"}),
        ("database", "off", {"HITCOUNT_WINDOW": "0"}),
        ("off, Redis cache", None, {"HITCOUNT_ENABLED": "0", "REDIS_URL": REDIS_URL}),
        ("Redis buffer", "off, Redis cache", {"HITCOUNT_WINDOW": "0", "REDIS_URL": REDIS_URL}),
    ]
    results = {}
    for number, (name, _, overrides) in enumerate(configurations):
        port = 8790 + number
        with Gunicorn(bench_environment(database_url, **overrides), port=port):
            url = f"http://127.0.0.1:{port}{article_path(port)}"
            wrk(url, seconds=2)  # warm-up
            results[name] = wrk(url, seconds=SECONDS)
    print(
        f"\nArticle page, gunicorn 2 workers, wrk 16 connections, {SECONDS}s each, every request "
        f"a counted view; database: {database_url.split('://')[0]}"
    )
    print(f"{'counting':<20}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}  ratio to counting off")
    for name, baseline, _ in configurations:
        result = results[name]
        ratio = f"{result['rps'] / results[baseline]['rps']:.2f}" if baseline else "-"
        print(
            f"{name:<20}{result['rps']:>10.1f}{result['p50']:>10.2f}{result['p99']:>10.2f}  {ratio}"
        )


if __name__ == "__main__":
    main()
