"""An article's key words for 相关阅读, from its text and its 专题 tags: pure, no database.

Each word of the title, summary and body (news/search/words.py) is weighed by TF-IDF: how often
the article uses it (the title's words count three times, the summary's twice, sublinearly) times
how rare it is among the site's articles (log of one more than the articles over the articles
containing it: a word every article contains weighs little, but not nothing while there are only
a few articles, as when the first ones are published one by one). The
KEY_WORDS heaviest are kept and scaled to unit length, so two articles' shared words score their
cosine, at most 1. Each 专题 tag is a key word of its own, marked with TAG_MARK (no segmented word
starts with it) and weighing TAG_WEIGHT, so one shared tag (TAG_WEIGHT² = 4) outranks any sharing
of words: tags first, words next."""

import math
from collections import Counter

from news.search.words import words

KEY_WORDS = 20
TAG_MARK = "#"
TAG_WEIGHT = 2.0
# The longest word kept, within the tables' columns (news/related/models.py).
LONGEST_WORD = 50
# How many times a word counts in each part of the article.
PART_WEIGHTS = (("title", 3), ("summary", 2), ("body", 1))


def is_word(word):
    """A word worth counting: not a bare number (dates, 期 numbers say nothing of the subject),
    not longer than the tables keep."""
    return len(word) <= LONGEST_WORD and not word.isdigit()


def article_words(parts):
    """{word: weighted count} of an article's parts, {"title": …, "summary": …, "body": …}."""
    counts = Counter()
    for name, times in PART_WEIGHTS:
        for word in words(parts.get(name) or ""):
            if is_word(word):
                counts[word] += times
    return counts


def tag_word(tag):
    return f"{TAG_MARK}{tag}"[:LONGEST_WORD]


def key_words(counts, document_counts, articles, tags=()):
    """[(word, weight)]: the article's KEY_WORDS heaviest words by TF-IDF, of unit length, and
    its tags. `document_counts` is {word: articles containing it} among `articles` articles (this
    one included)."""
    weighed = []
    for word, count in counts.items():
        rarity = math.log((articles + 1) / max(document_counts.get(word, 1), 1))
        if rarity > 0:
            weighed.append(((1 + math.log(count)) * rarity, word))
    weighed.sort(key=lambda pair: (-pair[0], pair[1]))
    kept = weighed[:KEY_WORDS]
    length = math.sqrt(sum(weight * weight for weight, _ in kept)) or 1.0
    found = [(word, weight / length) for weight, word in kept]
    found += [(word, TAG_WEIGHT) for word in sorted({tag_word(tag) for tag in tags if tag})]
    return found
