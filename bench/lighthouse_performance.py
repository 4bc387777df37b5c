"""Lighthouse's performance score on the production stack (`make bench`; never part of `make test`).

Starts the production stack (gunicorn with the project's config, production settings over plain
HTTP, the page cache as deployed) on the benchmarks' database with the demo content, and has
Lighthouse (npm's, its default mobile settings: a mid-range phone on a slow 4G line, simulated)
load the home page, a column, an article, the search results and the contact page, three runs each,
judging each page on Lighthouse's median run. Goal: at least 0.98 on every page. Accessibility,
best practices and SEO, which do not move with the machine's load, are tests
(tests/site/test_lighthouse.py).
"""

import sys
import tempfile
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import article_path, bench_database_url, prepare

from stack.lighthouse import available, lighthouse, shortfalls
from stack.site import Gunicorn

PORT = 8820
RUNS = 3
GOAL = {"performance": 0.98}
METRICS = ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time"]


def main():
    if not available():
        sys.exit("Lighthouse needs Node, `npm ci` (node_modules/lighthouse) and Debian's chromium")
    env = prepare(bench_database_url())
    with Gunicorn(env, port=PORT), tempfile.TemporaryDirectory() as folder:
        site = f"http://127.0.0.1:{PORT}"
        pages = {
            "home": "/",
            "column": "/news/",
            "article": article_path(PORT),
            "search": "/search/?q=" + urllib.parse.quote("党建"),
            "contact": "/contact/",
        }
        print(f"Lighthouse, mobile, median of {RUNS} runs a page", flush=True)
        reports = lighthouse(
            {name: site + path for name, path in pages.items()}, folder, GOAL, RUNS
        )
    missed = []
    for name, report in reports.items():
        problems = shortfalls(report, GOAL)
        if "runtimeError" not in report:
            score = report["categories"]["performance"]["score"]
            timings = ", ".join(
                f"{metric} {report['audits'][metric]['displayValue']}" for metric in METRICS
            )
            print(f"  {name:<9}{score:>6.2f}   {timings}")
        missed += [f"{name}: {line}" for line in problems]
    print("Goal: performance at least 0.98 on every page:", "met" if not missed else "MISSED")
    for line in missed:
        print("  " + line)
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
