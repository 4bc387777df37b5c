"""The production benchmark (`make bench`; never part of `make test`).

Starts the production stack (gunicorn with the project's config and 2 workers, whitenoise,
production settings over plain HTTP) on the machine's PostgreSQL (SQLite if there is none, or
BENCH_DATABASE_URL) with the demo content and a generated corpus (bench/corpus.py), and measures
with wrk (2 threads, 16 connections, BENCH_SECONDS each):

1. growth: the article, column, home and search pages (a common word, and a rare word in one
   generated title) without the page cache at each size of BENCH_SIZES (1,000, 10,000 and 100,000
   articles), each page's rate at each size and its ratio largest / smallest;
2. at BENCH_REFERENCE_SIZE (10,000; else the largest size under it): a trivial Django view under
   the same settings, the pages from the page cache, the cached article counted in the database
   and buffered in Redis (BENCH_REDIS_URL), and counting off, each as a ratio to the trivial view
   (measured before them and again after: the faster sample is the yardstick); and how long
   building the search index takes;
3. the relevance set's mean reciprocal rank and P@3 on a demo site of its own
   (bench/relevance_figures.py).

Every article request is a counted view (HITCOUNT_WINDOW=0), except in the run with counting off,
which shows what counting costs. It ends by checking the goals and the workers' memory. Each size's
corpus is kept between runs in a database of its own beside the benchmark's (bench/measure.py,
sized_database_url), so a run generates it once. BENCH_PORT (8800) is the stacks' port.
"""

import os
import platform
import sys
import time
import urllib.parse
from pathlib import Path

# The benchmarks' helpers beside this script, and the project (the stack package).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import (
    RARE_WORD,
    applied_migrations,
    article_path,
    bench_database_url,
    bench_environment,
    bench_redis_url,
    ensure_wrk,
    grow_corpus,
    prepare,
    sized_database_url,
    wrk_report,
)
from relevance_figures import relevance_figures

from stack.raw_http import send
from stack.services import redis_answers
from stack.site import Gunicorn, python

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
SIZES = sorted(
    {int(size) for size in os.environ.get("BENCH_SIZES", "1000,10000,100000").split(",")}
)
# Seconds of warm-up before each page's measurement (0: none, as the smallest run's test wants).
WARM_UP = int(os.environ.get("BENCH_WARM_UP", "2"))
PORT = int(os.environ.get("BENCH_PORT", "8800"))


def reference_size():
    """The size the ratios to the trivial view are measured at: BENCH_REFERENCE_SIZE (10,000) if
    it is one of the sizes, else the largest size under it, else the smallest."""
    wanted = int(os.environ.get("BENCH_REFERENCE_SIZE", "10000"))
    under = [size for size in SIZES if size <= wanted]
    return under[-1] if under else SIZES[0]


def search(word):
    return "/search/?q=" + urllib.parse.quote(word)


SEARCHES = {"search (党建)": search("党建"), f"search ({RARE_WORD})": search(RARE_WORD)}
# No page may lose more than this share of its rate from the smallest corpus to the largest.
GROWTH_GOAL = 0.80
# At the reference size, each as a share of the trivial view's rate.
GOALS = {
    "uncached article": 0.20,
    "uncached column": 0.15,
    "uncached search (党建)": 0.15,
    "uncached home": 0.15,
    "cached article, counted in the database": 0.80,
    "cached article, counted in Redis": 0.80,
}
P99_GOAL_MS = 100
TRIVIAL_AGAIN = "trivial view, second sample"
MEMORY_GOAL_MB = 150


def middle_article(port):
    """An article in the middle of the news column's list (its last page, with a small corpus)."""
    return article_path(port, column_page=50)


def measure(port, paths):
    """wrk's figures for each of `paths` (name → URL path), after a warm-up; a page answering
    with errors is reported as such (its rate is then no measure of the page)."""
    results = {}
    for name, path in paths.items():
        url = f"http://127.0.0.1:{port}{path}"
        # One request first, whatever the warm-up: the first of a page may take seconds.
        send(port, "GET", path, timeout=60)
        if WARM_UP:
            wrk_report(url, seconds=WARM_UP)  # caches, renditions, connections
        results[name] = result = wrk_report(url, seconds=SECONDS)
        errors = result["error_responses"] + result["socket_errors"]
        note = f"   {errors} ERRORS of {result['requests']} requests" if errors else ""
        print(f"  {name:<36}{result['rps']:>9.1f} req/s{note}", flush=True)
    return results


