"""站内搜索's relevance set (relevance_set.toml beside this file): the queries, the articles a good
ranking puts in the first three, the seed-format samples they are asked over, and the two figures
of a ranking, mean reciprocal rank and precision at three.

Shared by tests/news/search/test_relevance.py (every query through the public page) and `make bench`
(which prints the figures): neither needs more than `add_samples(site)` after the demo content and
a `search(query) -> titles in order`.
"""

import re
import tomllib
from html import unescape
from pathlib import Path

from news.importing.importer import import_article
from news.importing.seedformat import parse
from news.models import NewsIndexPage
from tests.samples import VALID

SET_FILE = Path(__file__).with_name("relevance_set.toml")
_DATA = tomllib.loads(SET_FILE.read_text(encoding="utf-8"))

# (query, titles that must be in the first three): with more than three, the first three must all
# be among them.
QUERIES = [(entry["q"], list(entry["expect"])) for entry in _DATA["query"]]
# The queries whose first expected title must come first (the seed's title words, among others).
FIRST = {entry["q"]: entry["expect"][0] for entry in _DATA["query"] if entry.get("first")}
# (column slug, seed-format text): the set's own samples, then tests/samples.py's VALID.
SAMPLES = [(entry["column"], entry["text"]) for entry in _DATA["sample"]] + [("news", VALID)]


def add_samples(site):
    """Import the seed-format samples into the site's columns (news/sitetree.py's slugs), published,
    as `import_articles` would: after the demo content (`setup_site --demo`), the corpus the set is
    written for. Returns the pages."""
    columns = {column.slug: column for column in NewsIndexPage.objects.child_of(site.root_page)}
    return [import_article(parse(text), columns[slug]).page for slug, text in SAMPLES]


def result_titles(html):
    """The titles of /search/'s result list, in order, without the highlighting: what `search`
    returns when it asks the public page (the test, and `make bench` over HTTP)."""
    marker = '<ol class="search-results"'
    listed = html.split(marker, 1)[1] if marker in html else ""
    return [
        unescape(re.sub(r"<[^>]+>", "", title))
        for title in re.findall(r"<h2><a href=\"[^\"]+\">(.*?)</a></h2>", listed)
    ]


def reciprocal_rank(titles, expected):
    """1/rank of the first expected title in the results; 0 when none is found."""
    wanted = set(expected)
    return next((1 / rank for rank, title in enumerate(titles, 1) if title in wanted), 0.0)


def precision_at_3(titles, expected):
    """The share of the first three places an expected title could fill that it does: 1 when every
    expected title (or, with more than three, three of them) is in the first three."""
    top = titles[:3]
    return sum(title in top for title in set(expected)) / min(3, len(set(expected)))


def misses(titles, expected, query):
    """What is wrong with a query's results, in words; empty when the ranking meets the set."""
    problems = []
    if precision_at_3(titles, expected) < 1:
        if len(expected) > 3:
            wrong = [title for title in titles[:3] if title not in expected]
            problems.append(f"first three {titles[:3]}: {wrong} not expected")
        else:
            lacking = [title for title in expected if title not in titles[:3]]
            problems.append(f"first three {titles[:3]} lack {lacking}")
    if query in FIRST and titles[:1] != [FIRST[query]]:
        problems.append(f"{FIRST[query]} is not first")
    return problems


def mean_scores(search):
    """(mean reciprocal rank, mean P@3) of `search(query) -> result titles in order` over the set."""
    ranks, precisions = [], []
    for query, expected in QUERIES:
        titles = search(query)
        ranks.append(reciprocal_rank(titles, expected))
        precisions.append(precision_at_3(titles, expected))
    return sum(ranks) / len(ranks), sum(precisions) / len(precisions)
