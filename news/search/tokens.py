"""Chinese text as the search index holds it, and a query as the words and tokens it asks for.

Wagtail's database search splits text on spaces and punctuation, so a Chinese sentence would be one
token and 党建 would find nothing. Indexing every character pair ("全市社会" → "全市 市社 社会") and
every single character, and querying with the pairs of each Chinese word (or the character itself),
makes any Chinese word findable on SQLite (FTS5) and PostgreSQL (tsvector) alike; Latin words and
numbers are kept whole. Pure functions of text: no database, no Django.
"""

import re

CJK_RUN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+"
# Latin (with accents), Greek and Cyrillic words and numbers; anything else is a separator.
WORD_RUN = r"[0-9A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]+"
TOKEN_RE = re.compile(rf"({CJK_RUN})|({WORD_RUN})")
MAX_QUERY_CHARS = 64
# What one search may ask of the index, whatever was typed: a common character or pair matches
# most articles, and each more one is another pass over them.
MAX_QUERY_TOKENS = 8
MAX_SINGLE_CHARACTERS = 2


def index_tokens(text):
    """Every CJK character and character pair, and every Latin word or number, lowercased."""
    tokens = []
    for cjk, word in TOKEN_RE.findall(text or ""):
        if cjk:
            tokens.extend(cjk)
            tokens.extend(cjk[i : i + 2] for i in range(len(cjk) - 1))
        else:
            tokens.append(word.lower())
    return " ".join(tokens)


def is_cjk(term):
    return re.fullmatch(CJK_RUN, term) is not None


def query_terms(query):
    """The words a reader typed, trimmed to a sane length: CJK runs and Latin words. Chinese
    characters typed one by one with spaces between ("党 建 工 作") are the word they spell."""
    query = (query or "")[:MAX_QUERY_CHARS]
    terms = []
    for cjk, word in TOKEN_RE.findall(query):
        term = cjk or word
        if len(term) == 1 and is_cjk(term) and terms and terms[-1][1]:
            terms[-1] = (terms[-1][0] + term, True)
        else:
            terms.append((term, len(term) == 1 and is_cjk(term)))
    return [term for term, _single in terms]


def query_tokens(terms):
    """The index tokens a search asks for: each Chinese word's character pairs (a lone character
    as itself), Latin words whole; no more than MAX_QUERY_TOKENS, of which at most
    MAX_SINGLE_CHARACTERS lone characters, so no query costs more than a bounded search."""
    tokens, singles = [], 0
    for term in terms:
        if is_cjk(term):
            if len(term) == 1:
                singles += 1
                if singles > MAX_SINGLE_CHARACTERS:
                    continue
                tokens.append(term)
            else:
                tokens.extend(term[i : i + 2] for i in range(len(term) - 1))
        else:
            tokens.append(term.lower())
    return list(dict.fromkeys(tokens))[:MAX_QUERY_TOKENS]
