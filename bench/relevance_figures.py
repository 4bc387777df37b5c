"""The relevance set's figures for `make bench` (bench/run.py): the mean reciprocal rank and P@3 of
the queries of tests.news.search.relevance, asked over HTTP of the production stack, on a site of
its own (SQLite) holding the demo content and the seed format samples, never the generated corpus.

The set is the one the tests hold (tests.news.search.relevance): `QUERIES`, `mean_scores(search)`
where `search(query)` gives the titles of the results in their order, and a function adding the
seed format samples to a site (called in a process of the site's own, with the default Site if it
takes an argument). Until that module is there, this step says so and is skipped.

Run by bench/run.py; as a script, `samples` adds the samples to the site of its environment and
`measure URL` prints the figures as JSON.
"""

import html
import importlib
import inspect
import json
import re
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the stack package, and tests/ in the site's own process

from stack.raw_http import CHROME_UA  # noqa: E402
from stack.site import Gunicorn, prepared_sqlite_site, python  # noqa: E402

RELEVANCE = ROOT / "tests" / "news" / "search" / "relevance.py"
MODULE = "tests.news.search.relevance"
# What the function adding the samples may be called, the likeliest first.
SAMPLE_FUNCTIONS = ("add_samples", "add_seed_samples", "add_format_samples", "add_sample_articles")
RESULT_TITLE = re.compile(r"<h2[^>]*>\s*<a [^>]*>(.*?)</a>", re.S)


def relevance_figures(port):
    """{"queries", "mrr", "p_at_3", "database"}, or None (saying why) when the set is not there."""
    if not RELEVANCE.exists():
        print(
            "Relevance set: skipped, tests.news.search.relevance is not there yet "
            "(the relevance set of issue 31)",
            flush=True,
        )
        return None
    print("Relevance set on a demo site of its own (SQLite)", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-relevance-") as folder:
        env = prepared_sqlite_site(
            folder,
            LOG_LEVEL="ERROR",
            GUNICORN_ACCESS_LOG="",
            PAGE_CACHE="off",
            # Every query comes from one address.
            SEARCH_RATE_LIMIT="1000000/m",
            UNCACHED_RATE_LIMIT="1000000/m",
        )
        script = str(Path(__file__).resolve())
        python(env, [script, "samples"], "adding the seed format samples")
        with Gunicorn(env, port=port, log_path=Path(folder) / "gunicorn.log"):
            printed = python(env, [script, "measure", f"http://127.0.0.1:{port}"], "relevance")
    figures = json.loads(printed.stdout.strip().splitlines()[-1])
    return {**figures, "database": "SQLite"}


def add_samples(relevance):
    names = [name for name in SAMPLE_FUNCTIONS if callable(getattr(relevance, name, None))]
    if not names:
        sys.exit(f"{MODULE} has none of {', '.join(SAMPLE_FUNCTIONS)}: which adds the samples?")
    add = getattr(relevance, names[0])
    if inspect.signature(add).parameters:
        from wagtail.models import Site

        add(Site.objects.get(is_default_site=True))
    else:
        add()


def result_titles(base_url, query):
    """The titles of the results of searching `query`, in their order (the first page)."""
    url = f"{base_url}/search/?q={urllib.parse.quote(query)}"
    request = urllib.request.Request(url, headers={"User-Agent": CHROME_UA})  # noqa: S310 - ours
    page = urllib.request.urlopen(request, timeout=30).read().decode()  # noqa: S310
    results = page.split('class="search-results"', 1)
    if len(results) < 2:
        return []
    return [
        html.unescape(re.sub(r"<[^>]+>", "", title)).strip()
        for title in RESULT_TITLE.findall(results[1])
    ]


def figures(relevance, base_url):
    scores = relevance.mean_scores(lambda query: result_titles(base_url, query))
    if isinstance(scores, dict):
        named = {
            key.lower().replace("@", "_at_").replace(" ", "_"): value
            for key, value in scores.items()
        }
        mrr = next(v for k, v in named.items() if "mrr" in k or "reciprocal" in k)
        p_at_3 = next(v for k, v in named.items() if "3" in k)
    else:
        mrr, p_at_3 = scores
    return {"queries": len(relevance.QUERIES), "mrr": float(mrr), "p_at_3": float(p_at_3)}


if __name__ == "__main__":
    import django

    django.setup()
    module = importlib.import_module(MODULE)
    if sys.argv[1] == "samples":
        add_samples(module)
    else:
        print(json.dumps(figures(module, sys.argv[2])))
