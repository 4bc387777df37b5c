"""Search at any size (`python bench/search_scale.py [N] [--sqlite]`, default 100,000 articles;
never part of `make test`): the public search's cost for a rare word and a common one once the
site has N generated articles (bench/corpus.py), timed in-process (Django's WSGI handler through
the whole middleware stack, production settings), so that the figures are the search's own and
not a server's.

On PostgreSQL (the machine's, database sitecms_search_scale, kept with its corpus between runs)
and with --sqlite also on SQLite (bench/search_scale.sqlite3), for each query:

- the first search after a publish (nothing of the search cached, the page shell's fragments
  made again by the empty search form first: a common word's count is estimated, and made
  after the response, news/search/queries.py, timed apart), then the median of REPEATS searches
  of it, each through Django's WSGI handler as a server calls it;
- the plan chosen (few: from the index; ranked: the database's rank chooses the candidates;
  newest: the newest matches of a common word), the count and the status.

Goal: a rare and a common word each under 200 ms, none answered 503.
"""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

ROOT = Path(__file__).resolve().parent.parent
REPEATS = 15
GOAL_MS = 200
QUERIES = {
    "rare (one 期 number)": "第{rare}期",
    "rare (a number alone)": "{rare}",
    "common (党建)": "党建",
    "common (社会组织)": "社会组织",
    "common, by time (党建)": "党建",
}


def measure():
    """In the benchmark's environment: time each query, print one JSON line. Each search goes
    through Django's WSGI handler as a server calls it: timed until the page is there, then the
    work done after it is sent (a common word's exact count) timed apart."""
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import Client, RequestFactory
    from django.test.utils import setup_test_environment

    from core.generation import bump
    from news.models import ArticlePage

    articles = ArticlePage.objects.filter(live=True).count()
    rare = articles // 2
    headers = {"HTTP_HOST": "127.0.0.1", "HTTP_USER_AGENT": "Mozilla/5.0 Chrome/131.0"}
    handler, factory = WSGIHandler(), RequestFactory(**headers)

    def search(params):
        statuses = []
        environ = factory.get("/search/", params).environ
        started = time.perf_counter()
        response = handler(environ, lambda status, headers: statuses.append(int(status[:3])))
        b"".join(response)
        answered = time.perf_counter()
        response.close()
        return (answered - started) * 1000, (time.perf_counter() - answered) * 1000, statuses[0]

    search({"q": "预热"})  # the process's first request: templates compiled, URLs loaded
    results = {"articles": articles}
    asked = {}
    for label, template in QUERIES.items():
        params = {"q": template.format(rare=rare)}
        if "by time" in label:
            params["sort"] = "date"
        asked[label] = params
        bump()  # as after a publish: nothing cached
        search({})  # the page shell's fragments made again (any page would), not the search's
        runs = [search(params) for _ in range(REPEATS + 1)]
        results[label] = {
            "first_ms": round(runs[0][0], 1),
            "after_response_ms": round(runs[0][1], 1),
            "median_ms": round(statistics.median(run[0] for run in runs[1:]), 1),
            "statuses": sorted({run[2] for run in runs}),
        }
    # Then, untimed, what each search found and how (the test client keeps the context only
    # with Django's test instrumentation on).
    setup_test_environment()
    client = Client(**headers)
    for label, params in asked.items():
        context = client.get("/search/", params).context
        results[label].update(plan=context["plan"], count=context["count"])
    print(json.dumps(results, ensure_ascii=False))


def run(database_url, count):
    from measure import grow_corpus, prepare

    env = prepare(database_url)
    started = time.monotonic()
    grow_corpus(env, count, at_least=True)
    print(f"  corpus ready in {time.monotonic() - started:.0f} s", flush=True)
    output = subprocess.run(
        [sys.executable, __file__, "--measure"],
        cwd=ROOT,
        env={**env, "SEARCH_RATE_LIMIT": "1000000/m"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def report(name, results):
    print(f"\n{name}: {results['articles']} live articles", flush=True)
    ok = True
    for label in QUERIES:
        figures = results[label]
        met = figures["first_ms"] < GOAL_MS and figures["median_ms"] < GOAL_MS
        met = met and figures["statuses"] == [200]
        ok &= met
        print(
            f"  {label:26} first {figures['first_ms']:7.1f} ms"
            f" (+{figures['after_response_ms']:6.1f} ms after the response)"
            f"  median {figures['median_ms']:7.1f} ms"
            f"  plan {figures['plan']:7} count {figures['count']:>7}  status {figures['statuses']}"
            f"  {'ok' if met else 'MISSED'}",
            flush=True,
        )
    return ok


def main():
    from measure import existing_database

    from stack.services import postgres_answers

    args = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    count = int(args[0]) if args else 100_000
    print(f"load average before: {os.getloadavg()[0]:.2f}", flush=True)
    ok = True
    if postgres_answers():
        url = os.environ.get("BENCH_DATABASE_URL") or existing_database("sitecms_search_scale")
        ok &= report("PostgreSQL", run(url, count))
    else:
        print("PostgreSQL does not answer: left out", flush=True)
    if "--sqlite" in sys.argv:
        url = f"sqlite:///{ROOT / 'bench' / 'search_scale.sqlite3'}"
        ok &= report("SQLite", run(url, count))
    print(f"load average after: {os.getloadavg()[0]:.2f}", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    if "--measure" in sys.argv:
        measure()
    else:
        sys.exit(main())
