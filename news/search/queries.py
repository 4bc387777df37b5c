"""The public search's queries over its own table (news/search/entries.py), planned by how many
articles match, so that a rare word and a common one both cost little at any size:

- the index is asked for the first PROBE + 1 matches (in index order, no sorting). Up to PROBE
  (a rare or uncommon word) the count is exact; up to CANDIDATES every match is a candidate, and
  beyond that the database's own rank chooses the CANDIDATES best (ts_rank_cd over the weighted
  tsvector on PostgreSQL, bm25() with column weights on FTS5);
- more than PROBE matches (a common word, such as 党建 in most articles) and the candidates are
  the newest CANDIDATES matches, found by walking the table newest first (an index on the
  publication time) and testing each article against the full-text index: the walk stops after a
  few pages of articles however many match. The count is then estimated from how far the walk
  went, and the exact count is made after the response (`exact_count`, news/search/views.py)
  and kept under the site generation for the next search of the word;
- the candidates are then ordered in Python (news/search/scoring.py), the one order on every
  database.
Sorted by time, the results are read newest first, a page at a time, from the same walk.

Every query is limited to the site, and leaves out what readers may not see: the table holds
live original articles only, and the hidden sections (view restrictions, offline columns,
core/restrictions.py) are left out here, as `readable()` does for every other list.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.db import connection

from core.generation import get as cached
from core.generation import put as keep
from core.generation import remember
from core.restrictions import hidden_sections
from news.search import scoring
from news.search.entries import SearchEntry
from news.search.tokens import is_cjk, query_tokens
from news.search.words import words

PROBE = 1000
CANDIDATES = 60
# SQLite: the share of a site's articles above which a common word's newest matches are found
# by walking the articles rather than by listing the matches.
WALK_SHARE = 0.1
TABLE = SearchEntry._meta.db_table
FTS = "news_searchfts"
# PostgreSQL weights of D, C, B, A (来源/作者, body, summary, title); FTS5 weights of the title,
# summary, body and 来源/作者 columns: the database's rank only chooses candidates.
POSTGRES_WEIGHTS = "{0.04, 0.1, 0.3, 1.0}"
# ts_rank_cd normalisation: divided by 1 + the logarithm of the document's length.
POSTGRES_NORMALISATION = 1
FTS5_WEIGHTS = "10.0, 3.0, 1.0, 0.4"
FIELDS = ("page_id", "published_at", "title", "summary", "body", "source", "author", "tags")
FIELDS += ("title_terms", "column_path")
# The same columns of the table `e` in a SELECT, read as rows by stored_rows.
ROW_COLUMNS = ", ".join(f"e.{field}" for field in FIELDS)


@dataclass(frozen=True)
class Scope:
    """Where a search looks: the site, a column (its tree path), a time range [since, until)."""

    site_id: int | None = None
    column_path: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def key(self):
        return f"{self.site_id}:{self.column_path}:{self.since}:{self.until}"


@dataclass
class Found:
    plan: str  # "none", "few", "ranked" or "newest" (see the module's docstring)
    count: int
    estimated: bool  # the count is an estimate; the exact one is made after the response
    rows: object  # the results in order: a list, or a NewestFirst sequence for sort by time


def search_query(terms):
    """The query as the ranking reads it: its index tokens, words, and typed phrases."""
    tokens = tuple(query_tokens(terms))
    found_words = tuple(dict.fromkeys(words(" ".join(terms))))
    phrases = tuple(term.lower() for term in terms if len(term) > 1 and is_cjk(term))
    return scoring.Query(tokens, found_words, phrases)


def scope_sql(scope):
    conditions, params = [], []
    if scope.site_id is not None:
        conditions.append("e.site_id = %s")
        params.append(scope.site_id)
    if scope.column_path is not None:
        conditions.append("e.column_path = %s")
        params.append(scope.column_path)
    if scope.since is not None:
        conditions.append("e.published_at >= %s")
        params.append(connection.ops.adapt_datetimefield_value(scope.since))
    if scope.until is not None:
        conditions.append("e.published_at < %s")
        params.append(connection.ops.adapt_datetimefield_value(scope.until))
    paths, leaves = hidden_sections()
    for path in paths:
        conditions.append("e.column_path NOT LIKE %s")
        params.append(path + "%")
    if leaves:
        conditions.append(f"e.page_id NOT IN ({', '.join(['%s'] * len(leaves))})")
        params.extend(leaves)
    return conditions, params


def fts5_match(tokens):
    # Tokens are CJK runs, Latin letters and digits only (news/search/tokens.py): quoting each
    # makes every one a plain term, ANDed.
    return " ".join(f'"{token}"' for token in tokens)


class Matches:
    """The SQL of "the articles in `scope` that hold every token", for this database."""

    def __init__(self, tokens, scope):
        self.tokens = tokens
        self.scope = scope
        self.conditions, self.params = scope_sql(scope)
        self.postgres = connection.vendor == "postgresql"
        # SQLite, few matches: their ids, read from FTS5 alone, which the articles are looked up by.
        self.among = None

    def _subquery(self):
        """FROM and WHERE for SQLite: the articles looked up by the ids of the matches (listed,
        or the FTS5 matches read once as a list; joined, SQLite would ask FTS5 once per article
        of the site instead)."""
        if self.among is not None:
            listed = ", ".join(["%s"] * len(self.among)) or "NULL"
            where = [*self.conditions, f"e.page_id IN ({listed})"]
            return f"FROM {TABLE} e WHERE {' AND '.join(where)}", [*self.params, *self.among]
        fts = f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s"  # noqa: S608
        where = [*self.conditions, f"e.page_id IN ({fts})"]
        return f"FROM {TABLE} e WHERE {' AND '.join(where)}", [
            *self.params,
            fts5_match(self.tokens),
        ]

    def fts_ids(self, limit):
        """SQLite: the ids of up to `limit` matches anywhere, as FTS5 streams them (it stops
        there, whatever the word)."""
        sql = f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s LIMIT %s"  # noqa: S608
        return ids(sql, [fts5_match(self.tokens), limit])

    def fts_more_than(self, limit):
        sql = f"SELECT count(*) FROM (SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s LIMIT %s)"  # noqa: S608
        return scalar(sql, [fts5_match(self.tokens), limit + 1]) > limit

    def _indexed(self):
        """FROM and WHERE asking the full-text index first (few matches)."""
        if self.postgres:
            where = ["e.vector @@ plainto_tsquery('simple', %s)", *self.conditions]
            return f"FROM {TABLE} e WHERE {' AND '.join(where)}", [
                " ".join(self.tokens),
                *self.params,
            ]
        return self._subquery()

    def _walked(self):
        """FROM and WHERE walking the table newest first and testing each article: the
        planner's own choice on PostgreSQL (it knows a common lexeme from its statistics); on
        SQLite FTS5 is asked about each article walked, which stops early only when most match."""
        if self.postgres:
            return self._indexed()
        fts = f"SELECT 1 FROM {FTS} WHERE {FTS} MATCH %s AND {FTS}.rowid = e.page_id"  # noqa: S608
        where = [*self.conditions, f"EXISTS ({fts})"]
        return f"FROM {TABLE} e WHERE {' AND '.join(where)}", [
            *self.params,
            fts5_match(self.tokens),
        ]

    def first(self, limit):
        sql, params = self._indexed()
        return ids(f"SELECT e.page_id {sql} LIMIT %s", [*params, limit])

    def best(self, limit, among):
        """The `limit` best of the matches `among` (their ids), by the database's rank."""
        if self.postgres:
            sql, params = self._indexed()
            rank = (
                f"ts_rank_cd('{POSTGRES_WEIGHTS}'::float4[], e.vector, "
                f"plainto_tsquery('simple', %s), {POSTGRES_NORMALISATION}) DESC"
            )
            order = f"{rank}, e.published_at DESC, e.page_id DESC"
            return ids(
                f"SELECT e.page_id {sql} ORDER BY {order} LIMIT %s",
                [*params, " ".join(self.tokens), limit],
            )
        listed = ", ".join(["%s"] * len(among))
        return ids(
            f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s AND rowid IN ({listed})"  # noqa: S608
            f" ORDER BY bm25({FTS}, {FTS5_WEIGHTS}), rowid DESC LIMIT %s",
            [fts5_match(self.tokens), *among, limit],
        )

    def newest_rows(self, limit, offset=0, walk=False):
        """The stored rows of the matches, newest first: `walk` for a common word (the walk
        stops early), else the matches found, then sorted. The rows come with the matches, in
        the same statement: the newest are what the results are made from for a common word
        and for a rare one."""
        sql, params = self._walked() if walk else self._indexed()
        order = "e.published_at DESC, e.page_id DESC"
        return stored_rows(
            f"SELECT {ROW_COLUMNS} {sql} ORDER BY {order} LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )

    def count(self):
        sql, params = self._indexed()
        return scalar(f"SELECT count(*) {sql}", params)


def ids(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def scalar(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def stored_rows(sql, params):
    """The rows `sql` selects (the columns FIELDS, in that order) as dicts: read as tuples, as a
    search reads sixty on every request, where the ORM's compiling and per-value handling would
    cost more than the query."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [dict(zip(FIELDS, row, strict=True)) for row in cursor.fetchall()]
    # SQLite answers with the time as text: made an aware datetime as the ORM makes it.
    convert = getattr(connection.ops, "convert_datetimefield_value", None)
    if convert is not None:
        for row in rows:
            row["published_at"] = convert(row["published_at"], None, connection)
    return rows


def rows_for(page_ids):
    """The stored rows of these articles, in this order."""
    if not page_ids:
        return []
    listed = ", ".join(["%s"] * len(page_ids))
    sql = f"SELECT {ROW_COLUMNS} FROM {TABLE} e WHERE e.page_id IN ({listed})"  # noqa: S608
    found = {row["page_id"]: row for row in stored_rows(sql, list(page_ids))}
    return [found[pk] for pk in page_ids if pk in found]


def count_key(tokens, scope):
    digest = hashlib.sha256(" ".join(tokens).encode()).hexdigest()[:32]
    return f"search:count:{scope.key()}:{digest}"


def exact_count(tokens, scope):
    """Count a common word's matches and keep the count under the site generation; run after
    the response, outside the search's time limit."""
    key = count_key(tokens, scope)
    if cached(key) is None:
        keep(key, Matches(tokens, scope).count())


def rows_in_scope_since(scope, moment):
    conditions, params = scope_sql(scope)
    conditions.append("e.published_at >= %s")
    params.append(connection.ops.adapt_datetimefield_value(moment))
    where = " AND ".join(conditions)
    return scalar(f"SELECT count(*) FROM {TABLE} e WHERE {where}", params)  # noqa: S608


def rows_in_scope(scope):
    def compute():
        conditions, params = scope_sql(scope)
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        return scalar(f"SELECT count(*) FROM {TABLE} e {where}", params)  # noqa: S608

    # Only an estimate's scale: kept across articles' publishing (for TREE_CACHE_TIMEOUT at
    # most), where counting every article of a large site again would cost more than the search.
    return remember(f"search:rows:{scope.key()}", compute, articles=False)


def estimate(scope, last_row, found):
    """How many match, from how far the newest-first walk went to find `found` matches, the
    last of them `last_row`: the share of matches among the articles walked, times all."""
    if not last_row:
        return found
    walked = rows_in_scope_since(scope, last_row[0]["published_at"])
    return max(found, round(rows_in_scope(scope) * found / max(walked, 1)))


@dataclass
class Size:
    """How many match, as far as the plan needs to know."""

    count: int
    estimated: bool
    common: bool  # more than PROBE
    first: list | None = None  # ids of every match, when there are no more than PROBE
    newest: list | None = None  # rows of the newest CANDIDATES matches, when asked for
    walk: bool = False  # the newest matches are found by walking the articles newest first


def size_on_postgres(matches, key):
    """The newest matches first (a walk of the publication-time index stopped at CANDIDATES
    for a common word, the GIN index and a sort for a rare one); only when there are more is the
    index asked for a bounded count: PostgreSQL would read each article's vector to count them."""
    newest = matches.newest_rows(CANDIDATES)
    if len(newest) < CANDIDATES:
        return Size(
            len(newest), False, False, first=[row["page_id"] for row in newest], newest=newest
        )
    known = cached(key)
    if known is not None:
        return Size(known, False, known > PROBE, newest=newest, walk=True)
    guess = estimate(matches.scope, newest[-1:], CANDIDATES)
    if guess > PROBE:
        return Size(guess, True, True, newest=newest, walk=True)
    first = matches.first(PROBE + 1)
    if len(first) <= PROBE:
        return Size(len(first), False, False, first=first, newest=newest)
    return Size(guess, True, True, newest=newest, walk=True)


def size_on_sqlite(matches, key):
    """FTS5 streams up to PROBE + 1 matches at no cost: few, and the articles are looked up by
    their ids. More, and the plan depends on their share of the site's articles: under
    WALK_SHARE the matches are read as a list (cost in proportion to them) and counted exactly;
    above it the articles are walked newest first, asking FTS5 about each, which stops after
    about CANDIDATES / share of them."""
    found = matches.fts_ids(PROBE + 1)
    if len(found) <= PROBE:
        matches.among = found
        first = matches.first(PROBE + 1)
        return Size(len(first), False, False, first=first)
    known = cached(key)
    if not matches.fts_more_than(max(PROBE, int(rows_in_scope(matches.scope) * WALK_SHARE))):
        count = known if known is not None else matches.count()
        if count <= PROBE:  # few in this column or these dates
            first = matches.first(PROBE + 1)
            return Size(len(first), False, False, first=first)
        return Size(count, False, True)
    if known is not None:
        return Size(known, False, True, walk=True)
    newest = matches.newest_rows(CANDIDATES, walk=True)
    guess = estimate(matches.scope, newest[-1:], CANDIDATES)
    return Size(guess, True, True, newest=newest, walk=True)


def find(query, scope, sort, now, half_life_days):
    """The results of `query` (from `search_query`) in `scope`, best first or newest first."""
    if not query.tokens:
        return Found("none", 0, False, [])
    matches = Matches(query.tokens, scope)
    key = count_key(query.tokens, scope)
    size = size_on_postgres(matches, key) if matches.postgres else size_on_sqlite(matches, key)
    if sort == "date":
        plan = "newest" if size.common else "few"
        return Found(plan, size.count, size.estimated, NewestFirst(matches, size))
    if size.common:
        newest = size.newest
        if newest is None:
            newest = matches.newest_rows(CANDIDATES, walk=size.walk)
        plan, candidates = "newest", newest
    elif size.count > CANDIDATES:
        plan, candidates = "ranked", rows_for(matches.best(CANDIDATES, size.first))
    else:
        plan, candidates = "few", size.newest if size.newest is not None else rows_for(size.first)
    return Found(plan, size.count, size.estimated, rank(candidates, query, now, half_life_days))


def rank(rows, query, now, half_life_days):
    by_id = {row["page_id"]: row for row in rows}
    candidates = [
        scoring.Candidate(
            id=row["page_id"],
            published_at=row["published_at"],
            title=row["title"],
            summary=row["summary"],
            body=row["body"],
            meta=" ".join(part for part in (row["source"], row["author"], row["tags"]) if part),
            title_terms=row["title_terms"],
        )
        for row in rows
    ]
    return [by_id[c.id] for c in scoring.ranked(candidates, query, now, half_life_days)]


class NewestFirst:
    """All matches newest first, read a page at a time (for the paginator)."""

    def __init__(self, matches, size):
        self.matches = matches
        self.total = size.count
        self.walk = size.walk

    def __len__(self):
        return self.total

    def count(self):
        return self.total

    def __getitem__(self, index):
        if isinstance(index, slice):
            start = index.start or 0
            return self.matches.newest_rows(index.stop - start, start, walk=self.walk)
        return self.matches.newest_rows(1, index, walk=self.walk)[0]
