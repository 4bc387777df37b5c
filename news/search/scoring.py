"""The one order of search results, the same on every database: the database's own rank only
chooses the candidates (news/search/queries.py); this scores them, in Python, from the text
stored for them.

Per field, a BM25 term score (saturating in the term's count, normalised by the field's length
against a typical length) for each query token (character pairs, news/search/tokens.py) and
query word (news/search/words.py; in the title counted as whole words), weighted by field:
title ≫ summary > body > 来源/作者/专题 tags; the best field of each term counts in full, the others at
TIE_BREAKER. A phrase of two characters or more typed as one piece and
found contiguous adds a bonus (title most; in the body more for each time it recurs, up to
PHRASE_REPEATS), added to the term scores averaged over the query's terms; the whole is
multiplied by a date decay, exp(-ln2 · age / SEARCH_HALF_LIFE_DAYS), kept above DECAY_FLOOR: it
orders near-equal matches newest first, and an old article that matches better still comes
first; ties go to the newer, then the higher id.
Pure functions: no database, no Django settings read here.
"""

import math
from collections import Counter
from dataclasses import dataclass

K1 = 1.2
FIELDS = {
    # field: (weight, length normalisation b, typical length in characters)
    "title": (10.0, 0.3, 24),
    "summary": (3.0, 0.5, 80),
    "body": (1.0, 0.5, 1500),
    "meta": (0.4, 0.0, 10),
}
# The meta field's bonus: a 来源 or a 专题's name typed whole names what the reader looks for.
PHRASE_BONUS = {"title": 6.0, "summary": 1.5, "body": 3.0, "meta": 5.0}
# In the body the bonus grows with each time the phrase recurs, up to this many.
PHRASE_REPEATS = 10
WORD_WEIGHT = 1.0
TIE_BREAKER = 0.3
DECAY_FLOOR = 0.9
SECONDS_PER_DAY = 86_400


@dataclass(frozen=True)
class Query:
    tokens: tuple  # index tokens asked for: pairs, lone characters, Latin words
    words: tuple  # the segmenter's words of the query
    phrases: tuple  # typed pieces of two characters or more, lowercased


@dataclass
class Candidate:
    id: int
    published_at: object  # aware datetime
    title: str
    summary: str
    body: str
    meta: str  # 来源, 作者 and 专题 tags
    title_terms: str = ""
    score: float = 0.0


def term_score(count, length, field):
    if not count:
        return 0.0
    weight, b, typical = FIELDS[field]
    norm = 1 - b + b * (length / typical)
    tf = count / norm
    return weight * tf * (K1 + 1) / (tf + K1)


def query_terms(query):
    """(term, weight, whether it is a word) for each term the query is scored by."""
    terms = [(token, 1.0, False) for token in query.tokens]
    terms += [(word, WORD_WEIGHT, True) for word in query.words if word not in query.tokens]
    return terms


def relevance(candidate, query, terms):
    """The candidate's score for `query` (whose query_terms are `terms`) before the date decay."""
    texts = (
        ("title", candidate.title.lower()),
        ("summary", candidate.summary.lower()),
        ("body", candidate.body.lower()),
        ("meta", candidate.meta.lower()),
    )
    title_words = None
    total = 0.0
    for term, weight, is_word in terms:
        best = whole = 0.0
        for field, text in texts:
            # In the title a word counts as a whole word; elsewhere as the characters.
            if field == "title" and is_word:
                if title_words is None:
                    title_words = Counter(candidate.title_terms.split())
                count = title_words.get(term, 0)
            else:
                count = text.count(term)
            if count:
                score = term_score(count, len(text), field)
                whole += score
                best = max(best, score)
        # The best field counts in full, the others in part (a "dis-max"): a word in the title
        # and the summary is not worth twice a word in the title.
        total += weight * (best + TIE_BREAKER * (whole - best))
    score = total / max(len(terms), 1)
    for phrase in query.phrases:
        for field, text in texts:
            found = text.count(phrase)
            if field == "body":
                score += PHRASE_BONUS[field] * min(found, PHRASE_REPEATS) / PHRASE_REPEATS
            elif found:
                score += PHRASE_BONUS[field]
    return score


def decay(published_at, now, half_life_days):
    age_days = max((now - published_at).total_seconds() / SECONDS_PER_DAY, 0.0)
    fresh = math.exp(-math.log(2) * age_days / half_life_days)
    return DECAY_FLOOR + (1 - DECAY_FLOOR) * fresh


def ranked(candidates, query, now, half_life_days):
    """The candidates best first; each one's `score` set."""
    terms = query_terms(query)
    for candidate in candidates:
        candidate.score = round(
            relevance(candidate, query, terms) * decay(candidate.published_at, now, half_life_days),
            9,
        )
    return sorted(candidates, key=lambda c: (c.score, c.published_at, c.id), reverse=True)
