"""The production benchmark (`make bench`; never part of `make test`).

Starts the production stack (gunicorn with the project's config and 2 workers, whitenoise,
production settings over plain HTTP) on the machine's PostgreSQL (SQLite if there is none, or
BENCH_DATABASE_URL) with the demo content and a generated corpus, and measures with wrk (2 threads,
16 connections, BENCH_SECONDS each):

1. article and column pages with 1,000 and then 10,000 generated articles (the cost must not grow
   with the corpus);
2. with 10,000: a trivial Django view under the same settings, then the article, column, home and
   search pages without and with the page cache, each as a ratio to the trivial view.

Every article request is a counted view (HITCOUNT_WINDOW=0), one database write each, except in
the last run, the cached article with counting off, which shows what counting costs. It ends by
checking the goals and the workers' memory.
"""

import os
import platform
import sys
import urllib.parse
from pathlib import Path

# The benchmarks' helpers beside this script, and the project (the stack package).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import (
    article_path,
    bench_database_url,
    bench_environment,
    ensure_wrk,
    grow_corpus,
    prepare,
    wrk,
)

from stack.site import Gunicorn

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
SMALL_CORPUS, LARGE_CORPUS = 1_000, 10_000
PORT = 8800
SEARCH = "/search/?q=" + urllib.parse.quote("党建")
GOALS = {"uncached article": 0.10, "cached article": 0.50}
P99_GOAL_MS = 100
MEMORY_GOAL_MB = 150


def middle_article(port):
    """An article in the middle of the news column's list."""
    return article_path(port, column_page=50)


def measure(port, paths):
    results = {}
    for name, path in paths.items():
        url = f"http://127.0.0.1:{port}{path}"
        wrk(url, seconds=2)  # warm-up: caches, renditions, connections
        results[name] = wrk(url, seconds=SECONDS)
        print(f"  {name:<18}{results[name]['rps']:>9.1f} req/s", flush=True)
    return results


def machine():
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = int(Path("/proc/meminfo").read_text().split()[1]) // (1024 * 1024)
    return f"{cpu}, {os.cpu_count()} cores, {memory} GiB, Python {platform.python_version()}"


def main():
    ensure_wrk()
    database_url = bench_database_url()
    prepare(database_url)
    uncached = bench_environment(database_url, HITCOUNT_WINDOW="0", PAGE_CACHE="off")
    cached = bench_environment(database_url, HITCOUNT_WINDOW="0", PAGE_CACHE="django")
    not_counted = bench_environment(database_url, HITCOUNT_ENABLED="0", PAGE_CACHE="django")
    trivial = bench_environment(database_url, DJANGO_SETTINGS_MODULE="trivial_settings")

    scaling = {}
    for size in (SMALL_CORPUS, LARGE_CORPUS):
        grow_corpus(uncached, size)
        print(f"Uncached pages with {size} generated articles", flush=True)
        with Gunicorn(uncached, port=PORT) as server:
            scaling[size] = measure(PORT, {"article": middle_article(PORT), "column": "/news/"})

    print("Trivial view", flush=True)
    with Gunicorn(trivial, port=PORT) as server:
        results = {"trivial view": measure(PORT, {"trivial view": "/"})["trivial view"]}
    memory = {}
    for label, env in (("uncached", uncached), ("cached", cached)):
        print(f"Pages, {label}", flush=True)
        with Gunicorn(env, port=PORT) as server:
            paths = {"article": middle_article(PORT), "column": "/news/", "home": "/"}
            paths["search"] = SEARCH
            for name, result in measure(PORT, paths).items():
                results[f"{label} {name}"] = result
            memory[label] = server.worker_memory_mb()
    print("Article, cached, counting off: what counting costs", flush=True)
    with Gunicorn(not_counted, port=PORT):
        path = middle_article(PORT)
        results["cached, not counted"] = measure(PORT, {"article": path})["article"]

    report(database_url, scaling, results, memory)


def report(database_url, scaling, results, memory):
    database = database_url.split("://")[0]
    print(f"\nMachine: {machine()}; database: {database}")
    print(f"gunicorn 2 workers; wrk 2 threads, 16 connections, {SECONDS} s per page\n")
    print(f"{'page':<20}{SMALL_CORPUS:>12,} art.{LARGE_CORPUS:>12,} art.{'ratio':>8}")
    for name in scaling[SMALL_CORPUS]:
        small, large = scaling[SMALL_CORPUS][name]["rps"], scaling[LARGE_CORPUS][name]["rps"]
        print(f"{name + ' (req/s)':<20}{small:>17.1f}{large:>17.1f}{large / small:>8.2f}")

    trivial = results["trivial view"]["rps"]
    print(f"\n{'with 10,000 articles':<22}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'vs trivial':>12}")
    for name, result in results.items():
        ratio = result["rps"] / trivial
        print(
            f"{name:<22}{result['rps']:>9.1f}{result['p50']:>9.2f}{result['p99']:>9.2f}"
            f"{ratio:>11.1%}"
        )

    print("\nGoals")
    checks = [
        (f"{name} >= {goal:.0%} of the trivial view", results[name]["rps"] / trivial >= goal)
        for name, goal in GOALS.items()
    ]
    p99 = results["uncached article"]["p99"]
    checks.append((f"uncached article p99 {p99:.1f} ms < {P99_GOAL_MS} ms", p99 < P99_GOAL_MS))
    workers = ", ".join(f"{size:.0f}" for sizes in memory.values() for size in sizes)
    largest = max(size for sizes in memory.values() for size in sizes)
    checks.append(
        (f"worker memory after the run ({workers} MB) < {MEMORY_GOAL_MB} MB", largest < 150)
    )
    for text, met in checks:
        print(f"  {'met ' if met else 'MISSED'}  {text}")


if __name__ == "__main__":
    main()