def uncached_pages(port):
    paths = {"article": middle_article(port), "column": "/news/", "home": "/"}
    return {**paths, **SEARCHES}


def machine():
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = int(Path("/proc/meminfo").read_text().split()[1]) // (1024 * 1024)
    return f"{cpu}, {os.cpu_count()} cores, {memory} GiB, Python {platform.python_version()}"


def load_average():
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def index_build_seconds(env):
    """Seconds `manage.py rebuild_search_index` takes (news/search: the public search's table
    and Wagtail's index), with the command's start-up (about 2 s); never stopped, however large
    the corpus."""
    command = "rebuild_search_index"
    print(f"Building the search index: manage.py {command}", flush=True)
    started = time.monotonic()
    python(env, ["manage.py", command], command, timeout=None)
    return command, time.monotonic() - started


def at_reference_size(environments, results, memory):
    """The trivial view, the pages from the page cache, counting's cost and the index build."""
    print("Trivial view", flush=True)
    with Gunicorn(environments["trivial"], port=PORT):
        results["trivial view"] = measure(PORT, {"trivial view": "/"})["trivial view"]
    print("Pages from the page cache, every article view counted in the database", flush=True)
    with Gunicorn(environments["cached"], port=PORT) as server:
        paths = {"article, counted in the database": middle_article(PORT), "column": "/news/"}
        paths.update(home="/", **{"search (党建)": SEARCHES["search (党建)"]})
        for name, result in measure(PORT, paths).items():
            results[f"cached {name}"] = result
        memory["cached"] = server.worker_memory_mb()
    redis_url = bench_redis_url()
    if redis_answers(redis_url):
        print(f"Article from the page cache, every view counted in Redis ({redis_url})", flush=True)
        with Gunicorn(environments["redis"], port=PORT):
            name = "cached article, counted in Redis"
            results[name] = measure(PORT, {name: middle_article(PORT)})[name]
    else:
        print(f"Redis is not answering at {redis_url}: no run with Redis buffering", flush=True)
    print("Article from the page cache, counting off: what counting costs", flush=True)
    with Gunicorn(environments["not counted"], port=PORT):
        name = "cached article, not counted"
        results[name] = measure(PORT, {name: middle_article(PORT)})[name]
    print("Trivial view again, after the pages it is compared with", flush=True)
    with Gunicorn(environments["trivial"], port=PORT):
        results[TRIVIAL_AGAIN] = measure(PORT, {TRIVIAL_AGAIN: "/"})[TRIVIAL_AGAIN]
    return index_build_seconds(environments["uncached"])


def yardstick(results):
    """The trivial view's rate the ratios are taken against: the faster of its two samples, one
    before the pages and one after, so that a sample slowed by the machine's neighbours cannot
    flatter every ratio."""
    samples = [results[name]["rps"] for name in ("trivial view", TRIVIAL_AGAIN) if name in results]
    return max(samples)


def environments(database_url):
    redis_url = bench_redis_url()
    return {
        "uncached": bench_environment(database_url, HITCOUNT_WINDOW="0", PAGE_CACHE="off"),
        "cached": bench_environment(database_url, HITCOUNT_WINDOW="0", PAGE_CACHE="django"),
        "redis": bench_environment(
            database_url, HITCOUNT_WINDOW="0", PAGE_CACHE="django", REDIS_URL=redis_url
        ),
        "not counted": bench_environment(database_url, HITCOUNT_ENABLED="0", PAGE_CACHE="django"),
        "trivial": bench_environment(database_url, DJANGO_SETTINGS_MODULE="trivial_settings"),
    }


def main():
    ensure_wrk()
    started_at = time.monotonic()
    database_url = bench_database_url()
    # The demo site, which each size's database starts as a copy of.
    prepare(database_url)
    reference = reference_size()
    growth, generating, results, memory, index_build = {}, {}, {}, {}, None
    for size in SIZES:
        # Each size has a database of its own, its corpus kept between runs.
        sized_url, kept = sized_database_url(database_url, size)
        environment = environments(sized_url)
        if kept:
            migrated = applied_migrations(sized_url)
            prepare(sized_url)
            if applied_migrations(sized_url) != migrated:
                # A migration may have changed the search index, which the kept corpus was
                # indexed into when it was generated.
                print(f"The kept {size:,} articles were migrated: indexing them again", flush=True)
                index_build_seconds(environment["uncached"])
        started = time.monotonic()
        grow_corpus(environment["uncached"], size)
        generating[size] = time.monotonic() - started
        print(f"Pages without the page cache, {size:,} generated articles", flush=True)
        with Gunicorn(environment["uncached"], port=PORT) as server:
            growth[size] = measure(PORT, uncached_pages(PORT))
            if size == reference:
                memory["uncached"] = server.worker_memory_mb()
        if size == reference:
            results.update({f"uncached {name}": result for name, result in growth[size].items()})
            index_build = at_reference_size(environment, results, memory)
    # The stacks above have stopped: their port is free again.
    relevance = relevance_figures(PORT)
    report(database_url, growth, generating, reference, results, memory, index_build, relevance)
    print(f"\nThe run took {time.monotonic() - started_at:.0f} s")


