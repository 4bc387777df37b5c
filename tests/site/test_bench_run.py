"""`make bench`'s page benchmark (bench/run.py) runs from start to end in its smallest
configuration, so that it cannot silently break between the runs that measure: two tiny corpora
(30 and 60 generated articles, each in a SQLite database of its own beside a copy of the prepared
site), one second per page and no warm-up, on a port of its own. It checks that every step ran and
every table was printed and that no page answered with an error (such as the search's 429, were
the benchmark's lifted limits not to reach the stack), never a speed figure (speed is the
benchmark's, not a test's)."""

import os
import shutil
import subprocess
import sys

import pytest

from stack.services import free_port
from stack.site import ROOT, prepared_sqlite_site

pytestmark = pytest.mark.skipif(not shutil.which("wrk"), reason="needs wrk (apt-get install wrk)")

PAGES = ["article", "column", "home", "search (党建)", "search (鹭鸶洲)"]


def test_the_page_benchmark_runs_through_and_prints_its_tables(tmp_path, worker_id):
    site = prepared_sqlite_site(tmp_path)
    number = 0 if worker_id == "master" else int(worker_id.removeprefix("gw"))
    env = {
        **os.environ,
        "BENCH_DATABASE_URL": site["DATABASE_URL"],
        "MEDIA_ROOT": site["MEDIA_ROOT"],
        "AUDIT_EXPORT_DIR": site["AUDIT_EXPORT_DIR"],
        "BENCH_SIZES": "30,60",
        "BENCH_SECONDS": "1",
        "BENCH_WARM_UP": "0",
        "BENCH_PORT": str(free_port()),
        # The Redis database the redis_buffer fixture (tests/conftest.py) gives this process.
        "BENCH_REDIS_URL": f"redis://127.0.0.1:6379/{15 if number == 0 else 13 - number}",
    }
    run = subprocess.run(
        [sys.executable, "bench/run.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    printed = run.stdout
    # No page answered with an error: a 429 would say a per-address limit was not lifted.
    assert "ERRORS" not in printed and "(errors)" not in printed, printed
    growth = printed.split("Growth: pages without the page cache, req/s", 1)[1]
    header, *rows = growth.strip().splitlines()
    assert "30 art." in header and "60 art." in header and "60/30" in header
    for page in PAGES:
        assert any(row.startswith(page) for row in rows[: len(PAGES)]), page
    assert "with 60 articles" in printed
    trivial = ["trivial view", "trivial view, second sample"]
    for name in [*trivial, "uncached article", "cached article, not counted"]:
        assert f"\n{name} " in printed, name
    assert "Search index for 60 articles: manage.py " in printed
    assert "mean reciprocal rank" in printed or "Relevance set: skipped" in printed
    goals = printed.split("\nGoals\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert goals and all(line.startswith(("  met ", "  MISSED ")) for line in goals)
    assert any("60 articles at" in line for line in goals)
