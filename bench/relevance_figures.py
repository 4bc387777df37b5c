"""The relevance set's figures for `make bench` (bench/run.py): the mean reciprocal rank and P@3 of
the queries of tests.news.search.relevance, asked over HTTP of the production stack, on a site of
its own (SQLite) holding the demo content and the seed format samples, never the generated corpus.

The set is the one the tests hold (tests/news/search/relevance.py): `QUERIES`, `add_samples(site)`
and `mean_scores(search)`, where `search(query)` gives the titles of the results in their order
(`result_titles` reads them from the page as the test does).

Run by bench/run.py; as a script, `samples` adds the samples to the site of its environment and
`measure URL` prints the figures as JSON.
"""

import json
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the stack package, and tests/ in the site's own process

from stack.raw_http import CHROME_UA  # noqa: E402
from stack.site import Gunicorn, prepared_sqlite_site, python  # noqa: E402


def relevance_figures(port):
    """{"queries", "mrr", "p_at_3", "database"}."""
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


def page_titles(base_url, query):
    """The titles of the results of searching `query`, in their order (the first page)."""
    from tests.news.search.relevance import result_titles

    url = f"{base_url}/search/?q={urllib.parse.quote(query)}"
    request = urllib.request.Request(url, headers={"User-Agent": CHROME_UA})  # noqa: S310 - ours
    return result_titles(urllib.request.urlopen(request, timeout=30).read().decode())  # noqa: S310


def figures(base_url):
    from tests.news.search.relevance import QUERIES, mean_scores

    mrr, p_at_3 = mean_scores(lambda query: page_titles(base_url, query))
    return {"queries": len(QUERIES), "mrr": mrr, "p_at_3": p_at_3}


if __name__ == "__main__":
    import django

    django.setup()
    if sys.argv[1] == "samples":
        from wagtail.models import Site

        from tests.news.search.relevance import add_samples

        add_samples(Site.objects.get(is_default_site=True))
    else:
        print(json.dumps(figures(sys.argv[2])))
