"""Publishing under load (`make bench`; never part of `make test`).

On the production stack (gunicorn.conf.py's 2 workers of 2 threads, production settings, the page
cache on, Redis as the shared cache and the click buffer, the machine's PostgreSQL or
BENCH_DATABASE_URL, at least 1,000 generated articles), in one run: the readers' mix unpaced for
QUIET_SECONDS, then the same mix for LOADED_SECONDS while an editor publishes a new revision of one
of the read articles every PUBLISH_EVERY seconds (bench/editing.py), each publish checked from the readers'
side. The mix is what a news site sees: most requests go to a few recent articles, the rest to
older ones, the home page, the columns and a few searches.

Goals: while publishing, throughput at least LOADED_GOAL of the quiet rate, p99 under P99_GOAL_MS,
every publish served within VISIBLE_SECONDS, and no error.

Every article request is a counted view (HITCOUNT_WINDOW=0), as in the other benchmarks.
"""

import os
import random
import sys
import tempfile
import urllib.parse
from pathlib import Path

# The benchmarks' helpers beside this script, and the project (the stack package).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from editing import Editor
from measure import article_paths, ensure_wrk, page_cached_site, wrk_report
from soak import failures, write_script, wrk_error_lines

from stack.site import Gunicorn

QUIET_SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
LOADED_SECONDS = 3 * QUIET_SECONDS // 2
WARM_UP_SECONDS = 5
PUBLISH_EVERY = float(os.environ.get("BENCH_PUBLISH_EVERY", "10"))
VISIBLE_SECONDS = 5
LOADED_GOAL = 0.50
P99_GOAL_MS = 1000
THREADS, CONNECTIONS = 2, 16
PORT = 8820
CORPUS = 1_000
SEARCHES = ["党建", "志愿服务", "volunteer"]
COLUMNS = ["/news/", "/news/?page=2", "/notices/", "/practice/"]


def readers_mix(port):
    """The read articles (the ten newest of the news column, which the editor revises) and the
    requests, shuffled: each of the ten newest four times, forty older articles once each, the
    home page six times, the columns and the searches."""
    newest = article_paths(port, column_page=1)[:10]
    older = [path for page in (2, 3) for path in article_paths(port, column_page=page)][:40]
    searches = [f"/search/?q={urllib.parse.quote(words)}" for words in SEARCHES]
    paths = newest * 4 + older + ["/"] * 6 + COLUMNS + searches
    random.Random(0).shuffle(paths)  # noqa: S311 - only the order of the requests
    return newest, paths


def main():
    ensure_wrk()
    database_url, env = page_cached_site("This benchmark", CORPUS)

    url = f"http://127.0.0.1:{PORT}/"
    with Gunicorn(env, port=PORT) as _server, tempfile.TemporaryDirectory() as directory:
        articles, paths = readers_mix(PORT)
        script = write_script(directory, paths, None)
        print(f"Quiet: the readers' mix unpaced for {QUIET_SECONDS} s", flush=True)
        wrk_report(url, WARM_UP_SECONDS, CONNECTIONS, THREADS, script)
        quiet = wrk_report(url, QUIET_SECONDS, CONNECTIONS, THREADS, script)
        print(f"  {quiet['rps']:.1f} req/s, p99 {quiet['p99']:.1f} ms", flush=True)
        print(f"Publishing: the same for {LOADED_SECONDS} s, a publish every {PUBLISH_EVERY} s")
        editor = Editor(env, PORT, articles, PUBLISH_EVERY, VISIBLE_SECONDS)
        editor.start()
        try:
            loaded = wrk_report(url, LOADED_SECONDS, CONNECTIONS, THREADS, script)
        finally:
            editor.stop()
        print(f"  {loaded['rps']:.1f} req/s, p99 {loaded['p99']:.1f} ms", flush=True)
        for line in wrk_error_lines(quiet) + wrk_error_lines(loaded):
            print(f"    {line}")
    report(database_url, quiet, loaded, editor)


def report(database_url, quiet, loaded, editor):
    ratio = loaded["rps"] / quiet["rps"]
    errors = failures(quiet) + failures(loaded) + len(editor.failures)
    print(
        f"\nPublishing under load on {database_url.split('://')[0]}, the page cache in Redis, "
        f"every view counted; gunicorn 2 workers of 2 threads; wrk {THREADS} threads, "
        f"{CONNECTIONS} connections"
    )
    print(f"{'':<12}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
    for name, result in (("quiet", quiet), ("publishing", loaded)):
        print(f"{name:<12}{result['rps']:>9.1f}{result['p50']:>9.2f}{result['p99']:>9.2f}")
    print(f"{editor.published} publishes, {len(editor.failures)} failed")
    print("\nGoals")
    checks = [
        (
            f"throughput while publishing {ratio:.0%} of the quiet rate (>= {LOADED_GOAL:.0%})",
            ratio >= LOADED_GOAL,
        ),
        (
            f"p99 while publishing {loaded['p99']:.0f} ms (< {P99_GOAL_MS} ms)",
            loaded["p99"] < P99_GOAL_MS,
        ),
        (f"every publish served within {VISIBLE_SECONDS} s, no errors ({errors})", errors == 0),
    ]
    for text, met in checks:
        print(f"  {'met ' if met else 'MISSED'}  {text}")


if __name__ == "__main__":
    main()
