"""Chinese text as words, the way the search index, the ranking and 相关阅读 read it.

Character pairs (news/search/tokens.py) guarantee that any typed word is found; words from a
segmenter tell which matches mean what the reader typed: 社会组织 as one word ranks above 社会 and
组织 far apart. rjieba (jieba's dictionary, compiled in Rust) segments; the party and government
terms of news/search/party_terms.txt, and those of the file SEARCH_EXTRA_WORDS_FILE names, are
added as whole words. The dictionary loads once per process, on first use or when gunicorn's
master imports the site before forking its workers (news/apps.py).
"""

import functools
import os
import re
from pathlib import Path

import rjieba

from news.search.tokens import CJK_RUN, WORD_RUN, index_tokens

PARTY_TERMS = Path(__file__).with_name("party_terms.txt")
WORD_OR_RUN = re.compile(rf"({CJK_RUN})|({WORD_RUN})")


def dictionary_files():
    """The files whose words are added to the segmenter's dictionary, in order."""
    files = [PARTY_TERMS]
    extra = os.environ.get("SEARCH_EXTRA_WORDS_FILE", "").strip()
    if extra:
        files.append(Path(extra))
    return files


def read_terms(path):
    """The words of a dictionary file: one a line, # starts a comment, blank lines ignored."""
    text = path.read_text(encoding="utf-8-sig")
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line]


@functools.cache
def load():
    """Load the segmenter's dictionary with the added terms; the terms added, for checks."""
    terms = [term for path in dictionary_files() for term in read_terms(path)]
    for term in terms:
        rjieba.add_word(term, None, None)
    rjieba.cut("党建")  # the dictionary itself loads on first use
    return tuple(terms)


def words(text):
    """The words of `text`: Chinese words of two characters or more (a long word also as the
    shorter words inside it, as search engines index them), Latin words and numbers lowercased;
    in order, repeats kept, so that they can be counted."""
    load()
    found = []
    for cjk, latin in WORD_OR_RUN.findall(text or ""):
        if latin:
            found.append(latin.lower())
        else:
            found.extend(word for word in rjieba.cut_for_search(cjk) if len(word) > 1)
    return found


def index_terms(text):
    """What an index holds of a text: its characters and pairs (any typed word is found), then
    its words (which the ranking prefers)."""
    return " ".join(part for part in (index_tokens(text), " ".join(words(text))) if part)