def report(database_url, growth, generating, reference, results, memory, index_build, relevance):
    database = database_url.split("://")[0]
    print(f"\nMachine: {machine()}; database: {database}; load average {load_average()}")
    print(f"gunicorn 2 workers; wrk 2 threads, 16 connections, {SECONDS} s per page\n")
    checks = []

    print("Growth: pages without the page cache, req/s")
    smallest, largest = SIZES[0], SIZES[-1]
    header = "".join(f"{f'{size:,} art.':>14}" for size in SIZES)
    print(f"{'page':<24}{header}{f'{largest:,}/{smallest:,}':>16}")
    for name in growth[smallest]:
        rates = [growth[size][name]["rps"] for size in SIZES]
        flags = "  (errors)" if any(failed(growth[size][name]) for size in SIZES) else ""
        ratio = rates[-1] / rates[0] if rates[0] else 0
        cells = "".join(f"{rate:>14.1f}" for rate in rates)
        print(f"{name:<24}{cells}{ratio:>16.2f}{flags}")
        if largest > smallest:
            checks.append(
                (
                    f"{name}: {largest:,} articles at {ratio:.0%} of the rate at {smallest:,} "
                    f"(goal ≥ {GROWTH_GOAL:.0%}){flags}",
                    ratio >= GROWTH_GOAL and not flags,
                )
            )
    print("\nGenerating the corpus (each size in a database of its own, kept between runs):")
    print("  " + ", ".join(f"{size:,}: {seconds:.0f} s" for size, seconds in generating.items()))

    trivial = yardstick(results)
    print(
        f"\n{f'with {reference:,} articles':<44}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'vs trivial':>12}"
    )
    for name, result in results.items():
        ratio = result["rps"] / trivial if trivial else 0
        flag = "  (errors)" if failed(result) else ""
        print(
            f"{name:<44}{result['rps']:>9.1f}{result['p50']:>9.2f}{result['p99']:>9.2f}"
            f"{ratio:>11.1%}{flag}"
        )
    if index_build:
        command, seconds = index_build
        print(
            f"\nSearch index for {reference:,} articles: manage.py {command} took {seconds:.1f} s"
        )
    print_relevance(relevance)

    print("\nGoals")
    for name, goal in GOALS.items():
        if name not in results:
            checks.append((f"{name} ≥ {goal:.0%} of the trivial view: not measured", False))
            continue
        ratio = results[name]["rps"] / trivial if trivial else 0
        checks.append(
            (
                f"{name} {ratio:.1%} ≥ {goal:.0%} of the trivial view",
                ratio >= goal and not failed(results[name]),
            )
        )
    p99 = results["uncached article"]["p99"]
    checks.append((f"uncached article p99 {p99:.1f} ms < {P99_GOAL_MS} ms", p99 < P99_GOAL_MS))
    sizes = [size for workers in memory.values() for size in workers]
    resident = ", ".join(f"{rss:.0f}" for rss, _ in sizes)
    proportional = ", ".join(f"{pss:.0f}" for _, pss in sizes)
    checks.append(
        (
            f"worker memory after the run (resident {resident} MB; proportional, shared pages "
            f"divided among the processes sharing them, {proportional} MB) < {MEMORY_GOAL_MB} MB "
            "resident",
            max(rss for rss, _ in sizes) < MEMORY_GOAL_MB,
        )
    )
    for text, met in checks:
        print(f"  {'met   ' if met else 'MISSED'}  {text}")


def failed(result):
    return bool(result["error_responses"] or result["socket_errors"])


def print_relevance(relevance):
    if relevance is None:
        return
    print(
        f"\nRelevance set ({relevance['queries']} queries, demo site and seed samples, "
        f"{relevance['database']}): mean reciprocal rank {relevance['mrr']:.3f}, "
        f"P@3 {relevance['p_at_3']:.3f}"
    )


if __name__ == "__main__":
    main()
